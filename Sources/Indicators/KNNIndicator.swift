import Core
import Foundation
import Neural

/// Everything a KNN-i value depends on. Stored with every value: a change of any field is a different indicator,
/// never an overwrite.
public struct KNNVariant: Codable, Hashable, Sendable {
    /// Which neighbour (InstructMining: 6).
    public var i: Int
    public var metric: KNNMetric
    /// Which text was embedded, e.g. ``EmbeddingText/instructionInputResponse``.
    public var text: String
    public var model: String
    /// SHA-256 of the encoder's weights file.
    public var modelDigest: String
    public var maxSequenceLength: Int
    /// The reference pool's name and the SHA-256 of its example ids in order.
    public var pool: String
    public var poolDigest: String

    /// The indicator's name in tables, e.g. `knn6`.
    public var name: String { "knn\(i)" }
}

/// KNN-i for a set of examples against a pool, from text to values with provenance.
public enum KNNIndicator {
    /// Embeds `texts` (one per example, ids in the same order) and returns each one's KNN-i within that same set,
    /// the paper's setting: the pool is the dataset being scored.
    public static func compute(texts: [String], ids: [String], poolName: String, encoder: MiniLMEncoder,
                               i: Int = 6, metric: KNNMetric = .cosine,
                               text: String = EmbeddingText.instructionInputResponse,
                               progress: Core.Progress? = nil) throws -> (variant: KNNVariant, values: [Double]) {
        precondition(texts.count == ids.count, "one id per text")
        let embeddings = encoder.embed(texts, progress: progress)
        progress?.finish()
        let neighbours = try KNNSearch.ithNeighbours(of: embeddings, i: i, metric: metric)
        let variant = KNNVariant(i: i, metric: metric, text: text, model: MiniLMEncoder.modelName,
                                 modelDigest: try encoder.weightsDigest, maxSequenceLength: encoder.maxSequenceLength,
                                 pool: poolName, poolDigest: SHA256.hex(ids.joined(separator: "\n")))
        return (variant, neighbours.distances.map(Double.init))
    }
}
