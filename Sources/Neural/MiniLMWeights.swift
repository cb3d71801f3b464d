import Core
import Foundation

/// The shape of a BERT encoder, read from a Hugging Face `config.json`.
public struct MiniLMConfig: Codable, Hashable, Sendable {
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    public var intermediate: Int
    public var vocabulary: Int
    public var maxPositions: Int
    public var layerNormEpsilon: Float

    /// all-MiniLM-L6-v2: 6 layers, hidden 384, 12 heads, FFN 1536.
    public static let allMiniLML6v2 = MiniLMConfig(layers: 6, hidden: 384, heads: 12, intermediate: 1536,
                                                   vocabulary: 30522, maxPositions: 512, layerNormEpsilon: 1e-12)

    public init(layers: Int, hidden: Int, heads: Int, intermediate: Int, vocabulary: Int, maxPositions: Int,
                layerNormEpsilon: Float) {
        self.layers = layers; self.hidden = hidden; self.heads = heads; self.intermediate = intermediate
        self.vocabulary = vocabulary; self.maxPositions = maxPositions; self.layerNormEpsilon = layerNormEpsilon
    }

    /// Reads `config.json`; the encoder supports BERT with GELU, absolute positions and widths divisible by 16.
    public init(contentsOf url: URL) throws {
        let file = url.path
        guard let json = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw InputError(file: file, path: "$", "config is not a JSON object")
        }
        func int(_ key: String) throws -> Int {
            guard let value = json[key] as? Int else { throw InputError(file: file, path: "$.\(key)", "integer expected") }
            return value
        }
        if let act = json["hidden_act"] as? String, act != "gelu" {
            throw InputError(file: file, path: "$.hidden_act", "only 'gelu' (erf) is supported, found '\(act)'")
        }
        self.init(layers: try int("num_hidden_layers"), hidden: try int("hidden_size"), heads: try int("num_attention_heads"),
                  intermediate: try int("intermediate_size"), vocabulary: try int("vocab_size"),
                  maxPositions: try int("max_position_embeddings"),
                  layerNormEpsilon: Float((json["layer_norm_eps"] as? Double) ?? 1e-12))
        guard hidden % heads == 0, hidden % 16 == 0, intermediate % 16 == 0 else {
            throw InputError(file: file, path: "$.hidden_size", "hidden \(hidden) and FFN \(intermediate) must be multiples of 16 and of the head count")
        }
    }
}

/// The encoder's weights, rearranged for row-major products: query, key and value stacked into one
/// [3·hidden × hidden] matrix (the query rows pre-scaled by 1/√head size) so one product makes all three.
struct MiniLMWeights: Sendable {
    struct Layer: Sendable {
        var qkv: [Float], qkvBias: [Float]
        var output: [Float], outputBias: [Float], attentionNormGamma: [Float], attentionNormBeta: [Float]
        var ffnIn: [Float], ffnInBias: [Float], ffnOut: [Float], ffnOutBias: [Float]
        var outputNormGamma: [Float], outputNormBeta: [Float]
    }
    var wordEmbeddings: [Float], positionEmbeddings: [Float], tokenTypeEmbedding: [Float]
    var embeddingNormGamma: [Float], embeddingNormBeta: [Float]
    var layers: [Layer]

    init(file url: URL, config: MiniLMConfig) throws {
        let st = try Safetensors(data: try Self.floatTensorsOnly(Data(contentsOf: url, options: .alwaysMapped), name: url.path), name: url.path)
        func tensor(_ name: String, _ shape: [Int]) throws -> [Float] {
            let t = try st.tensor(name, file: url.path)
            guard t.shape == shape else {
                throw InputError(file: url.path, field: name, "shape \(t.shape) where \(shape) is expected")
            }
            return t.values
        }
        let h = config.hidden, f = config.intermediate
        wordEmbeddings = try tensor("embeddings.word_embeddings.weight", [config.vocabulary, h])
        positionEmbeddings = try tensor("embeddings.position_embeddings.weight", [config.maxPositions, h])
        tokenTypeEmbedding = Array(try tensor("embeddings.token_type_embeddings.weight", [2, h]).prefix(h))
        embeddingNormGamma = try tensor("embeddings.LayerNorm.weight", [h])
        embeddingNormBeta = try tensor("embeddings.LayerNorm.bias", [h])
        let scale = 1 / Float(h / config.heads).squareRoot()
        layers = try (0..<config.layers).map { i in
            let p = "encoder.layer.\(i)."
            let q = try tensor(p + "attention.self.query.weight", [h, h]).map { $0 * scale }
            let qb = try tensor(p + "attention.self.query.bias", [h]).map { $0 * scale }
            return Layer(
                qkv: q + (try tensor(p + "attention.self.key.weight", [h, h])) + (try tensor(p + "attention.self.value.weight", [h, h])),
                qkvBias: qb + (try tensor(p + "attention.self.key.bias", [h])) + (try tensor(p + "attention.self.value.bias", [h])),
                output: try tensor(p + "attention.output.dense.weight", [h, h]),
                outputBias: try tensor(p + "attention.output.dense.bias", [h]),
                attentionNormGamma: try tensor(p + "attention.output.LayerNorm.weight", [h]),
                attentionNormBeta: try tensor(p + "attention.output.LayerNorm.bias", [h]),
                ffnIn: try tensor(p + "intermediate.dense.weight", [f, h]),
                ffnInBias: try tensor(p + "intermediate.dense.bias", [f]),
                ffnOut: try tensor(p + "output.dense.weight", [h, f]),
                ffnOutBias: try tensor(p + "output.dense.bias", [h]),
                outputNormGamma: try tensor(p + "output.LayerNorm.weight", [h]),
                outputNormBeta: try tensor(p + "output.LayerNorm.bias", [h]))
        }
    }

    /// The same safetensors bytes with non-float entries (BERT's I64 `position_ids` buffer) dropped from the header,
    /// so that `Safetensors` (which reads floats only) can load the rest; data offsets are relative, so they stay valid.
    static func floatTensorsOnly(_ data: Data, name: String) throws -> Data {
        guard data.count >= 8 else { throw InputError(file: name, "file shorter than the 8-byte safetensors header") }
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        guard length <= data.count - 8,
              var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + length))) as? [String: Any]
        else { throw InputError(file: name, path: "$", "unreadable safetensors header") }
        let floats: Set<String> = ["F32", "F16", "BF16"]
        let dropped = header.filter { key, value in
            key != "__metadata__" && !floats.contains(((value as? [String: Any])?["dtype"] as? String) ?? "")
        }.keys
        if dropped.isEmpty { return data }
        for key in dropped { header.removeValue(forKey: key) }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out = Data(capacity: 8 + headerBytes.count + data.count - 8 - length)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(headerBytes)
        out.append(data.subdata(in: (8 + length)..<data.count))
        return out
    }
}
