import Foundation
import Neural
import XCTest

final class MiniLMEncoderTests: XCTestCase {
    /// Parity with sentence-transformers on 100+ real texts (long ones truncated at 256 tokens, unicode, edge cases).
    func testEmbeddingsMatchSentenceTransformers() throws {
        let fixture = try MiniLMFixture.load()
        let encoder = try MiniLMEncoder(modelDirectory: MiniLMFixture.modelDirectory)
        let items = fixture.items.filter { $0.embedding != nil }
        XCTAssertGreaterThanOrEqual(items.count, 100)
        XCTAssertGreaterThanOrEqual(items.filter { $0.ids.count > 256 }.count, 10)
        let embeddings = encoder.embed(items.map(\.text))
        var worst = (cosine: Double(1), source: "")
        for (row, item) in items.enumerated() {
            let expected = item.embedding!.map(Double.init), actual = embeddings[row].map(Double.init)
            let cosine = zip(expected, actual).reduce(0) { $0 + $1.0 * $1.1 }
                / (expected.reduce(0) { $0 + $1 * $1 }.squareRoot() * actual.reduce(0) { $0 + $1 * $1 }.squareRoot())
            XCTAssertGreaterThanOrEqual(cosine, 0.999, "[\(item.source)] \(item.text.prefix(80).debugDescription)")
            XCTAssertEqual(actual.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
            if cosine < worst.cosine { worst = (cosine, item.source) }
        }
        print("MiniLM parity: \(items.count) texts, lowest cosine \(worst.cosine) [\(worst.source)]")
        // Tighter than the requirement: float rounding alone leaves the embeddings within 1e-5 of each other.
        XCTAssertGreaterThan(worst.cosine, 0.99999)
    }

    func testBatchingDoesNotChangeTheResult() throws {
        let encoder = try MiniLMEncoder(modelDirectory: MiniLMFixture.modelDirectory)
        let texts = ["A short one.", "Another, slightly longer sentence about running shoes and 5K races.", "", "Café 中文"]
        let together = encoder.embed(texts)
        XCTAssertEqual(together, encoder.embed(texts), "same input, same bytes")
        for (row, text) in texts.enumerated() {
            let alone = encoder.embed([text])
            for (a, b) in zip(alone[0], together[row]) { XCTAssertEqual(a, b, accuracy: 2e-6) }
        }
        XCTAssertEqual(try encoder.weightsDigest.count, 64)
    }

    func testMissingModelFolderNamesTheFile() {
        XCTAssertThrowsError(try MiniLMEncoder(modelDirectory: URL(fileURLWithPath: "/nonexistent/model"))) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/model"), "\(error)")
        }
    }
}
