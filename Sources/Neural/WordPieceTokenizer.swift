import Core
import Foundation

/// BERT's uncased WordPiece tokenizer: ``WordPieceNormalizer`` splits the text into words, then each word becomes
/// the longest vocabulary pieces that cover it, left to right (greedy longest-match-first, continuation pieces
/// prefixed with `##`). A word with a piece that matches nothing, or longer than 100 characters, becomes `[UNK]`.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyFile: modelDirectory.appendingPathComponent("vocab.txt"))
/// tokenizer.encode("Hello, world!")   // [101, 7592, 1010, 2088, 999, 102]
/// ```
public struct WordPieceTokenizer: Sendable {
    /// Token strings by id (the lines of `vocab.txt`).
    public let tokens: [String]
    private let ids: [String: Int]
    public let clsID: Int
    public let sepID: Int
    public let padID: Int
    public let unknownID: Int
    /// Words longer than this (in Unicode scalars) become `[UNK]` without being split.
    public var maxCharactersPerWord = 100

    /// Reads a `vocab.txt`: one token per line, the line number (from 0) is its id.
    public init(vocabularyFile url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(file: url.path, "cannot read the vocabulary: \(error.localizedDescription)")
        }
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines.map { $0.hasSuffix("\r") ? String($0.dropLast()) : $0 }, source: url.path)
    }

    /// A tokenizer over `tokens` (id = position); it must contain `[CLS]`, `[SEP]`, `[PAD]` and `[UNK]`.
    public init(tokens: [String], source: String = "<vocabulary>") throws {
        var ids: [String: Int] = [:]
        ids.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() {
            if ids[token] != nil { throw InputError(file: source, line: id + 1, "duplicate token '\(token)'") }
            ids[token] = id
        }
        func special(_ name: String) throws -> Int {
            guard let id = ids[name] else { throw InputError(file: source, field: name, "special token missing") }
            return id
        }
        self.tokens = tokens
        self.ids = ids
        clsID = try special("[CLS]")
        sepID = try special("[SEP]")
        padID = try special("[PAD]")
        unknownID = try special("[UNK]")
    }

    /// The token id of `token`, if it is in the vocabulary.
    public func id(of token: String) -> Int? { ids[token] }

    /// `[CLS]`, the word pieces of `text`, `[SEP]`; with `maxLength`, the pieces are cut so that the whole sequence
    /// (special tokens included) has at most `maxLength` ids, as sentence-transformers truncates (256 for MiniLM).
    public func encode(_ text: String, maxLength: Int? = nil) -> [Int] {
        var pieces = wordPieces(text)
        if let maxLength {
            precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
            if pieces.count > maxLength - 2 { pieces.removeLast(pieces.count - (maxLength - 2)) }
        }
        return [clsID] + pieces + [sepID]
    }

    /// The word-piece ids of `text`, without special tokens.
    public func wordPieces(_ text: String) -> [Int] {
        var out: [Int] = []
        for word in WordPieceNormalizer.words(text) { appendPieces(of: word, to: &out) }
        return out
    }

    private func appendPieces(of word: [Unicode.Scalar], to out: inout [Int]) {
        if word.count > maxCharactersPerWord { out.append(unknownID); return }
        let start = out.count
        var begin = 0
        while begin < word.count {
            var end = word.count
            var found: Int?
            while end > begin {
                var piece = begin > 0 ? "##" : ""
                piece.unicodeScalars.append(contentsOf: word[begin..<end])
                if let id = ids[piece] { found = id; break }
                end -= 1
            }
            guard let id = found else {
                // One unmatched piece makes the whole word unknown, as in BERT.
                out.removeLast(out.count - start)
                out.append(unknownID)
                return
            }
            out.append(id)
            begin = end
        }
    }
}
