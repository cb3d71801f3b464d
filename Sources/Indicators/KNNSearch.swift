import CBLAS
import Core
import Foundation
import Neural

/// How KNN-i measures the distance between two embeddings.
public enum KNNMetric: String, Codable, Sendable, CaseIterable {
    /// 1 − cos(a, b). Rows are L2-normalised first, so any embeddings work; MiniLM's already are.
    case cosine
    /// ‖a − b‖₂ (the root of what faiss's IndexFlatL2 reports).
    case euclidean
}

/// The i-th nearest neighbour of each query: its distance and its row in the pool.
public struct KNNNeighbours: Sendable, Equatable, Codable {
    public var distances: [Float]
    public var indices: [Int]

    public init(distances: [Float], indices: [Int]) {
        self.distances = distances
        self.indices = indices
    }
}

public struct KNNError: Error, CustomStringConvertible, Equatable {
    public var description: String
}

/// Exact nearest-neighbour search over embeddings, by blocks of BLAS matrix products (no approximation).
///
/// KNN-i of an example is the distance from its embedding to its i-th nearest neighbour in a reference pool
/// (InstructMining uses i = 6). Conventions, chosen so the value depends on the data and nothing else:
/// - *Self* is excluded by position only: when the queries are the pool, query r never counts pool row r.
///   An exact duplicate of a text at another row is a genuine neighbour at distance 0; de-duplicate the pool first
///   if that is not wanted.
/// - *Ties*: neighbours are ranked by (distance, pool row), so the reported row is the lowest among equals; the
///   i-th distance itself does not depend on how ties are broken.
/// - Candidates are ranked with Float products and the closest few re-measured in Double, so the reported distances
///   match a Double brute force to about 1e-7, near-duplicates included.
///
/// ```swift
/// let knn6 = try KNNSearch.ithNeighbours(of: embeddings, i: 6)        // pool = the dataset itself
/// let unseen = try KNNSearch.ithNeighbours(queries: candidates, pool: reference, i: 6, metric: .euclidean)
/// ```
public enum KNNSearch {
    /// KNN-i of every row of `pool` within `pool` itself, excluding the row itself.
    public static func ithNeighbours(of pool: EmbeddingMatrix, i: Int, metric: KNNMetric = .cosine) throws -> KNNNeighbours {
        try ithNeighbours(queries: pool, pool: pool, i: i, metric: metric, excludingSelf: true)
    }

