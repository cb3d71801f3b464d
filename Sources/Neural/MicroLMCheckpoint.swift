import Core
import Foundation

/// A trained MicroLM with its tokenizer, stored as one safetensors file.
///
/// Tensors are the `GPTLayout` names in F32; the metadata holds `format: pt`, the config (`microlm.config`, canonical
/// JSON), the tokenizer (`microlm.tokenizer`, its canonical JSON) and free-form provenance (`microlm.info`). PyTorch
/// loads the tensors with `safetensors.torch.load_file` straight into bench/microlm/model.py's `MicroLM`. The
/// digest is the SHA-256 of the file's bytes, which are deterministic (sorted names, sorted-key header).
public struct MicroLMCheckpoint: Sendable {
    public var weights: GPTWeights
    public var tokenizer: BytePairTokenizer
    public var info: [String: String]

    public init(weights: GPTWeights, tokenizer: BytePairTokenizer, info: [String: String] = [:]) {
        precondition(weights.config.vocabSize == tokenizer.vocabularySize, "model and tokenizer vocabularies differ")
        (self.weights, self.tokenizer, self.info) = (weights, tokenizer, info)
    }

    public var config: GPTConfig { weights.config }

    public func serialized() throws -> Data {
        var tensors: [String: Safetensors.Tensor] = [:]
        let layout = weights.layout
        for entry in layout.entries {
            tensors[entry.name] = .init(shape: entry.shape, values: Array(weights.values[entry.offset..<(entry.offset + entry.count)]))
        }
        let metadata = [
            "format": "pt",
            "microlm.config": try CanonicalJSON.string(weights.config),
            "microlm.tokenizer": String(decoding: try tokenizer.serialized(), as: UTF8.self),
            "microlm.info": try CanonicalJSON.string(info),
        ]
        return try Safetensors(tensors: tensors, metadata: metadata).serialized()
    }

    /// SHA-256 of `serialized()`.
    public func digest() throws -> String { SHA256.hex(try serialized()) }

    public func write(to url: URL) throws { try serialized().write(to: url, options: .atomic) }

    public init(contentsOf url: URL) throws {
        try self.init(data: try Data(contentsOf: url), name: url.path)
    }

    public init(data: Data, name: String = "<checkpoint>") throws {
        let file = try Safetensors(data: data, name: name)
        func meta(_ key: String) throws -> String {
            guard let value = file.metadata[key] else {
                throw InputError(file: name, path: "$.__metadata__", field: key, "missing: not a MicroLM checkpoint")
            }
            return value
        }
        let config: GPTConfig
        do { config = try JSONDecoder().decode(GPTConfig.self, from: Data(try meta("microlm.config").utf8)) } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: name, path: "$.__metadata__", field: "microlm.config", "invalid config: \(error)")
        }
        let tokenizer = try BytePairTokenizer(json: Data(try meta("microlm.tokenizer").utf8), name: name + " (microlm.tokenizer)")
        guard tokenizer.vocabularySize == config.vocabSize else {
            throw InputError(file: name, path: "$.__metadata__", field: "microlm.config",
                             "vocabSize \(config.vocabSize) but the tokenizer has \(tokenizer.vocabularySize) ids")
        }
        let info = (try? JSONDecoder().decode([String: String].self, from: Data(try meta("microlm.info").utf8))) ?? [:]
        let layout = GPTLayout(config)
        var values = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let tensor = try file.tensor(entry.name, file: name)
            guard tensor.shape == entry.shape else {
                throw InputError(file: name, path: "$.\(entry.name)", field: "shape", "expected \(entry.shape), found \(tensor.shape)")
            }
            values.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: tensor.values)
        }
        self.init(weights: GPTWeights(config: config, values: values), tokenizer: tokenizer, info: info)
    }
}
