import Core
import Neural

extension DecoderWeights {
    /// The transformers name of one of our tensors (`blk.0.attn_q.weight` → `model.layers.0.self_attn.q_proj.weight`).
    /// Llama's second norm is transformers' `post_attention_layernorm` (it precedes the MLP); Gemma 3's is
    /// `pre_feedforward_layernorm`, and its `post_attention_layernorm` is the norm on the attention output.
    public static func huggingFaceName(_ name: String, architecture: DecoderConfig.Architecture) -> String {
        if name == "token_embd.weight" { return "model.embed_tokens.weight" }
        if name == "output_norm.weight" { return "model.norm.weight" }
        let parts = name.split(separator: ".", maxSplits: 2)
        let layer = parts[1], tensor = String(parts[2])
        let mapped: String
        switch tensor {
        case "attn_norm.weight": mapped = "input_layernorm.weight"
        case "attn_q.weight": mapped = "self_attn.q_proj.weight"
        case "attn_k.weight": mapped = "self_attn.k_proj.weight"
        case "attn_v.weight": mapped = "self_attn.v_proj.weight"
        case "attn_output.weight": mapped = "self_attn.o_proj.weight"
        case "attn_q_norm.weight": mapped = "self_attn.q_norm.weight"
        case "attn_k_norm.weight": mapped = "self_attn.k_norm.weight"
        case "post_attention_norm.weight": mapped = "post_attention_layernorm.weight"
        case "ffn_norm.weight": mapped = architecture == .gemma3 ? "pre_feedforward_layernorm.weight" : "post_attention_layernorm.weight"
        case "post_ffw_norm.weight": mapped = "post_feedforward_layernorm.weight"
        case "ffn_gate.weight": mapped = "mlp.gate_proj.weight"
        case "ffn_up.weight": mapped = "mlp.up_proj.weight"
        case "ffn_down.weight": mapped = "mlp.down_proj.weight"
        default: mapped = tensor
        }
        return "model.layers.\(layer).\(mapped)"
    }

    /// Weights from a transformers checkpoint's tensors (names as `huggingFaceName` gives them, after `prefix`).
    /// Gemma's norm weights are stored there as offsets from 1; they become the multiplier itself, as in GGUF.
    public init(huggingFace file: Safetensors, config: DecoderConfig, prefix: String = "", source: String = "<safetensors>") throws {
        let layout = DecoderLayout(config)
        var values = [Float](repeating: 0, count: layout.count)
        for entry in layout.entries {
            let name = prefix + Self.huggingFaceName(entry.name, architecture: config.architecture)
            let tensor = try file.tensor(name, file: source)
            guard tensor.shape == entry.shape else {
                throw InputError(file: source, field: name, "shape \(tensor.shape), expected \(entry.shape) for \(entry.name)")
            }
            let offset = config.architecture == .gemma3 && entry.name.hasSuffix("norm.weight") ? Float(1) : 0
            for i in 0..<entry.count { values[entry.offset + i] = tensor.values[i] + offset }
        }
        self.init(config: config, values: values)
    }
}