    /// KNN-i of every query row within `pool`; with `excludingSelf`, query r and pool row r are the same item.
    /// Products are formed `blockRows` queries × `blockColumns` pool rows at a time (memory: their product × 4 bytes).
    public static func ithNeighbours(queries: EmbeddingMatrix, pool: EmbeddingMatrix, i: Int,
                                     metric: KNNMetric = .cosine, excludingSelf: Bool = false,
                                     blockRows: Int = 128, blockColumns: Int = 4096,
                                     progress: Core.Progress? = nil) throws -> KNNNeighbours {
        guard queries.dimension == pool.dimension else {
            throw KNNError(description: "queries have dimension \(queries.dimension), the pool \(pool.dimension)")
        }
        guard i >= 1 else { throw KNNError(description: "i must be at least 1, got \(i)") }
        if excludingSelf, queries.count != pool.count {
            throw KNNError(description: "excludingSelf needs the queries to be the pool (\(queries.count) vs \(pool.count) rows)")
        }
        // One NaN row would silently poison every ranking it takes part in.
        if let bad = queries.values.firstIndex(where: { !$0.isFinite }) {
            throw KNNError(description: "query row \(bad / queries.dimension) has a non-finite value")
        }
        if let bad = pool.values.firstIndex(where: { !$0.isFinite }) {
            throw KNNError(description: "pool row \(bad / pool.dimension) has a non-finite value")
        }
        let candidates = pool.count - (excludingSelf ? 1 : 0)
        guard candidates >= i else {
            throw KNNError(description: "the pool has \(candidates) candidate neighbours, fewer than i = \(i)")
        }
        let q = metric == .cosine ? normalised(queries) : queries
        let p = metric == .cosine ? normalised(pool) : pool
        let queryNorms = squaredNorms(q), poolNorms = squaredNorms(p)
        var result = KNNNeighbours(distances: [Float](repeating: 0, count: q.count), indices: [Int](repeating: 0, count: q.count))
        let blocks = (q.count + blockRows - 1) / blockRows
        let workers = min(blocks, ProcessInfo.processInfo.activeProcessorCount)
        withSingleThreadedBLAS {
            q.values.withUnsafeBufferPointer { qp in
            p.values.withUnsafeBufferPointer { pp in
            result.distances.withUnsafeMutableBufferPointer { distances in
            result.indices.withUnsafeMutableBufferPointer { indices in
                let (distances, indices) = (distances, indices)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    let products = UnsafeMutablePointer<Float>.allocate(capacity: blockRows * blockColumns)
                    defer { products.deallocate() }
                    for block in stride(from: worker, to: blocks, by: workers) {
                        let rows = (block * blockRows)..<min(q.count, (block + 1) * blockRows)
                        var best = rows.map { _ in NearestList(capacity: min(candidates, i + rerankMargin)) }
                        for start in stride(from: 0, to: p.count, by: blockColumns) {
                            let columns = start..<min(p.count, start + blockColumns)
                            // products[r][c] = query r · pool column c
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(columns.count),
                                        Int32(q.dimension), 1, qp.baseAddress! + rows.lowerBound * q.dimension,
                                        Int32(q.dimension), pp.baseAddress! + start * p.dimension, Int32(p.dimension),
                                        0, products, Int32(columns.count))
                            for (offset, row) in rows.enumerated() {
                                let dots = products + offset * columns.count
                                for (c, column) in columns.enumerated() where !(excludingSelf && column == row) {
                                    let distance: Float = metric == .cosine ? 1 - dots[c]
                                        : max(0, queryNorms[row] + poolNorms[column] - 2 * dots[c])
                                    best[offset].offer(distance, column)
                                }
                            }
                        }
                        for (offset, row) in rows.enumerated() {
                            let (distance, index) = rerank(best[offset], query: qp.baseAddress! + row * q.dimension,
                                                           pool: pp.baseAddress!, dimension: q.dimension, i: i, metric: metric)
                            distances[row] = distance
                            indices[row] = index
                        }
                        progress?.advance(by: rows.count)
                    }
                }
            }
            }
            }
            }
        }
        return result
    }

    /// Float products rank the candidates; the closest `i + rerankMargin` are then measured again in Double, so
    /// near-duplicates get exact distances (‖a‖² + ‖b‖² − 2a·b loses everything to cancellation when a ≈ b).
    static let rerankMargin = 8

    static func rerank(_ list: NearestList, query: UnsafePointer<Float>, pool: UnsafePointer<Float>, dimension: Int,
                       i: Int, metric: KNNMetric) -> (Float, Int) {
        var exact: [(distance: Double, row: Int)] = list.items.map { item in
            let p = pool + item.row * dimension
            var sum = 0.0
            for j in 0..<dimension {
                if metric == .cosine { sum += Double(query[j]) * Double(p[j]) } else {
                    let d = Double(query[j]) - Double(p[j]); sum += d * d
                }
            }
            return (metric == .cosine ? 1 - sum : sum.squareRoot(), item.row)
        }
        exact.sort { ($0.distance, $0.row) < ($1.distance, $1.row) }
        return (Float(exact[i - 1].distance), exact[i - 1].row)
    }

    public static func normalised(_ m: EmbeddingMatrix) -> EmbeddingMatrix {
        var values = m.values
        for r in 0..<m.count {
            let range = (r * m.dimension)..<((r + 1) * m.dimension)
            let norm = values[range].reduce(Double(0)) { $0 + Double($1) * Double($1) }.squareRoot()
            if norm > 0 { for j in range { values[j] = Float(Double(values[j]) / norm) } }
        }
        return EmbeddingMatrix(count: m.count, dimension: m.dimension, values: values)
    }

    static func squaredNorms(_ m: EmbeddingMatrix) -> [Float] {
        (0..<m.count).map { r in m[r].reduce(Float(0)) { $0 + $1 * $1 } }
    }

    /// Runs `body` with OpenBLAS on one thread (the search splits blocks across cores itself), then restores it.
    static func withSingleThreadedBLAS(_ body: () -> Void) {
        let threads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        defer { openblas_set_num_threads(threads) }
        body()
    }
}

/// The `capacity` smallest (distance, row) pairs seen so far, sorted ascending; ties go to the lower row.
struct NearestList {
    private(set) var items: [(distance: Float, row: Int)] = []
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        items.reserveCapacity(capacity + 1)
    }

    @inline(__always)
    mutating func offer(_ distance: Float, _ row: Int) {
        if items.count == capacity {
            let worst = items[capacity - 1]
            if distance > worst.distance || (distance == worst.distance && row > worst.row) { return }
            items.removeLast()
        }
        var position = items.count
        while position > 0, items[position - 1].distance > distance
                || (items[position - 1].distance == distance && items[position - 1].row > row) {
            position -= 1
        }
        items.insert((distance, row), at: position)
    }
}
