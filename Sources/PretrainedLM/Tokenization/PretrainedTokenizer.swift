import Foundation
import Core
import GGUF

/// A real model's tokenizer, built from its GGUF metadata, that gives the same ids as llama.cpp.
///
/// `encode(text)` tokenizes plain text: control tokens written in it (such as "<|im_start|>") are text, not
/// tokens. Pass `parseSpecial: true` for text made by a chat template, where they are meant as tokens, and
/// `addSpecial: true` to add BOS/EOS as the model's metadata asks (`tokenizer.ggml.add_bos_token`, …).
public protocol PretrainedTokenizer: Sendable {
    var vocabulary: TokenVocabulary { get }
    func encode(_ text: String, addSpecial: Bool, parseSpecial: Bool) -> [Int32]
    /// The text of `ids`; control tokens (BOS, turn markers) are left out unless `includeSpecial`.
    func decode(_ ids: [Int32], includeSpecial: Bool) -> String
}

extension PretrainedTokenizer {
    public func encode(_ text: String) -> [Int32] { encode(text, addSpecial: false, parseSpecial: false) }
    public func decode(_ ids: [Int32]) -> String { decode(ids, includeSpecial: false) }
}

/// Chooses the tokenizer a GGUF file asks for (`tokenizer.ggml.model`).
public enum PretrainedTokenizers {
    public static func load(from file: GGUFFile) throws -> any PretrainedTokenizer {
        let model = try file.string("tokenizer.ggml.model")
        switch model {
        case "gpt2": return try ByteLevelBPETokenizer(file: file)
        case "llama": return try SentencePieceTokenizer(file: file)
        default:
            throw InputError(file: file.name, path: "metadata key 'tokenizer.ggml.model'", "tokenizer model '\(model)' is not supported (gpt2, llama are)")
        }
    }
}

extension String {
    /// The UTF-8 bytes as a buffer for the duration of `body`, without copying when the string is native.
    func withUTF8Buffer<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var copy = self
        return copy.withUTF8(body)
    }
}

extension PretrainedTokenizer {
    /// Encodes many texts on all cores; the result is in input order and the same as encoding one by one.
    public func encode(all texts: [String], addSpecial: Bool = false, parseSpecial: Bool = false) -> [[Int32]] {
        let results = UnsafeMutableBufferPointer<[Int32]>.allocate(capacity: texts.count)
        results.initialize(repeating: [])
        defer { results.deallocate() }
        let workers = min(texts.count, ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: texts.count, by: workers) {
                results[index] = encode(texts[index], addSpecial: addSpecial, parseSpecial: parseSpecial)
            }
        }
        return Array(results)
    }
}
