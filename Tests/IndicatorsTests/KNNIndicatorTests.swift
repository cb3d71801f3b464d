import Core
import Foundation
import Indicators
import Neural
import XCTest

final class KNNIndicatorTests: XCTestCase {
    /// From texts to KNN-6 with provenance: the values equal the search over sentence-transformers' embeddings of
    /// the same texts (fixture), and the variant records the text, metric, model hash and pool.
    func testKNNFromTextsMatchesReferenceEmbeddingsAndRecordsProvenance() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("NeuralTests/Fixtures/minilm_fixture.json"))) as! [String: Any]
        let items = (json["items"] as! [[String: Any]]).filter { $0["embedding"] != nil && $0["source"] as? String == "random_9k" }
        let texts = items.map { $0["text"] as! String }
        let reference = EmbeddingMatrix(rows: items.map { ($0["embedding"] as! [Double]).map(Float.init) })
        let encoder = try MiniLMEncoder(modelDirectory: root.deletingLastPathComponent().appendingPathComponent("models/all-minilm-l6-v2"))
        let ids = texts.map { SHA256.hex($0) }
        let (variant, values) = try KNNIndicator.compute(texts: texts, ids: ids, poolName: "alpaca-random-30", encoder: encoder)
        let expected = try KNNSearch.ithNeighbours(of: reference, i: 6).distances
        XCTAssertEqual(values.count, texts.count)
        for (value, reference) in zip(values, expected) { XCTAssertEqual(value, Double(reference), accuracy: 1e-5) }
        XCTAssertEqual(variant.name, "knn6")
        XCTAssertEqual(variant.metric, .cosine)
        XCTAssertEqual(variant.text, EmbeddingText.instructionInputResponse)
        XCTAssertEqual(variant.pool, "alpaca-random-30")
        XCTAssertEqual(variant.poolDigest, SHA256.hex(ids.joined(separator: "\n")))
        XCTAssertEqual(variant.modelDigest, try encoder.weightsDigest)
        XCTAssertEqual(variant.maxSequenceLength, 256)
    }
}
