import Core
import GGUF

/// A tokenizer's vocabulary as GGUF stores it (`tokenizer.ggml.*`): each token's text, kind and score, the special
/// token ids, and whether encoding adds BOS/EOS. Shared by both tokenizer algorithms.
public struct TokenVocabulary: Sendable {
    /// llama.cpp's token types (`tokenizer.ggml.token_type`).
    public enum Kind: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    public let texts: [String]
    public let kinds: [Kind]
    /// SentencePiece log-probabilities (all zero when the file has none, as for BPE vocabularies).
    public let scores: [Float]
    public let bos: Int32?
    public let eos: Int32?
    public let unknown: Int32?
    public let padding: Int32?
    public let addsBOS: Bool
    public let addsEOS: Bool
    /// Each token's text as UTF-8 bytes, for byte-range look-ups.
    let textBytes: [[UInt8]]
    /// Text → id over every token, whatever its kind (llama.cpp's `text_to_token`).
    let index: ByteStringTable

    public var count: Int { texts.count }

    public init(file: GGUFFile) throws {
        texts = try file.strings("tokenizer.ggml.tokens")
        let rawKinds = file.metadata["tokenizer.ggml.token_type"] == nil
            ? [Int](repeating: Kind.normal.rawValue, count: texts.count) : try file.ints("tokenizer.ggml.token_type")
        guard rawKinds.count == texts.count else {
            throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.token_type'", "has \(rawKinds.count) entries for \(texts.count) tokens")
        }
        kinds = try rawKinds.enumerated().map { position, raw in
            guard let kind = Kind(rawValue: raw) else {
                throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.token_type'[\(position)]", "unknown token type \(raw)")
            }
            return kind
        }
        if file.metadata["tokenizer.ggml.scores"] != nil {
            scores = try file.floats("tokenizer.ggml.scores")
            guard scores.count == texts.count else {
                throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.scores'", "has \(scores.count) entries for \(texts.count) tokens")
            }
        } else {
            scores = [Float](repeating: 0, count: texts.count)
        }
        let tokenCount = texts.count
        func specialId(_ key: String) throws -> Int32? {
            guard file.metadata[key] != nil else { return nil }
            let value = try file.int(key)
            guard (0..<tokenCount).contains(value) else {
                throw InputError(file: file.name, path: "metadata key '\(key)'", "token id \(value) is outside the vocabulary of \(tokenCount)")
            }
            return Int32(value)
        }
        bos = try specialId("tokenizer.ggml.bos_token_id")
        eos = try specialId("tokenizer.ggml.eos_token_id")
        unknown = try specialId("tokenizer.ggml.unknown_token_id")
        padding = try specialId("tokenizer.ggml.padding_token_id")
        addsBOS = file.metadata["tokenizer.ggml.add_bos_token"] == nil ? false : try file.bool("tokenizer.ggml.add_bos_token")
        addsEOS = file.metadata["tokenizer.ggml.add_eos_token"] == nil ? false : try file.bool("tokenizer.ggml.add_eos_token")
        let allBytes = texts.map { Array($0.utf8) }
        textBytes = allBytes
        var table = ByteStringTable(capacity: allBytes.count)
        // When two tokens share a text, llama.cpp's map keeps the last one written: the higher id.
        for (id, bytes) in allBytes.enumerated() { table.insert(bytes, value: Int32(id)) }
        index = table
    }

    /// The id of the token whose text is exactly these bytes.
    func id(of bytes: UnsafeBufferPointer<UInt8>) -> Int32? { index.value(of: bytes) }

    func id(of text: String) -> Int32? {
        var copy = text
        return copy.withUTF8 { index.value(of: $0) }
    }

    /// Tokens that llama.cpp splits out of raw text before the tokenizer proper runs: user-defined ones always,
    /// control and unknown ones only when special tokens are parsed.
    func splitTokens(parseSpecial: Bool) -> [Int32] {
        kinds.indices.filter { kinds[$0] == .userDefined || (parseSpecial && (kinds[$0] == .control || kinds[$0] == .unknown)) }
            .map(Int32.init)
    }

    /// The frame both algorithms share: BOS/EOS as the metadata asks, split-out tokens as they are, and `plain`
    /// for each stretch of ordinary text (told whether a split-out token, or the start, precedes it).
    func encode(_ text: String, addSpecial: Bool, splitter: SpecialTokenSplitter,
                plain: (UnsafeBufferPointer<UInt8>, _ afterToken: Bool, inout [Int32]) -> Void) -> [Int32] {
        var output: [Int32] = []
        output.reserveCapacity(text.utf8.count / 3 + 2)
        if addSpecial, addsBOS, let bos { output.append(bos) }
        text.withUTF8Buffer { bytes in
            var afterToken = true
            for piece in splitter.split(bytes) {
                switch piece {
                case .token(let id):
                    output.append(id)
                    afterToken = true
                case .text(let range):
                    plain(UnsafeBufferPointer(rebasing: bytes[range]), afterToken, &output)
                    afterToken = false
                }
            }
        }
        if addSpecial, addsEOS, let eos { output.append(eos) }
        return output
    }

    /// Joins the tokens' bytes (`pieces[id]`), leaving out control and unknown tokens unless `includeSpecial`.
    func decode(_ ids: [Int32], pieces: [[UInt8]], includeSpecial: Bool) -> String {
        var bytes: [UInt8] = []
        for id in ids where id >= 0 && Int(id) < count {
            let kind = kinds[Int(id)]
            if (kind == .control || kind == .unknown) && !includeSpecial { continue }
            bytes += pieces[Int(id)]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
