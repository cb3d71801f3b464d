import Core
import Foundation

/// A byte-level byte-pair-encoding tokenizer (GPT-2 style) with one special token, end-of-text.
///
/// Ids 0–255 are the bytes, 256 onwards the merges in the order they were learned, and the last id is
/// `<|endoftext|>`, which separates documents and ends responses (it is never produced from text: the literal
/// string is encoded as ordinary bytes). Because every byte has an id, any text encodes, and `decode(encode(t))`
/// is `t` exactly.
///
///     let tokenizer = BytePairTokenizer.train(on: texts, vocabularySize: 2048)
///     let ids = tokenizer.encode("Hello, world")
///     let json = try tokenizer.serialized(); tokenizer.digest  // SHA-256 of the canonical JSON
public struct BytePairTokenizer: Sendable, Equatable {
    /// The learned merges, in rank order: merge i makes token 256 + i from the pair (left, right).
    public let merges: [Pair]
    public static let endOfTextText = "<|endoftext|>"

    public struct Pair: Codable, Hashable, Sendable {
        public var left: Int32
        public var right: Int32
        public init(_ left: Int32, _ right: Int32) { self.left = left; self.right = right }
        var key: UInt64 { UInt64(UInt32(left)) << 32 | UInt64(UInt32(right)) }
    }

    private let ranks: [UInt64: Int32]
    private let tokenBytes: [[UInt8]]

    public init(merges: [Pair]) throws {
        var bytes = (0..<256).map { [UInt8($0)] }
        var ranks: [UInt64: Int32] = [:]
        for (i, pair) in merges.enumerated() {
            let limit = Int32(256 + i)
            guard pair.left >= 0, pair.right >= 0, pair.left < limit, pair.right < limit else {
                throw InputError(file: "<tokenizer>", path: "$.merges[\(i)]", "merge refers to a token not yet defined")
            }
            guard ranks[pair.key] == nil else {
                throw InputError(file: "<tokenizer>", path: "$.merges[\(i)]", "duplicate merge")
            }
            ranks[pair.key] = Int32(i)
            bytes.append(bytes[Int(pair.left)] + bytes[Int(pair.right)])
        }
        self.merges = merges
        self.ranks = ranks
        self.tokenBytes = bytes
    }

    public var vocabularySize: Int { 256 + merges.count + 1 }
    public var endOfText: Int32 { Int32(256 + merges.count) }

    /// Token ids of `text` (never the end-of-text id).
    public func encode(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count / 3)
        for chunk in PreTokenizer.chunks(text) { encodeChunk(chunk, into: &out) }
        return out
    }

    /// Applies merges to one chunk lowest rank first, every occurrence of that pair left to right, as trained.
    private func encodeChunk(_ chunk: [UInt8], into out: inout [Int32]) {
        var symbols = chunk.map { Int32($0) }
        while symbols.count > 1 {
            var best = Int32.max, bestPair = Pair(0, 0)
            for i in 0..<(symbols.count - 1) {
                let pair = Pair(symbols[i], symbols[i + 1])
                if let rank = ranks[pair.key], rank < best { best = rank; bestPair = pair }
            }
            if best == Int32.max { break }
            var merged: [Int32] = []
            merged.reserveCapacity(symbols.count)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count && symbols[i] == bestPair.left && symbols[i + 1] == bestPair.right {
                    merged.append(256 + best)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        out.append(contentsOf: symbols)
    }

    /// The UTF-8 bytes of `ids`; end-of-text decodes to its literal text.
    public func decodeBytes(_ ids: [Int32]) -> [UInt8] {
        var out: [UInt8] = []
        for id in ids {
            if id == endOfText { out.append(contentsOf: Self.endOfTextText.utf8) } else { out.append(contentsOf: tokenBytes[Int(id)]) }
        }
        return out
    }

    public func decode(_ ids: [Int32]) -> String { String(decoding: decodeBytes(ids), as: UTF8.self) }

    // MARK: Serialisation

    struct Document: Codable {
        var format: String
        var merges: [[Int32]]
        var endOfText: String
    }

    /// Canonical JSON: `{"endOfText":"<|endoftext|>","format":"microlm-bpe-1","merges":[[l,r],...]}`.
    public func serialized() throws -> Data {
        try CanonicalJSON.encode(Document(format: "microlm-bpe-1", merges: merges.map { [$0.left, $0.right] },
                                          endOfText: Self.endOfTextText))
    }

    /// SHA-256 of the canonical JSON: equal merges, equal digest.
    public var digest: String { SHA256.hex((try? serialized()) ?? Data()) }

    public init(json: Data, name: String = "<tokenizer>") throws {
        let document: Document
        do { document = try JSONDecoder().decode(Document.self, from: json) } catch {
            throw InputError(file: name, path: "$", "not a MicroLM tokenizer: \(error)")
        }
        guard document.format == "microlm-bpe-1" else {
            throw InputError(file: name, path: "$.format", field: "format", "unknown format \(document.format)")
        }
        var pairs: [Pair] = []
        for (i, merge) in document.merges.enumerated() {
            guard merge.count == 2 else { throw InputError(file: name, path: "$.merges[\(i)]", "a merge is a pair of ids") }
            pairs.append(Pair(merge[0], merge[1]))
        }
        do { try self.init(merges: pairs) } catch var error as InputError {
            error.file = name
            throw error
        }
    }
}
