/// Sentence embeddings, one row per text, stored row-major in one buffer so that BLAS can multiply them directly.
public struct EmbeddingMatrix: Sendable, Equatable, Codable {
    public let count: Int
    public let dimension: Int
    /// `count × dimension` values, row after row.
    public var values: [Float]

    public init(count: Int, dimension: Int, values: [Float]) {
        precondition(values.count == count * dimension, "\(values.count) values cannot fill \(count) × \(dimension)")
        (self.count, self.dimension, self.values) = (count, dimension, values)
    }

    /// Stacks equal-length rows.
    public init(rows: [[Float]]) {
        let dimension = rows.first?.count ?? 0
        precondition(rows.allSatisfy { $0.count == dimension }, "rows of different lengths")
        self.init(count: rows.count, dimension: dimension, values: rows.flatMap { $0 })
    }

    public subscript(row: Int) -> ArraySlice<Float> { values[(row * dimension)..<((row + 1) * dimension)] }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> EmbeddingMatrix {
        var out: [Float] = []
        out.reserveCapacity(indices.count * dimension)
        for i in indices { out.append(contentsOf: self[i]) }
        return EmbeddingMatrix(count: indices.count, dimension: dimension, values: out)
    }
}
