import Foundation
import GRDB
import Steps
import Store
import XCTest

/// Foreign, future, damaged stores (refused, exit 5, file untouched) and data files that are empty, shrink a
/// stored source, or are malformed (exit 7 or 2, nothing stored).
final class StoreAndDataCaseTests: XCTestCase {
    static let chain = (0..<3).map { "```step\nid: c\($0)\nstep: workbench.sleep\nparams: {ms: 0, label: seed}\n```\n" }.joined(separator: "\n")
    static let alpacaPath = "d/llama-factory-demo/alpaca_en_demo.json"
    static let hhPath = "d/hh-rlhf/harmless-base/test.jsonl.gz"

    static func alpaca(_ count: Int) -> Data {
        Data(text: "[" + (0..<count).map { "{\"instruction\": \"Say \($0).\", \"input\": \"\", \"output\": \"Number \($0).\"}" }.joined(separator: ",\n") + "]")
    }
    static func hh(_ count: Int) -> Data {
        Data(text: (0..<count).map { "{\"chosen\": \"\\n\\nHuman: Hi \($0)\\n\\nAssistant: Hello.\", \"rejected\": \"\\n\\nHuman: Hi \($0)\\n\\nAssistant: Go away.\"}" }.joined(separator: "\n") + "\n")
    }
    /// A gzip member holding zero bytes.
    static let emptyGzip = Data([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0])

    /// A store made by this imine: 3 Alpaca examples, 3 preference pairs and a finished 3-cell notebook.
    func seededStore(in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("d/llama-factory-demo"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("d/hh-rlhf/harmless-base"), withIntermediateDirectories: true)
        try Self.alpaca(3).write(to: folder.appendingPathComponent(Self.alpacaPath))
        try Self.hh(3).write(to: folder.appendingPathComponent(Self.hhPath))
        try Data(text: Self.chain).write(to: folder.appendingPathComponent("chain.md"))
        let ingest = try CLI.run(["data", "ingest", "--data", "d", "--store", "seed.sqlite", "alpaca_en_demo", "hh-rlhf/harmless-base/test"], in: folder)
        XCTAssertEqual(ingest.status, 0, ingest.output)
        let run = try CLI.run(["run", "--profile", CLI.tinyProfile.path, "--store", "seed.sqlite", "chain.md"], in: folder)
        XCTAssertEqual(run.status, 0, run.output)
        return folder.appendingPathComponent("seed.sqlite")
    }

    /// A copy of `store` changed by `change` through a plain SQLite connection.
    func variant(of store: URL, _ name: String, in folder: URL, _ change: (Database) throws -> Void) throws -> URL {
        let url = folder.appendingPathComponent("\(name).sqlite")
        try FileManager.default.copyItem(at: store, to: url)
        let queue = try DatabaseQueue(path: url.path)
        try queue.writeWithoutTransaction(change)
        try queue.close()
        return url
    }

