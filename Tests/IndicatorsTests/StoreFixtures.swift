import Corpus
import Foundation
import GRDB
import Indicators
import Store

/// A fresh store in a temporary folder holding `examples`, each in dataset `toy` at its index and in pool `eval`.
func makeIndicatorStore(_ examples: [Example]) throws -> Store {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("indicators-tests-\(UUID().uuidString)")
    let store = try Store(path: folder.appendingPathComponent("store.sqlite").path, schemas: [.corpus, .indicators])
    try store.write { db in
        try db.execute(sql: """
            INSERT INTO dataset (name, path, format, sha256, licence, source, record_count, ingested_at)
            VALUES ('toy', 'toy.json', 'alpaca', '0', 'test', 'test', ?, '2026-01-01')
            """, arguments: [examples.count])
        for (position, example) in examples.enumerated() {
            try db.execute(sql: """
                INSERT INTO example (id, instruction, input, response, source, licence, split) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [example.id, example.instruction, example.input, example.response, example.source, example.licence, example.split])
            try db.execute(sql: "INSERT INTO dataset_example (dataset, position, example_id) VALUES ('toy', ?, ?)", arguments: [position, example.id])
            try db.execute(sql: "INSERT INTO pool (name, example_id) VALUES ('eval', ?)", arguments: [example.id])
        }
    }
    return store
}

func toyExamples(_ count: Int) -> [Example] {
    (0..<count).map { Example(instruction: "Question \($0)?", input: $0 % 2 == 0 ? "" : "context \($0)", response: "Answer number \($0).",
                              source: "toy", licence: "test") }
}
