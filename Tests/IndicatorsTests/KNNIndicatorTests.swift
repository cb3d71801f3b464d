import Core
import Corpus
import Foundation
import Indicators
import Neural
import XCTest

final class KNNIndicatorTests: XCTestCase {
    /// KNN-6 of the catalog with provenance: the values equal the search over sentence-transformers' embeddings of
    /// the same texts (fixture), and the variant records the text, metric, model hash and pool.
    func testKNNFromTextsMatchesReferenceEmbeddingsAndRecordsProvenance() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("NeuralTests/Fixtures/minilm_fixture.json"))) as! [String: Any]
        let items = (json["items"] as! [[String: Any]]).filter { $0["embedding"] != nil && $0["source"] as? String == "random_9k" }
        let texts = items.map { $0["text"] as! String }
        let reference = EmbeddingMatrix(rows: items.map { ($0["embedding"] as! [Double]).map(Float.init) })
        let encoder = try MiniLMEncoder(modelDirectory: root.deletingLastPathComponent().appendingPathComponent("models/all-minilm-l6-v2"))
        let ids = texts.map { SHA256.hex($0) }
        var inputs = IndicatorInputs(examples: texts.map { Example(instruction: $0, response: "", source: "random_9k", licence: "t") })
        inputs.embeddings = .init(matrix: encoder.embed(texts), encoderDigest: try encoder.weightsDigest, maxTokens: encoder.maxSequenceLength,
                                  referenceCount: texts.count, referencePool: "alpaca-random-30 \(SHA256.hex(ids.joined(separator: "\n")))",
                                  referenceLabel: "alpaca-random-30")
        let column = try KNNIndicator(i: 6).compute(inputs)
        let expected = try KNNSearch.ithNeighbours(of: reference, i: 6).distances
        XCTAssertEqual(column.values.count, texts.count)
        for (value, reference) in zip(column.values, expected) { XCTAssertEqual(value!, Double(reference), accuracy: 1e-5) }
        XCTAssertEqual(KNNIndicator(i: 6).name, "knn6")
        XCTAssertEqual(column.variant.parameters, ["i": "6", "metric": "cosine", "max_tokens": "256"])
        XCTAssertEqual(column.variant.textField, .instructionInputResponse)
        XCTAssertEqual(column.variant.referencePool, "alpaca-random-30 \(SHA256.hex(ids.joined(separator: "\n")))")
        XCTAssertEqual(column.variant.modelHash, try encoder.weightsDigest)
        XCTAssertEqual(column.description, "cosine distance to the 6th nearest alpaca-random-30 example (MiniLM)")

        // With a reference of the first 20, the other 10 are queries against it: their values are the search's.
        inputs.embeddings!.referenceCount = 20
        let split = try KNNIndicator(i: 6).compute(inputs).values
        let refRows = reference.rows(Array(0..<20))
        let queried = try KNNSearch.ithNeighbours(queries: reference.rows(Array(20..<texts.count)), pool: refRows, i: 6).distances
        let inside = try KNNSearch.ithNeighbours(of: refRows, i: 6).distances
        for (value, reference) in zip(split, inside + queried) { XCTAssertEqual(value!, Double(reference), accuracy: 1e-5) }
    }
}
