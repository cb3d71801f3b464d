import Core
import Foundation
import GRDB
import Store

/// Writes loaded files into the store: one write transaction per file, so a file is in the store completely or not
/// at all. Re-ingesting a dataset name replaces its previous contents.
///
/// Examples, pairs and documents are keyed by content hash: an example that two datasets share is one `example`
/// row with two `dataset_example` rows (the first dataset to bring it sets its `source`).
public enum Ingest {
    /// Loads and ingests one catalogued file. Loading happens before the transaction opens; a malformed record
    /// throws before anything is written.
    ///
    /// Never loses data silently: unless `allowShrink`, a file that loads to no records, to fewer records than
    /// MANIFEST.tsv states, or to fewer rows than the store holds for this source throws ``ShrinkError`` and the
    /// stored copy stays as it was.
    @discardableResult
    public static func ingest(_ entry: CatalogEntry, from folder: DataFolder, into store: Store, policy: LoadPolicy = .standard,
                              allowShrink: Bool = false) throws -> LoadedFile {
        let file = try folder.load(entry, policy: policy)
        let stated = (try folder.manifest())[entry.path]
        if !allowShrink {
            let loaded = file.examples.count + file.judged.count + file.preferences.count + file.documents.count
            if file.report.records == 0 || loaded + file.attachments.count == 0 {  // judge prompts are attachments only
                throw ShrinkError(file: entry.path, "loads to no records")
            }
            if let stated, stated.unit == file.report.unit, file.report.records < stated.count {
                throw ShrinkError(file: entry.path, "has \(file.report.records) \(file.report.unit), MANIFEST.tsv says \(stated.count)")
            }
            let held = try counts(of: file.name, in: store)
            let stored = held.examples + held.pairs + held.documents
            if loaded < stored {
                throw ShrinkError(file: entry.path, "would replace the \(stored) rows the store holds for '\(file.name)' with \(loaded)")
            }
        }
        try write(file, provenance: stated?.source ?? "local", into: store)
        return file
    }

    /// Writes an already loaded file in one transaction.
    public static func write(_ file: LoadedFile, provenance: String, into store: Store) throws {
        try store.write { db in
            try db.execute(sql: "DELETE FROM dataset WHERE name = ?", arguments: [file.name])
            var report = try String(decoding: CanonicalJSON.encode(file.report), as: UTF8.self)
            if !file.attachments.isEmpty {
                let digest = try store.putJSON(file.attachments, kind: "corpus.attachments", in: db)
                report = try String(decoding: CanonicalJSON.encode(["report": report, "attachments": digest]), as: UTF8.self)
            }
            try db.execute(sql: """
                INSERT INTO dataset (name, path, format, sha256, licence, source, record_count, report_json, ingested_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [file.name, file.path, file.format.rawValue, file.sha256, file.licence, provenance,
                                 file.report.records, report, ISO8601DateFormatter().string(from: Date())])
            let examples = file.examples + file.judged.map(\.example)
            for (position, example) in examples.enumerated() {
                try insert(example, in: db)
                try db.execute(sql: "INSERT INTO dataset_example (dataset, position, example_id) VALUES (?, ?, ?)",
                               arguments: [file.name, position, example.id])
            }
            for (offset, judged) in file.judged.enumerated() {
                try db.execute(sql: "INSERT INTO example_judgement (dataset, position, example_id, desirable) VALUES (?, ?, ?, ?)",
                               arguments: [file.name, file.examples.count + offset, judged.example.id, judged.desirable])
            }
            for (position, pair) in file.preferences.enumerated() {
                try db.execute(sql: """
                    INSERT OR IGNORE INTO preference_pair (id, prompt_json, chosen_json, rejected_json, source, licence)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """, arguments: [pair.id, try CanonicalJSON.string(pair.prompt), try CanonicalJSON.string(pair.chosen),
                                     try CanonicalJSON.string(pair.rejected), pair.source, pair.licence])
                try db.execute(sql: "INSERT INTO dataset_preference (dataset, position, pair_id) VALUES (?, ?, ?)",
                               arguments: [file.name, position, pair.id])
            }
            for (position, document) in file.documents.enumerated() {
                try db.execute(sql: "INSERT OR IGNORE INTO text_document (id, text, source, licence) VALUES (?, ?, ?, ?)",
                               arguments: [document.id, document.text, document.source, document.licence])
                try db.execute(sql: "INSERT INTO dataset_text (dataset, position, document_id) VALUES (?, ?, ?)",
                               arguments: [file.name, position, document.id])
            }
        }
    }

    /// Adds an example row unless one with its content id exists (the first source to bring it sets `source`).
    public static func insert(_ example: Example, in db: Database) throws {
        try db.execute(sql: """
            INSERT OR IGNORE INTO example (id, instruction, input, response, turns_json, source, licence, split)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [example.id, example.instruction, example.input, example.response,
                             try CanonicalJSON.string(example.turns), example.source, example.licence, example.split])
    }

    /// Stores examples that are not yet in the `example` table (indicator values reference them), in one transaction.
    public static func ensure(_ examples: [Example], in store: Store) throws {
        try store.write { db in
            for example in examples { try insert(example, in: db) }
        }
    }

    /// Stores the examples of each named pool and replaces that pool's membership rows: the index the indicator
    /// tables join against (which examples a pool holds), in one transaction.
    public static func recordPools(_ pools: [(name: String, examples: [Example])], in store: Store) throws {
        try store.write { db in
            for pool in pools {
                try db.execute(sql: "DELETE FROM pool WHERE name = ?", arguments: [pool.name])
                for example in pool.examples {
                    try insert(example, in: db)
                    try db.execute(sql: "INSERT OR IGNORE INTO pool (name, example_id) VALUES (?, ?)", arguments: [pool.name, example.id])
                }
            }
        }
    }

    /// The examples of an ingested dataset, in file order.
    public static func examples(of dataset: String, in store: Store) throws -> [Example] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.* FROM dataset_example d JOIN example e ON e.id = d.example_id WHERE d.dataset = ? ORDER BY d.position
                """, arguments: [dataset]).map { row in
                var example = Example(instruction: row["instruction"], input: row["input"], response: row["response"],
                                      turns: try JSONDecoder().decode([Example.Turn].self, from: Data((row["turns_json"] as String).utf8)),
                                      source: row["source"], licence: row["licence"], split: row["split"])
                example.id = row["id"]
                return example
            }
        }
    }

    /// Counts of rows a dataset owns in the store: examples, preference pairs, documents.
    public static func counts(of dataset: String, in store: Store) throws -> (examples: Int, pairs: Int, documents: Int) {
        try store.read { db in
            (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset_example WHERE dataset = ?", arguments: [dataset]) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset_preference WHERE dataset = ?", arguments: [dataset]) ?? 0,
             try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset_text WHERE dataset = ?", arguments: [dataset]) ?? 0)
        }
    }

    /// The corpus tables and their row counts, for reports and for checking that a failed ingest left nothing.
    public static func tableCounts(in store: Store) throws -> [String: Int] {
        try store.read { db in
            var counts: [String: Int] = [:]
            for table in ["dataset", "example", "dataset_example", "preference_pair", "dataset_preference", "example_judgement", "text_document", "dataset_text"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }

    /// The names of the ingested datasets with their stated record counts and report JSON.
    public static func datasets(in store: Store) throws -> [(name: String, records: Int, report: String)] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT name, record_count, report_json FROM dataset ORDER BY name").map { ($0["name"], $0["record_count"], $0["report_json"]) }
        }
    }
}
