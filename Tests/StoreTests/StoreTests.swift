import Core
import Foundation
import GRDB
import Store
import XCTest

final class StoreTests: XCTestCase {
    private func temporaryStorePath(_ name: String = #function) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("imine-store-\(name.filter(\.isLetter))-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        return folder.appendingPathComponent("store.sqlite").path
    }

    /// A module's tables, as a module outside Store declares them.
    static let notes = StoreSchema(module: "notes", migrations: [
        StoreSchema.Migration("v1-notes", sql: "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"),
    ])
    static let notesV2 = StoreSchema(module: "notes", migrations: notes.migrations + [
        StoreSchema.Migration("v2-note-author", sql: "ALTER TABLE note ADD COLUMN author TEXT;"),
    ])

    func testOpensInWALModeWithTheStoresAndEachModulesMigrations() throws {
        let store = try Store(path: try temporaryStorePath(), schemas: [Self.notes])
        let (mode, migrations, tables) = try store.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
             try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid"),
             try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"))
        }
        XCTAssertEqual(mode, "wal")
        XCTAssertEqual(migrations, ["store.v1-artifacts-runs-cells", "store.v2-cell-report", "notes.v1-notes"])
        XCTAssertEqual(tables.filter { !$0.hasPrefix("grdb_") && !$0.hasPrefix("sqlite_") }, ["artifact", "cell", "note", "run"])
        XCTAssertEqual(try store.integrityCheck(), "ok")
        XCTAssertEqual(try store.read { db in try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") }, true)
        XCTAssertEqual(try store.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }, StoreIdentity.schemaVersion([Self.notes]))
    }

