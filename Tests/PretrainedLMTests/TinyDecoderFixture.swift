import Foundation
import Neural
@testable import PretrainedLM
import XCTest

/// A tiny random llama or gemma3 model with PyTorch's loss, logits and gradients on one batch
/// (bench/pretrained-lm/make_tiny_fixtures.py).
struct TinyDecoderFixture {
    var weights: DecoderWeights
    var batch: TokenBatch
    var loss: Double
    var logits: [Float]
    var gradients: [String: [Float]]
    var file: Safetensors

    static func load(_ name: String) throws -> TinyDecoderFixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/tiny_\(name).safetensors")
        let file = try Safetensors(contentsOf: url)
        let raw = try JSONSerialization.jsonObject(with: Data(file.metadata["config"]!.utf8)) as! [String: Any]
        func int(_ key: String) -> Int { raw[key] as! Int }
        let architecture = DecoderConfig.Architecture(rawValue: raw["architecture"] as! String)!
        let heads = int("num_attention_heads")
        let headDim = (raw["head_dim"] as? Int) ?? int("hidden_size") / heads
        var pattern: Int?
        if let types = raw["layer_types"] as? [String], let global = types.firstIndex(of: "full_attention") { pattern = global + 1 }
        let config = DecoderConfig(
            architecture: architecture, vocabSize: int("vocab_size"), dModel: int("hidden_size"),
            layers: int("num_hidden_layers"), heads: heads, kvHeads: int("num_key_value_heads"), headDim: headDim,
            ffnWidth: int("intermediate_size"), normEpsilon: Float(raw["rms_norm_eps"] as! Double),
            ropeBase: raw["rope_theta"] as! Double, localRopeBase: (raw["rope_local_theta"] as? Double) ?? 10_000,
            slidingWindow: raw["sliding_window"] as? Int, slidingPattern: pattern,
            attentionScale: (raw["query_pre_attn_scalar"] as? Double).map { Float(1 / $0.squareRoot()) },
            context: int("max_position_embeddings"))
        let weights = try DecoderWeights(huggingFace: file, config: config, prefix: "weight/", source: url.lastPathComponent)
        var gradients: [String: [Float]] = [:]
        for entry in weights.layout.entries {
            gradients[entry.name] = try file.tensor("grad/" + DecoderWeights.huggingFaceName(entry.name, architecture: architecture)).values
        }
        let tokens = try file.tensor("batch/tokens"), targets = try file.tensor("batch/targets")
        let batch = TokenBatch(batch: tokens.shape[0], length: tokens.shape[1],
                               tokens: tokens.values.map { Int32($0) }, targets: targets.values.map { Int32($0) })
        return TinyDecoderFixture(weights: weights, batch: batch, loss: Double(file.metadata["loss"]!)!,
                                  logits: try file.tensor("logits").values, gradients: gradients, file: file)
    }

    /// Largest |ours − theirs| over the largest |theirs|: the relative error every check below reports.
    static func relativeError(_ ours: some Collection<Float>, _ theirs: [Float]) -> Float {
        let scale = theirs.map(abs).max()!
        return zip(ours, theirs).map { abs($0 - $1) }.max()! / max(scale, 1e-30)
    }
}
