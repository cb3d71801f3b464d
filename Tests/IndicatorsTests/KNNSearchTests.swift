import Core
import Foundation
import Indicators
import Neural
import XCTest

final class KNNSearchTests: XCTestCase {
    /// Double-precision brute force: distances to every other row, ranked by (distance, row).
    func bruteForce(_ queries: EmbeddingMatrix, _ pool: EmbeddingMatrix, i: Int, metric: KNNMetric, excludingSelf: Bool)
        -> [(distance: Double, row: Int, gap: Double)] {
        func unit(_ v: ArraySlice<Float>) -> [Double] {
            let d = v.map(Double.init), n = d.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return metric == .cosine && n > 0 ? d.map { $0 / n } : d
        }
        let p = (0..<pool.count).map { unit(pool[$0]) }
        return (0..<queries.count).map { r in
            let q = unit(queries[r])
            var ranked: [(Double, Int)] = []
            for (c, v) in p.enumerated() where !(excludingSelf && c == r) {
                let d = metric == .cosine ? 1 - zip(q, v).reduce(0) { $0 + $1.0 * $1.1 }
                    : zip(q, v).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                ranked.append((d, c))
            }
            ranked.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            let before = i >= 2 ? ranked[i - 2].0 : -Double.infinity, after = i < ranked.count ? ranked[i].0 : .infinity
            return (ranked[i - 1].0, ranked[i - 1].1, min(ranked[i - 1].0 - before, after - ranked[i - 1].0))
        }
    }

    func check(_ queries: EmbeddingMatrix, _ pool: EmbeddingMatrix, i: Int, metric: KNNMetric, excludingSelf: Bool,
               tolerance: Double = 2e-6, file: StaticString = #filePath, line: UInt = #line) throws {
        // Small blocks so the test crosses block boundaries in both directions.
        let result = try KNNSearch.ithNeighbours(queries: queries, pool: pool, i: i, metric: metric,
                                                 excludingSelf: excludingSelf, blockRows: 16, blockColumns: 50)
        let reference = bruteForce(queries, pool, i: i, metric: metric, excludingSelf: excludingSelf)
        for (r, expected) in reference.enumerated() {
            XCTAssertEqual(Double(result.distances[r]), expected.distance, accuracy: tolerance, "row \(r)", file: file, line: line)
            if expected.gap > 10 * tolerance { XCTAssertEqual(result.indices[r], expected.row, "row \(r)", file: file, line: line) }
        }
    }

    func testRealMiniLMEmbeddingsMatchDoubleBruteForce() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("NeuralTests/Fixtures/minilm_fixture.json")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as! [String: Any]
        let rows = (json["items"] as! [[String: Any]]).compactMap { ($0["embedding"] as? [Double])?.map(Float.init) }
        let embeddings = EmbeddingMatrix(rows: rows)
        XCTAssertGreaterThan(embeddings.count, 100)
        for metric in KNNMetric.allCases {
            for i in [1, 6] { try check(embeddings, embeddings, i: i, metric: metric, excludingSelf: true) }
        }
        // Another pool: the first 40 texts scored against the rest.
        try check(embeddings.rows(Array(0..<40)), embeddings.rows(Array(40..<embeddings.count)), i: 6, metric: .cosine, excludingSelf: false)
    }

    func testRandomVectorsDuplicatesAndTies() throws {
        var random = SeededRandom(seed: 7)
        var rows = (0..<300).map { _ in (0..<24).map { _ in Float(random.gaussian()) } }
        rows[10] = rows[3]; rows[11] = rows[3]  // exact duplicates are neighbours at distance 0
        let m = EmbeddingMatrix(rows: rows)
        for metric in KNNMetric.allCases { try check(m, m, i: 6, metric: metric, excludingSelf: true, tolerance: 1e-5) }
        let knn1 = try KNNSearch.ithNeighbours(of: m, i: 1)
        XCTAssertEqual(knn1.distances[3], 0, accuracy: 1e-6)
        XCTAssertEqual(knn1.indices[3], 10, "ties go to the lowest pool row")
        XCTAssertEqual(knn1.indices[10], 3)
        XCTAssertEqual(try KNNSearch.ithNeighbours(of: m, i: 2).distances[3], 0, accuracy: 1e-6)
    }

    func testBadArgumentsAreReported() {
        let m = EmbeddingMatrix(rows: [[1, 0], [0, 1], [1, 1]])
        XCTAssertThrowsError(try KNNSearch.ithNeighbours(of: m, i: 3))  // only 2 other rows
        XCTAssertThrowsError(try KNNSearch.ithNeighbours(of: m, i: 0))
        XCTAssertThrowsError(try KNNSearch.ithNeighbours(queries: EmbeddingMatrix(rows: [[1, 0, 0]]), pool: m, i: 1))
        XCTAssertThrowsError(try KNNSearch.ithNeighbours(of: EmbeddingMatrix(rows: [[1, 0], [.nan, 1], [1, 1]]), i: 1)) { error in
            XCTAssertTrue("\(error)".contains("row 1"), "\(error)")
        }
    }
}
