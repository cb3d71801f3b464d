/// Cuts raw text around the tokens that must never be split by the tokenizer proper (llama.cpp's
/// `tokenizer_st_partition`): each such token's occurrences are claimed longest token first, leftmost first, and
/// the text between claimed spans is tokenized normally.
///
/// Claiming longest first is not the same as a left-to-right longest match: in "abcd" with tokens "bcd" and "ab",
/// "bcd" wins. The result is identical to llama.cpp's repeated fragment splitting, found with one pass per text.
struct SpecialTokenSplitter: Sendable {
    enum Piece: Equatable {
        case text(Range<Int>)
        case token(Int32)
    }

    private let tokens: [(id: Int32, bytes: [UInt8])]
    /// For each first byte, the positions in `tokens` (priority order) of the tokens starting with it.
    private let byFirstByte: [[Int]]

    init(vocabulary: TokenVocabulary, ids: [Int32]) {
        // llama.cpp sorts by text length only; equal lengths are ordered by id here (no vocabulary in use has two
        // equal-length split tokens that can overlap, which is the only case where that order could matter).
        let ordered = ids.map { (id: $0, bytes: vocabulary.textBytes[Int($0)]) }
            .filter { !$0.bytes.isEmpty }
            .sorted { $0.bytes.count != $1.bytes.count ? $0.bytes.count > $1.bytes.count : $0.id < $1.id }
        tokens = ordered
        var table = [[Int]](repeating: [], count: 256)
        for (rank, token) in ordered.enumerated() { table[Int(token.bytes[0])].append(rank) }
        byFirstByte = table
    }

    var isEmpty: Bool { tokens.isEmpty }

    /// The pieces of `text` in order: plain-text byte ranges and split-out token ids.
    func split(_ text: UnsafeBufferPointer<UInt8>) -> [Piece] {
        guard !tokens.isEmpty else { return text.isEmpty ? [] : [.text(0..<text.count)] }
        var occurrences: [(rank: Int, start: Int)] = []
        for start in 0..<text.count {
            for rank in byFirstByte[Int(text[start])] {
                let bytes = tokens[rank].bytes
                guard start + bytes.count <= text.count else { continue }
                var equal = true
                for k in 1..<bytes.count where text[start + k] != bytes[k] { equal = false; break }
                if equal { occurrences.append((rank, start)) }
            }
        }
        guard !occurrences.isEmpty else { return text.isEmpty ? [] : [.text(0..<text.count)] }
        occurrences.sort { $0.rank != $1.rank ? $0.rank < $1.rank : $0.start < $1.start }
        var claimedBy = [Int32](repeating: -1, count: text.count)  // rank of the claiming token, at its first byte
        var claimed = [Bool](repeating: false, count: text.count)
        for occurrence in occurrences {
            let length = tokens[occurrence.rank].bytes.count
            let span = occurrence.start..<(occurrence.start + length)
            if span.contains(where: { claimed[$0] }) { continue }
            for position in span { claimed[position] = true }
            claimedBy[occurrence.start] = Int32(occurrence.rank)
        }
        var pieces: [Piece] = []
        var position = 0, textStart = 0
        while position < text.count {
            if claimedBy[position] >= 0 {
                if textStart < position { pieces.append(.text(textStart..<position)) }
                let token = tokens[Int(claimedBy[position])]
                pieces.append(.token(token.id))
                position += token.bytes.count
                textStart = position
            } else {
                position += 1
            }
        }
        if textStart < text.count { pieces.append(.text(textStart..<text.count)) }
        return pieces
    }
}
