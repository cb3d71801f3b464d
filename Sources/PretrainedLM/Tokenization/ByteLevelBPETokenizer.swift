import Core
import GGUF

/// Byte-level byte-pair encoding (`tokenizer.ggml.model` = "gpt2"), as llama.cpp runs it: split out user-defined
/// (and, when asked, control) tokens; cut each remaining stretch into words with the pre-tokenizer the file names
/// (`tokenizer.ggml.pre`); write each word's bytes in GPT-2's byte alphabet; merge adjacent symbols, always the
/// pair with the lowest merge rank first (leftmost on ties), until no listed merge applies.
public struct ByteLevelBPETokenizer: PretrainedTokenizer {
    public let vocabulary: TokenVocabulary
    let preTokenizer: GPT2PreTokenizer
    /// (left symbol << 32 | right symbol) → (rank << 32 | merged symbol). Symbols are token ids, or ids past the
    /// vocabulary for merge results that are not tokens themselves.
    let merges: [UInt64: UInt64]
    /// Byte-level text of the symbols past the vocabulary.
    let extraSymbols: [String]
    /// The symbol of each byte's alphabet character.
    let byteSymbols: [Int32]
    /// Each token's bytes for decoding (byte-level text decoded; other kinds as written).
    let tokenBytes: [[UInt8]]
    let plainSplitter: SpecialTokenSplitter
    let specialSplitter: SpecialTokenSplitter

    /// Pre-tokenizer names (llama.cpp's `tokenizer.ggml.pre`) that use the GPT-2 pattern, and whether they cut
    /// numbers into single characters first.
    static let preTokenizers: [String: Bool] = [
        "gpt2": false, "mpt": false, "olmo": false,
        "smollm": true, "starcoder": true, "refact": true, "command-r": true, "codeshell": true, "exaone": true, "minerva-7b": true,
    ]

    public init(file: GGUFFile) throws {
        let vocabulary = try TokenVocabulary(file: file)
        self.vocabulary = vocabulary
        let pre = file.metadata["tokenizer.ggml.pre"] == nil ? "gpt2" : try file.string("tokenizer.ggml.pre")
        guard let digits = Self.preTokenizers[pre] else {
            throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.pre'",
                             "pre-tokenizer '\(pre)' is not implemented (\(Self.preTokenizers.keys.sorted().joined(separator: ", ")) are)")
        }
        preTokenizer = GPT2PreTokenizer(individualDigits: digits)

        var extra: [String] = []
        var extraIndex: [String: Int32] = [:]
        func symbol(_ text: String) -> Int32 {
            if let id = vocabulary.id(of: text) { return id }
            if let id = extraIndex[text] { return id }
            let id = Int32(vocabulary.count + extra.count)
            extra.append(text)
            extraIndex[text] = id
            return id
        }
        let mergeTexts = try file.strings("tokenizer.ggml.merges")
        var merges: [UInt64: UInt64] = [:]
        merges.reserveCapacity(mergeTexts.count)
        for (rank, text) in mergeTexts.enumerated() {
            // "left right": the separator is the first space after the first character (llama.cpp's find(' ', 1)).
            let utf8 = Array(text.utf8)
            guard utf8.count >= 3, let space = utf8[1...].firstIndex(of: 0x20) else {
                throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.merges'[\(rank)]", "'\(text)' is not two symbols separated by a space")
            }
            let left = String(decoding: utf8[..<space], as: UTF8.self), right = String(decoding: utf8[(space + 1)...], as: UTF8.self)
            let key = UInt64(UInt32(symbol(left))) << 32 | UInt64(UInt32(symbol(right)))
            // A pair listed twice keeps its first (best) rank, as llama.cpp's rank map does.
            if merges[key] == nil { merges[key] = UInt64(rank) << 32 | UInt64(UInt32(symbol(left + right))) }
        }
        byteSymbols = ByteLevelAlphabet.characters.map { symbol(String($0)) }
        self.merges = merges
        extraSymbols = extra
        tokenBytes = vocabulary.texts.indices.map { id in
            let text = vocabulary.texts[id]
            switch vocabulary.kinds[id] {
            case .normal: return ByteLevelAlphabet.decode(text) ?? Array(text.utf8)
            default: return Array(text.utf8)
            }
        }
        plainSplitter = SpecialTokenSplitter(vocabulary: vocabulary, ids: vocabulary.splitTokens(parseSpecial: false))
        specialSplitter = SpecialTokenSplitter(vocabulary: vocabulary, ids: vocabulary.splitTokens(parseSpecial: true))
    }

    public func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32] {
        vocabulary.encode(text, addSpecial: addSpecial, splitter: parseSpecial ? specialSplitter : plainSplitter) { bytes, _, output in
            encodePlain(bytes, into: &output)
        }
    }

    private func encodePlain(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
        var scalars: [Unicode.Scalar] = []
        var offsets: [Int] = []  // byte offset of each scalar, then the end
        scalars.reserveCapacity(bytes.count)
        offsets.reserveCapacity(bytes.count + 1)
        var iterator = bytes.makeIterator(), decoder = UTF8(), offset = 0
        while case .scalarValue(let scalar) = decoder.decode(&iterator) {
            scalars.append(scalar)
            offsets.append(offset)
            offset += UTF8.width(scalar)
        }
        offsets.append(offset)
        var symbols: [Int32] = []
        for word in preTokenizer.words(scalars) {
            symbols.removeAll(keepingCapacity: true)
            for position in offsets[word.lowerBound]..<offsets[word.upperBound] { symbols.append(byteSymbols[Int(bytes[position])]) }
            merge(&symbols)
            for symbol in symbols { emit(symbol, into: &output) }
        }
    }

    /// Applies merges until none applies: each round merges the lowest-ranked adjacent pair, leftmost on ties.
    private func merge(_ symbols: inout [Int32]) {
        while symbols.count > 1 {
            var best = UInt64.max, bestPosition = -1
            for i in 0..<(symbols.count - 1) {
                if let merge = merges[UInt64(UInt32(symbols[i])) << 32 | UInt64(UInt32(symbols[i + 1]))], merge < best {
                    best = merge
                    bestPosition = i
                }
            }
            guard bestPosition >= 0 else { return }
            symbols[bestPosition] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: bestPosition + 1)
        }
    }

    private func emit(_ symbol: Int32, into output: inout [Int32]) {
        if Int(symbol) < vocabulary.count { output.append(symbol); return }
        // A merge result that is no token: llama.cpp looks up each byte of its text as a one-byte token.
        for byte in extraSymbols[Int(symbol) - vocabulary.count].utf8 {
            if let id = vocabulary.id(of: String(decoding: [byte], as: UTF8.self)), byte < 0x80 { output.append(id) }
        }
    }

    public func decode(_ ids: [Int32], includeSpecial: Bool) -> String {
        vocabulary.decode(ids, pieces: tokenBytes, includeSpecial: includeSpecial)
    }
}
