import Core
import GGUF

/// SentencePiece-style tokenization (`tokenizer.ggml.model` = "llama", e.g. Gemma), as llama.cpp runs it: split
/// out user-defined (and, when asked, control) tokens; in each remaining stretch write spaces as "▁" (U+2581),
/// prefixing one when `tokenizer.ggml.add_space_prefix` says so; start from single characters and keep merging the
/// adjacent pair whose joined text is the highest-scoring token (leftmost on ties); finally write any symbol that
/// is no token as its bytes' `<0xXX>` tokens (byte fallback).
public struct SentencePieceTokenizer: PretrainedTokenizer {
    public let vocabulary: TokenVocabulary
    public let addsSpacePrefix: Bool
    /// The `<0xXX>` token of each byte.
    let byteTokens: [Int32]
    let tokenBytes: [[UInt8]]
    let plainSplitter: SpecialTokenSplitter
    let specialSplitter: SpecialTokenSplitter

    static let spaceMark: [UInt8] = Array("\u{2581}".utf8)

    public init(file: GGUFFile) throws {
        let vocabulary = try TokenVocabulary(file: file)
        self.vocabulary = vocabulary
        addsSpacePrefix = file.metadata["tokenizer.ggml.add_space_prefix"] == nil ? true : try file.bool("tokenizer.ggml.add_space_prefix")
        byteTokens = try (0..<256).map { byte in
            let text = "<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">"
            guard let id = vocabulary.id(of: text) ?? vocabulary.id(of: String(decoding: [UInt8(byte)], as: UTF8.self)) else {
                throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.tokens'", "no byte-fallback token \(text)")
            }
            return id
        }
        tokenBytes = vocabulary.texts.indices.map { id in
            let text = vocabulary.texts[id]
            switch vocabulary.kinds[id] {
            case .byte:
                let hex = text.utf8.count == 6 ? UInt8(text.dropFirst(3).prefix(2), radix: 16) : nil
                return hex.map { [$0] } ?? Array(text.utf8)
            case .normal:
                return Array(text.replacingSpaceMarks().utf8)
            default:
                return Array(text.utf8)
            }
        }
        plainSplitter = SpecialTokenSplitter(vocabulary: vocabulary, ids: vocabulary.splitTokens(parseSpecial: false))
        specialSplitter = SpecialTokenSplitter(vocabulary: vocabulary, ids: vocabulary.splitTokens(parseSpecial: true))
    }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        vocabulary.encode(text, addSpecial: addSpecial, splitter: parseSpecial ? specialSplitter : plainSplitter) { bytes, afterToken, output in
            var escaped: [UInt8] = []
            escaped.reserveCapacity(bytes.count + 8)
            // The space prefix goes at the start and after each split-out token (llama.cpp's is_prev_special).
            if addsSpacePrefix && afterToken { escaped += Self.spaceMark }
            for byte in bytes {
                if byte == 0x20 { escaped += Self.spaceMark } else { escaped.append(byte) }
            }
            escaped.withUnsafeBufferPointer { encodePlain($0, into: &output) }
        }
    }

    private struct Bigram {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32
    }

    private func encodePlain(_ text: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        // Symbols are byte ranges of `text`: start, length (0 once merged away), and neighbours in a linked list.
        var start: [Int32] = [], length: [Int32] = [], previous: [Int32] = [], next: [Int32] = []
        var offset = 0
        while offset < text.count {
            let width = min(Self.utf8Width(text[offset]), text.count - offset)
            previous.append(Int32(start.count) - 1)
            start.append(Int32(offset))
            length.append(Int32(width))
            offset += width
            next.append(offset == text.count ? -1 : Int32(start.count))
        }
        var queue = PriorityQueue<Bigram> { $0.score > $1.score || ($0.score == $1.score && $0.left < $1.left) }
        func consider(_ left: Int32, _ right: Int32) {
            guard left >= 0, right >= 0 else { return }
            let size = Int(length[Int(left)] + length[Int(right)])
            let bytes = UnsafeBufferPointer(rebasing: text[Int(start[Int(left)])..<(Int(start[Int(left)]) + size)])
            guard let id = vocabulary.id(of: bytes) else { return }
            queue.push(Bigram(score: vocabulary.scores[Int(id)], left: left, right: right, size: Int32(size)))
        }
        for i in 1..<max(1, start.count) { consider(Int32(i - 1), Int32(i)) }
        while let bigram = queue.pop() {
            let left = Int(bigram.left), right = Int(bigram.right)
            // Skip pairs whose symbols changed since they were queued.
            guard length[left] > 0, length[right] > 0, length[left] + length[right] == bigram.size else { continue }
            length[left] += length[right]
            length[right] = 0
            next[left] = next[right]
            if next[right] >= 0 { previous[Int(next[right])] = Int32(left) }
            consider(previous[left], Int32(left))
            consider(Int32(left), next[left])
        }
        var symbol: Int32 = start.isEmpty ? -1 : 0
        while symbol >= 0 {
            let s = Int(symbol)
            let bytes = UnsafeBufferPointer(rebasing: text[Int(start[s])..<Int(start[s] + length[s])])
            if let id = vocabulary.id(of: bytes) {
                output.append(id)
            } else {
                for byte in bytes { output.append(byteTokens[Int(byte)]) }
            }
            symbol = next[s]
        }
    }

    /// Bytes in the UTF-8 sequence a lead byte starts (1 for stray continuation bytes, as llama.cpp counts them).
    static func utf8Width(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xF: 4
        case 0xE: 3
        case 0xC, 0xD: 2
        default: 1
        }
    }

    public func decode(_ ids: [Int32], includeSpecial: Bool) -> String {
        vocabulary.decode(ids, pieces: tokenBytes, includeSpecial: includeSpecial)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }

    func replacingSpaceMarks() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{2581}" ? " " : $0 }))
    }
}
