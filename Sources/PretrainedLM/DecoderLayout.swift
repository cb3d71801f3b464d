import Core
import Foundation
import Neural

/// Where each named tensor of a decoder lives in one flat Float32 buffer.
///
/// Names are llama.cpp's GGUF names (`token_embd.weight`, `blk.3.attn_q.weight`, ...); matrices are stored
/// [out, in] row-major like PyTorch's `nn.Linear` (which is also a GGUF tensor's byte order). Norm gains hold the
/// multiplier itself (Gemma's stored 1 + w, as in GGUF).
public struct DecoderLayout: ModelLayout {
    public typealias Entry = TensorLayout.Entry
    public let config: DecoderConfig
    public let tensors: TensorLayout

    /// The block tensor names of `config`'s architecture, without the `blk.N.` prefix, with their shapes.
    public static func blockTensors(_ config: DecoderConfig) -> [(name: String, shape: [Int])] {
        let d = config.dModel, q = config.queryWidth, kv = config.kvWidth, f = config.ffnWidth, hd = config.headDim
        var tensors: [(String, [Int])] = [("attn_norm.weight", [d]), ("attn_q.weight", [q, d]), ("attn_k.weight", [kv, d]),
                                          ("attn_v.weight", [kv, d]), ("attn_output.weight", [d, q])]
        if config.normalizesQueryKey { tensors += [("attn_q_norm.weight", [hd]), ("attn_k_norm.weight", [hd])] }
        if config.normalizesSublayerOutputs { tensors.append(("post_attention_norm.weight", [d])) }
        tensors += [("ffn_norm.weight", [d]), ("ffn_gate.weight", [f, d]), ("ffn_up.weight", [f, d]), ("ffn_down.weight", [d, f])]
        if config.normalizesSublayerOutputs { tensors.append(("post_ffw_norm.weight", [d])) }
        return tensors
    }

    public init(_ config: DecoderConfig) {
        self.config = config
        var tensors = TensorLayout()
        tensors.append("token_embd.weight", [config.vocabSize, config.dModel], layer: nil)
        let block = Self.blockTensors(config)
        for l in 0..<config.layers {
            for (name, shape) in block { tensors.append("blk.\(l).\(name)", shape, layer: l) }
        }
        tensors.append("output_norm.weight", [config.dModel], layer: nil, finalNorm: true)
        self.tensors = tensors
    }
}

/// A decoder's weights: its config plus one flat Float32 buffer laid out by `DecoderLayout`.
public typealias DecoderWeights = ModelWeights<DecoderLayout>

extension DecoderWeights {
    /// Random weights for tests and benchmarks: norm gains 1, every matrix N(0, 0.05²), drawn in layout order
    /// from `SeededRandom(seed:stream:"decoder-init")`.
    public init(config: DecoderConfig, seed: UInt64) {
        self.init(config: config, seed: seed, stream: "decoder-init") { entry in
            entry.shape.count == 2 ? .gaussian(std: 0.05) : .constant(1)
        }
    }

    /// SHA-256 of the config (canonical JSON) and the values' bytes: names a model in cache keys and results.
    public func digest() -> String {
        var hasher = SHA256()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        hasher.update(try! encoder.encode(config))
        values.withUnsafeBytes { raw in
            hasher.update(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: raw.count))
        }
        return hasher.hexDigest()
    }
}
