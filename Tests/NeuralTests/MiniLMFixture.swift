import Foundation
import XCTest

/// The golden texts, token ids and sentence-transformers embeddings made by
/// bench/indicators/embeddings/make_fixture.py, and the local all-MiniLM-L6-v2 folder.
struct MiniLMFixture: Decodable {
    struct Item: Decodable {
        var source: String
        var text: String
        var ids: [Int]
        var embedding: [Float]?
    }
    var max_seq_length: Int
    var items: [Item]

    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/minilm_fixture.json")

    static func load() throws -> MiniLMFixture {
        try JSONDecoder().decode(MiniLMFixture.self, from: Data(contentsOf: url))
    }

    /// models/all-minilm-l6-v2 at the repository root (or IMINE_MODELS/all-minilm-l6-v2); setup always places it.
    static var modelDirectory: URL {
        if let models = ProcessInfo.processInfo.environment["IMINE_MODELS"] {
            return URL(fileURLWithPath: models).appendingPathComponent("all-minilm-l6-v2")
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("models/all-minilm-l6-v2")
    }
}
