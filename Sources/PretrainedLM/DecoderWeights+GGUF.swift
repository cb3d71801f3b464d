import Core
import Foundation
import GGUF

extension DecoderConfig {
    /// The config of a `llama` or `gemma3` GGUF file, from its `<arch>.*` metadata and the embedding's shape.
    ///
    /// What the file does not say comes from llama.cpp's loader (llama-model.cpp), which transformers agrees with
    /// for these models: Gemma 3's every 6th layer is global and the others slide (`set_swa_pattern(6)`), its
    /// sliding layers use RoPE base 10,000 (`rope_freq_base_train_swa`), and its attention scale is
    /// key_length^-½ (query_pre_attn_scalar = 256 = key_length for the 270M model).
    public init(gguf file: GGUFFile) throws {
        let name = try file.string("general.architecture")
        guard let architecture = Architecture(rawValue: name) else {
            throw InputError(file: file.name, path: "metadata key 'general.architecture'",
                             "architecture '\(name)' is not supported (llama, gemma3)")
        }
        let p = name + "."
        func optionalInt(_ key: String) throws -> Int? { file.metadata[p + key] == nil ? nil : try file.int(p + key) }
        let dModel = try file.int(p + "embedding_length"), heads = try file.int(p + "attention.head_count")
        let embedding = try file.tensor(named: "token_embd.weight")
        guard embedding.shape.count == 2, embedding.shape[0] == dModel else {
            throw InputError(file: file.name, path: "tensor 'token_embd.weight'", field: "shape",
                             "\(embedding.shape), expected [\(dModel), vocabulary]")
        }
        if file.tensors.contains(where: { $0.name == "output.weight" }) {
            throw InputError(file: file.name, path: "tensor 'output.weight'",
                             "an untied output head is not supported (both workbench models tie it to token_embd)")
        }
        let headDim = try optionalInt("attention.key_length") ?? dModel / heads
        let ropeBase = file.metadata[p + "rope.freq_base"] == nil ? 10_000 : Double(try file.float(p + "rope.freq_base"))
        let gemma = architecture == .gemma3
        self.init(architecture: architecture, vocabSize: embedding.shape[1], dModel: dModel,
                  layers: try file.int(p + "block_count"), heads: heads,
                  kvHeads: try optionalInt("attention.head_count_kv") ?? heads, headDim: headDim,
                  ffnWidth: try file.int(p + "feed_forward_length"),
                  normEpsilon: try file.float(p + "attention.layer_norm_rms_epsilon"), ropeBase: ropeBase,
                  localRopeBase: 10_000, slidingWindow: gemma ? try file.int(p + "attention.sliding_window") : nil,
                  slidingPattern: gemma ? 6 : nil, attentionScale: 1 / Float(headDim).squareRoot(),
                  context: try file.int(p + "context_length"))
    }
}

extension DecoderWeights {
    /// Loads a GGUF model: its config, then every tensor dequantised to Float32 once.
    ///
    /// llama.cpp's converter permutes each llama head's Q and K rows so that GGUF llama can use interleaved RoPE
    /// (pairs 2i, 2i+1): GGUF row h·hd + 2i + c is transformers' row h·hd + c·hd/2 + i. The rows are put back in
    /// transformers' order here, so one rotate-half RoPE serves both architectures (Gemma's GGUF rows are not
    /// permuted: llama.cpp runs it with NEOX RoPE). Gemma's norm weights are stored with the +1 already added.
    public init(gguf url: URL) throws {
        let file = try GGUFFile(contentsOf: url)
        try self.init(gguf: file)
    }

    public init(gguf file: GGUFFile) throws {
        let config = try DecoderConfig(gguf: file)
        let layout = DecoderLayout(config)
        var values = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let info = try file.tensor(named: entry.name)
            guard Array(info.shape.reversed()) == entry.shape else {
                throw InputError(file: file.name, path: "tensor '\(entry.name)'", field: "shape",
                                 "\(info.shape) (GGUF order), expected \(Array(entry.shape.reversed()))")
            }
            var tensor = try file.float32(info)
            let permuted = config.architecture == .llama && (entry.name.hasSuffix("attn_q.weight") || entry.name.hasSuffix("attn_k.weight"))
            if permuted { tensor = Self.unpermuteRoPERows(tensor, rowLength: entry.shape[1], headDim: config.headDim) }
            values.replaceSubrange(entry.offset..<(entry.offset + entry.count), with: tensor)
        }
        self.init(config: config, values: values)
    }

    /// Undoes llama.cpp's Q/K row permutation (see `init(gguf:)`).
    static func unpermuteRoPERows(_ rows: [Float], rowLength: Int, headDim: Int) -> [Float] {
        var out = rows
        let half = headDim / 2, heads = rows.count / rowLength / headDim
        for h in 0..<heads {
            for i in 0..<half {
                for c in 0..<2 {
                    let from = (h * headDim + 2 * i + c) * rowLength, to = (h * headDim + c * half + i) * rowLength
                    out.replaceSubrange(to..<(to + rowLength), with: rows[from..<(from + rowLength)])
                }
            }
        }
        return out
    }
}