    func testForeignFutureAndDamagedStoresAreRefusedAndLeftUntouched() throws {
        let folder = try scratchFolder()
        let seed = try seededStore(in: folder)
        let foreign = folder.appendingPathComponent("foreign.sqlite")
        let other = try DatabaseQueue(path: foreign.path)
        try other.write { db in try db.execute(sql: "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('ann')") }
        try other.close()
        let otherID = try variant(of: foreign, "otherid", in: folder) { db in try db.execute(sql: "PRAGMA application_id = 1234") }
        let newer = try variant(of: seed, "newer", in: folder) { db in try db.execute(sql: "PRAGMA user_version = 99") }
        let future = try variant(of: seed, "future", in: folder) { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
        }
        let damaged = folder.appendingPathComponent("damaged.sqlite")
        var bytes = try Data(contentsOf: seed)
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        XCTAssertGreaterThan(bytes.count, 3 * pageSize, "the seeded store has several pages")
        for offset in pageSize..<bytes.count where offset % 7 != 0 { bytes[offset] = 0xA5 }
        try bytes.write(to: damaged)
        let truncated = folder.appendingPathComponent("truncated.sqlite")
        try Data(try Data(contentsOf: seed).prefix(pageSize + 100)).write(to: truncated)

        let stores: [(String, Data, [String])] = [
            ("another program's SQLite database", try Data(contentsOf: foreign), ["is not an imine store", "another program", "users"]),
            ("another application id", try Data(contentsOf: otherID), ["is not an imine store", "application id"]),
            ("a text file", Data(text: "name,score\nann,3\n"), ["is not an imine store", "not an SQLite database"]),
            ("random bytes", Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) }), ["is not an imine store"]),
            ("a newer schema", try Data(contentsOf: newer), ["schema version 99", "newer imine"]),
            ("an unknown migration", try Data(contentsOf: future), ["v9-from-the-future"]),
            ("a damaged page", try Data(contentsOf: damaged), ["left untouched"]),
            ("a truncated file", try Data(contentsOf: truncated), ["left untouched"]),
        ]
        var cases: [HostileCase] = []
        for (name, store, messages) in stores {
            let files = ["store.sqlite": store, "chain.md": Data(text: Self.chain), Self.alpacaPath: Self.alpaca(4)]
            cases.append(HostileCase("store (status): \(name)", ["status", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "chain.md"],
                                     status: 5, ["store.sqlite"] + messages, files: files))
            cases.append(HostileCase("store (run): \(name)", ["run", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "chain.md"],
                                     status: 5, ["store.sqlite"] + messages, files: files))
            cases.append(HostileCase("store (ingest): \(name)", ["data", "ingest", "--data", "d", "--store", "store.sqlite", "alpaca_en_demo"],
                                     status: 5, ["store.sqlite"] + messages, files: files))
            cases.append(HostileCase("store (figures): \(name)", ["figures", "--store", "store.sqlite"],
                                     status: 5, ["store.sqlite"] + messages, files: files))
        }
        cases.append(HostileCase("store: a folder", ["status", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "chain.md"],
                                 status: 5, ["store.sqlite", "not a regular file"], files: ["store.sqlite/x": Data(), "chain.md": Data(text: Self.chain)]))
        XCTAssertGreaterThanOrEqual(try check(cases, in: folder.appendingPathComponent("cases")), 33)
    }

    func testAStoreMadeBeforeStampingStillOpensAndIsStamped() throws {
        let folder = try scratchFolder()
        let legacy = try variant(of: try seededStore(in: folder), "legacy", in: folder) { db in
            try db.execute(sql: "PRAGMA application_id = 0; PRAGMA user_version = 0")
        }
        try FileManager.default.moveItem(at: legacy, to: folder.appendingPathComponent("store.sqlite"))
        let status = try CLI.run(["status", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", "chain.md"], in: folder)
        XCTAssertEqual(status.status, 0, status.output)
        XCTAssertTrue(status.stdout.contains("all 3 cells fresh"), status.stdout)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("store.sqlite").path)
        let (id, version) = try queue.read { db in (try Int32.fetchOne(db, sql: "PRAGMA application_id"), try Int.fetchOne(db, sql: "PRAGMA user_version")) }
        XCTAssertEqual(id, StoreIdentity.applicationID)
        XCTAssertEqual(version, StoreIdentity.schemaVersion(WorkbenchStore.schemas))
    }

    /// A store written by imine as built at 824687c, whose schema was three store-wide migrations before each module
    /// registered its own (Fixtures/make-store-824687c.sh), opens with its data and then has exactly the tables,
    /// columns and indexes a new store has, recorded under the new migrations' names.
    func testAStoreFromBeforeModuleMigrationsOpensWithItsData() throws {
        let folder = try scratchFolder()
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/store-824687c.sqlite")
        try FileManager.default.copyItem(at: fixture, to: folder.appendingPathComponent("old.sqlite"))
        try Data(text: Self.chain).write(to: folder.appendingPathComponent("chain.md"))
        for store in ["old.sqlite", "new.sqlite"] {
            let run = try CLI.run(["run", "--profile", CLI.tinyProfile.path, "--store", store, "chain.md"], in: folder)
            XCTAssertEqual(run.status, 0, run.output)
        }
        func describe(_ store: String) throws -> (schema: [Row], migrations: [String], version: Int?, counts: [Int]) {
            let queue = try DatabaseQueue(path: folder.appendingPathComponent(store).path)
            defer { try? queue.close() }
            return try queue.read { db in
                (try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"),
                 try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                 try Int.fetchOne(db, sql: "PRAGMA user_version"),
                 try ["example", "preference_pair", "dataset", "run"].map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 })
            }
        }
        let old = try describe("old.sqlite"), new = try describe("new.sqlite")
        XCTAssertEqual(old.schema, new.schema, "the old store's tables, columns and indexes are a new store's, word for word")
        XCTAssertEqual(old.migrations, new.migrations)
        XCTAssertEqual(old.migrations.count, StoreIdentity.schemaVersion(WorkbenchStore.schemas))
        XCTAssertEqual(old.version, StoreIdentity.schemaVersion(WorkbenchStore.schemas))
        XCTAssertEqual(old.counts, [3, 3, 2, 2], "its examples, pairs and datasets are kept; the new run is the second")
        XCTAssertEqual(new.counts, [0, 0, 0, 1])
    }

    func testDataThatWouldShrinkOrIsMalformedIsRefusedAndNothingIsStored() throws {
        let folder = try scratchFolder()
        let seed = try seededStore(in: folder)
        let ingestAlpaca = ["data", "ingest", "--data", "d", "--store", "store.sqlite", "alpaca_en_demo"]
        let ingestHH = ["data", "ingest", "--data", "d", "--store", "store.sqlite", "hh-rlhf/harmless-base/test"]
        func alpacaCase(_ name: String, _ bytes: Data, status: Int32, _ messages: [String], extra: [String: Data] = [:]) -> HostileCase {
            HostileCase("data: \(name)", ingestAlpaca, status: status, ["llama-factory-demo/alpaca_en_demo.json"] + messages,
                        files: [Self.alpacaPath: bytes].merging(extra) { a, _ in a }, store: seed)
        }
        func hhCase(_ name: String, _ bytes: Data, status: Int32, _ messages: [String]) -> HostileCase {
            HostileCase("data: hh-rlhf \(name)", ingestHH, status: status, ["hh-rlhf/harmless-base/test.jsonl.gz"] + messages,
                        files: [Self.hhPath: bytes], store: seed)
        }
        let manifest = "path\tbytes\tsha256\tcount\tsource\tsource_path\tlicense\nllama-factory-demo/alpaca_en_demo.json\t1\tx\t5 records\ttest\tx\tMIT\n"
        var cases: [HostileCase] = [
            alpacaCase("empty file", Data(), status: 7, ["loads to no records", "--allow-shrink"]),
            alpacaCase("whitespace only", Data(text: "  \n\n\t \n"), status: 7, ["loads to no records"]),
            alpacaCase("an empty array", Data(text: "[]"), status: 7, ["loads to no records"]),
            alpacaCase("fewer records than stored", Self.alpaca(2), status: 7, ["would replace the 3 rows", "with 2"]),
            alpacaCase("one record, store holds three", Self.alpaca(1), status: 7, ["would replace the 3 rows"]),
            alpacaCase("fewer than the manifest says", Self.alpaca(4), status: 7, ["MANIFEST.tsv says 5"], extra: ["d/MANIFEST.tsv": Data(text: manifest)]),
            alpacaCase("every response empty", Data(text: "[{\"instruction\": \"a\", \"input\": \"\", \"output\": \" \"}]"), status: 7, ["loads to no records"]),
            alpacaCase("a bare object", Data(text: "{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"}"), status: 2, ["must hold a JSON array"]),
            alpacaCase("duplicate keys", Data(text: "[{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\", \"output\": \"c\"}]"), status: 2, ["duplicate key \"output\""]),
            alpacaCase("truncated JSON", Data(text: "[{\"instruction\": \"a\", \"inp"), status: 2, ["alpaca_en_demo.json:1"]),
            alpacaCase("binary garbage", Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 131) }), status: 2, []),
            alpacaCase("records that are numbers", Data(text: "[1, 2, 3]"), status: 2, []),
            alpacaCase("a record without instruction", Data(text: "[{\"input\": \"\", \"output\": \"b\"}]"), status: 2, ["instruction"]),
            alpacaCase("a number as instruction", Data(text: "[{\"instruction\": 5, \"input\": \"\", \"output\": \"b\"}]"), status: 2, ["instruction"]),
            alpacaCase("deeply nested JSON", Data(text: "[" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "]"), status: 2, []),
            alpacaCase("a truncated gzip", Data(Self.emptyGzip.prefix(12)), status: 2, ["gzip"]),
            hhCase("empty gzip", Self.emptyGzip, status: 7, ["loads to no records"]),
            hhCase("empty file", Data(), status: 7, ["loads to no records"]),
            hhCase("fewer pairs than stored", Self.hh(1), status: 7, ["would replace the 3 rows"]),
            hhCase("no shared opening turn", Data(text: "{\"chosen\": \"\\n\\nHuman: a\\n\\nAssistant: b\", \"rejected\": \"\\n\\nAssistant: c\"}\n"), status: 2, []),
            hhCase("not a transcript", Data(text: "{\"chosen\": \"hello\", \"rejected\": \"bye\"}\n"), status: 2, ["must start with"]),
        ]
        cases += [
            HostileCase("data: a symlink loop", ingestAlpaca, status: 2, ["alpaca_en_demo.json", "loop of symbolic links"], links: [Self.alpacaPath: "alpaca_en_demo.json"], store: seed),
            HostileCase("data: a folder at the file's path", ingestAlpaca, status: 2, ["alpaca_en_demo.json", "is a folder"], files: [Self.alpacaPath + "/x": Data()], store: seed),
            HostileCase("data: a named pipe", ingestAlpaca, status: 2, ["alpaca_en_demo.json", "not a regular file"], fifos: [Self.alpacaPath], store: seed),
            HostileCase("data: missing file", ingestAlpaca, status: 2, ["missing data file llama-factory-demo/alpaca_en_demo.json"], files: ["d/README": Data()], store: seed),
            HostileCase("data: invalid UTF-8 rejected", ingestAlpaca + ["--reject-invalid-utf8"], status: 2, ["invalid UTF-8"],
                        files: [Self.alpacaPath: Data([0x5B, 0x7B, 0x22, 0x69, 0x6E, 0x73, 0x74, 0x72, 0x75, 0x63, 0x74, 0x69, 0x6F, 0x6E, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x5D])], store: seed),
            HostileCase("data: a bad profile for ingest", ingestAlpaca + ["--profile", "bad.yaml"], status: 2, ["bad.yaml", "data.max_response_chars"],
                        files: [Self.alpacaPath: Self.alpaca(4), "bad.yaml": try ProfileCaseTests.tiny(setting: "data.max_response_chars", to: .int(-1))], store: seed),
        ]
        XCTAssertGreaterThanOrEqual(try check(cases, in: folder.appendingPathComponent("cases")), 27)

        // Asked for explicitly, shrinking works and says so.
        let allowed = folder.appendingPathComponent("allowed")
        try FileManager.default.createDirectory(at: allowed.appendingPathComponent("d/llama-factory-demo"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: seed, to: allowed.appendingPathComponent("store.sqlite"))
        try Self.alpaca(2).write(to: allowed.appendingPathComponent(Self.alpacaPath))
        let shrink = try CLI.run(ingestAlpaca + ["--allow-shrink"], in: allowed)
        XCTAssertEqual(shrink.status, 0, shrink.output)
        let count = try DatabaseQueue(path: allowed.appendingPathComponent("store.sqlite").path).read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dataset_example WHERE dataset = 'llama-factory-demo/alpaca_en_demo'")
        }
        XCTAssertEqual(count, 2)
    }
}