    func testAModuleAppendsAMigrationAndAnOpenerThatDoesNotKnowOneIsRefused() throws {
        let path = try temporaryStorePath()
        _ = try Store(path: path, schemas: [Self.notes])
        let store = try Store(path: path, schemas: [Self.notesV2])
        try store.write { db in try db.execute(sql: "INSERT INTO note (text, author) VALUES ('hi', 'ann')") }
        XCTAssertEqual(try store.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }.last,
                       "notes.v2-note-author")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        for schemas in [[], [Self.notes]] {
            XCTAssertThrowsError(try Store(path: path, schemas: schemas)) { error in
                guard case StoreError.unknownMigration(_, let migration) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(migration, schemas.isEmpty ? "notes.v1-notes" : "notes.v2-note-author")
            }
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "a refused opener leaves the file as it was")
    }

    func testArtifactsAreContentAddressed() throws {
        let store = try Store(path: try temporaryStorePath(), schemas: [])
        let bytes = Data("{\"a\":1}".utf8)
        let digest = try store.putArtifact(bytes, kind: "test")
        XCTAssertEqual(digest, SHA256.hex(bytes))
        XCTAssertEqual(try store.putArtifact(bytes, kind: "other"), digest, "storing twice is a no-op")
        XCTAssertEqual(try store.artifact(digest), bytes)
        XCTAssertEqual(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM artifact") }, 1)
        struct Value: Codable, Equatable { var b: Int; var a: String }
        let jsonDigest = try store.putJSON(Value(b: 2, a: "x"), kind: "test")
        XCTAssertEqual(String(decoding: try store.artifact(jsonDigest), as: UTF8.self), "{\"a\":\"x\",\"b\":2}", "sorted keys")
        XCTAssertEqual(try store.json(Value.self, digest: jsonDigest), Value(b: 2, a: "x"))
        XCTAssertThrowsError(try store.artifact(String(repeating: "0", count: 64))) { error in
            XCTAssertEqual(error as? StoreError, .missingArtifact(String(repeating: "0", count: 64)))
        }
    }

    func testCellRecordsAreFoundByCacheKeyAndWrittenWhole() throws {
        let store = try Store(path: try temporaryStorePath(), schemas: [])
        let record = try store.write { db -> CellRecord in
            let output = try store.putArtifact(Data("1".utf8), kind: "cell-output", in: db)
            let record = CellRecord(notebook: "nb", cellID: "a", cacheKey: "k1", step: "demo", stepVersion: 1, paramsJSON: "{}",
                                    outputDigest: output, reportDigest: nil, runID: nil, durationSeconds: 0.5,
                                    finishedAt: "2026-01-01T00:00:00Z")
            try record.save(in: db)
            return record
        }
        try store.read { db in
            XCTAssertEqual(try CellRecord.find(cacheKey: "k1", notebook: "other", cellID: "x", in: db), record)
            XCTAssertNil(try CellRecord.find(cacheKey: "k2", notebook: "nb", cellID: "a", in: db))
            XCTAssertTrue(try CellRecord.exists(notebook: "nb", cellID: "a", in: db))
            XCTAssertFalse(try CellRecord.exists(notebook: "nb", cellID: "b", in: db))
        }
        // A transaction that fails half-way keeps nothing: no artifact without its cell.
        struct Boom: Error {}
        XCTAssertThrowsError(try store.write { db in
            try store.putArtifact(Data("2".utf8), kind: "cell-output", in: db)
            throw Boom()
        })
        XCTAssertEqual(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM artifact") }, 1)
        // The cell table refuses a result whose artifact is missing.
        XCTAssertThrowsError(try store.write { db in
            var orphan = record
            orphan.cacheKey = "k3"
            orphan.outputDigest = "missing"
            try orphan.save(in: db)
        })
    }

    func testRunRecordsGetTheirID() throws {
        let store = try Store(path: try temporaryStorePath(), schemas: [])
        let id = try store.write { db -> Int64? in
            var run = RunRecord(notebook: "nb", profile: "tiny", provenanceJSON: "{}", startedAt: "t", status: "running")
            try run.insert(db)
            return run.id
        }
        XCTAssertNotNil(id)
    }

    /// A kill during the very first open can leave a file with only GRDB's empty bookkeeping table (stores made
    /// before the header was claimed first) or a claimed header and no tables; both are new stores, not foreign.
    func testAFirstOpenKilledBeforeItsFirstMigrationLeavesAStoreThatOpens() throws {
        let unclaimed = try temporaryStorePath("unclaimed")
        try DatabaseQueue(path: unclaimed).write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        let claimed = try temporaryStorePath("claimed")
        try DatabaseQueue(path: claimed).write { db in
            try db.execute(sql: "PRAGMA application_id = \(StoreIdentity.applicationID)")
        }
        for path in [unclaimed, claimed] {
            let store = try Store(path: path, schemas: [])
            XCTAssertEqual(try store.integrityCheck(), "ok", path)
            XCTAssertEqual(try store.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") }, StoreIdentity.applicationID)
        }
        // A bookkeeping table with someone's migrations in it is still another program's database.
        let other = try temporaryStorePath("other")
        try DatabaseQueue(path: other).write { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('their-v1')")
        }
        XCTAssertThrowsError(try Store(path: other, schemas: [])) { error in
            XCTAssertTrue("\(error)".contains("another program"), "\(error)")
        }
    }

    func testManyConcurrentOpenersOfANewFileAllSucceed() throws {
        let path = try temporaryStorePath()
        let errors = ErrorBox()
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            do {
                let store = try Store(path: path, schemas: [])
                _ = try store.putArtifact(Data("same".utf8), kind: "race")
            } catch { errors.append(error) }
        }
        XCTAssertEqual(errors.all.map { "\($0)" }, [])
        XCTAssertEqual(try Store(path: path, schemas: []).integrityCheck(), "ok")
    }

    func testAWriterWaitsForAnotherInsteadOfFailing() throws {
        let path = try temporaryStorePath()
        let first = try Store(path: path, schemas: []), second = try Store(path: path, schemas: [])
        let holding = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? first.write { db -> Void in
                try first.putArtifact(Data("held".utf8), kind: "lock", in: db)
                holding.signal()
                usleep(300_000)  // hold the write lock while the other store tries to write
            }
            done.signal()
        }
        holding.wait()
        let start = Date()
        XCTAssertNoThrow(try second.putArtifact(Data("waited".utf8), kind: "lock"))
        XCTAssertGreaterThan(Date().timeIntervalSince(start), 0.1, "the second writer waited for the first")
        done.wait()
        XCTAssertEqual(try second.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM artifact") }, 2)
    }
}

private final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [Error] = []
    func append(_ error: Error) { lock.lock(); errors.append(error); lock.unlock() }
    var all: [Error] { lock.lock(); defer { lock.unlock() }; return errors }
}
