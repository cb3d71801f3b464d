import Core

/// Where each named tensor of a MicroLM lives in one flat Float buffer.
///
/// Names and shapes follow nanoGPT/GPT-2 (`wte.weight`, `h.0.attn.c_attn.weight`, ...) with linear weights stored
/// as PyTorch's `nn.Linear` does, [out, in], so a checkpoint loads into the PyTorch reference model as it is.
public struct GPTLayout: ModelLayout {
    public typealias Entry = TensorLayout.Entry
    public let tensors: TensorLayout

    public init(_ config: GPTConfig) {
        let d = config.dModel, f = config.mlpWidth
        var tensors = TensorLayout()
        func add(_ name: String, _ shape: [Int], layer: Int? = nil, finalNorm: Bool = false) {
            tensors.append(name, shape, layer: layer, finalNorm: finalNorm)
        }
        add("wte.weight", [config.vocabSize, d])
        add("wpe.weight", [config.context, d])
        for l in 0..<config.layers {
            let p = "h.\(l)."
            add(p + "ln_1.weight", [d], layer: l); add(p + "ln_1.bias", [d], layer: l)
            add(p + "attn.c_attn.weight", [3 * d, d], layer: l); add(p + "attn.c_attn.bias", [3 * d], layer: l)
            add(p + "attn.c_proj.weight", [d, d], layer: l); add(p + "attn.c_proj.bias", [d], layer: l)
            add(p + "ln_2.weight", [d], layer: l); add(p + "ln_2.bias", [d], layer: l)
            add(p + "mlp.c_fc.weight", [f, d], layer: l); add(p + "mlp.c_fc.bias", [f], layer: l)
            add(p + "mlp.c_proj.weight", [d, f], layer: l); add(p + "mlp.c_proj.bias", [d], layer: l)
        }
        add("ln_f.weight", [d], finalNorm: true); add("ln_f.bias", [d], finalNorm: true)
        self.tensors = tensors
    }
}

/// A MicroLM's weights: its config plus one flat buffer laid out by `GPTLayout`.
public typealias GPTWeights = ModelWeights<GPTLayout>

extension GPTWeights {
    /// GPT-2 initialisation: weights N(0, 0.02), the two residual projections of each block N(0, 0.02/√(2·layers))
    /// so the residual stream's variance does not grow with depth; biases 0, LayerNorm gains 1. Draws come from
    /// `SeededRandom(seed:stream:"gpt-init")` in layout order.
    public init(config: GPTConfig, seed: UInt64) {
        let residualStd = 0.02 / Double(2 * config.layers).squareRoot()
        self.init(config: config, seed: seed, stream: "gpt-init") { entry in
            if entry.name.hasSuffix(".bias") { return .constant(0) }
            if entry.name.contains("ln_") { return .constant(1) }
            return .gaussian(std: entry.name.hasSuffix("c_proj.weight") ? residualStd : 0.02)
        }
    }
}
