import Foundation
import GRDB

/// How a store file is recognised as ours and as a schema this build can use.
///
/// - A new store gets SQLite's `application_id` = ``applicationID`` and `user_version` = the number of
///   migrations of the schemas it was opened with (``schemaVersion(_:)``), set in the header at creation and after
///   each migration.
/// - A file with our application id is ours. One that has applied a migration the opener does not know, or whose
///   `user_version` is above the number the opener knows, has a newer schema: refused.
/// - A store made before the application id existed has id 0; it is recognised by GRDB's migration table listing
///   our first migration (`store.v1-artifacts-runs-cells`, before that `v1-core`) together with our `cell` table,
///   and is then stamped like a new one.
///   Any other SQLite file, or a file that is not SQLite at all, is foreign: refused.
/// - Every existing store must pass `PRAGMA quick_check` before it is opened for writing.
///
/// All checks read the file through a read-only connection, so a refused file is never switched to WAL, migrated
/// or otherwise changed.
public enum StoreIdentity {
    /// "IMNE" in ASCII.
    public static let applicationID: Int32 = 0x494D_4E45
    /// The `user_version` of a store opened with `schemas`: how many migrations they have, the store's own included.
    public static func schemaVersion(_ schemas: [StoreSchema]) -> Int { SchemaSet(schemas).identifiers.count }

    /// Throws ``StoreError`` if the file at `path` exists and is not a healthy store of a schema we know.
    static func check(_ path: String, _ schemas: SchemaSet) throws {
        var info = stat()
        guard stat(path, &info) == 0, info.st_size > 0 else { return }  // nothing there yet: a new store
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw StoreError.foreign(path, "not a regular file") }
        // The header is read through SQLite, never through a descriptor of our own: closing any descriptor of the
        // file drops every POSIX record lock this process holds on it, SQLite's included. Another connection of this
        // process (a second `Store` on the same file) would then look unlocked to other processes, and the last of
        // them to close would checkpoint and delete the WAL under it ("disk I/O error").
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(Store.busyTimeout)  // another opener may be initialising the WAL index
        // A read-only connection to a WAL-mode file creates empty -wal and -shm files when none exist. A refused
        // file gets them removed again, so that refusing it leaves the folder exactly as it was. An accepted store
        // keeps them: the store opens it next anyway, and another process (a runner and its `imine finetune-job`
        // children) may have opened them in the meantime; deleting a live WAL index breaks that connection.
        let sideFiles = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
        do {
            try checkContents(path, schemas, configuration: configuration)
        } catch let error as StoreError {
            // Only a definitive refusal cleans up: a busy or unreadable store may be in use by another process.
            switch error {
            case .foreign, .newerSchema, .unknownMigration, .damaged: break
            default: throw error
            }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int
            if sideFiles.count == 2, wal == nil || wal == 0 { sideFiles.forEach { unlink($0) } }
            throw error
        }
    }

    /// Reads the identity, schema version, migrations and `quick_check` of an existing SQLite file, read-only.
    private static func checkContents(_ path: String, _ schemas: SchemaSet, configuration: Configuration) throws {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            try queue.read { db in
                let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
                if id == 0 {
                    if tables.isEmpty { return }  // an empty SQLite file: nothing to lose, becomes a new store
                    // Stores made before `claim` existed: a kill during the first migration left GRDB's empty
                    // bookkeeping table and nothing else. Nothing to lose either.
                    if tables == ["grdb_migrations"],
                       try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") == 0 { return }
                    let migrated = tables.contains("grdb_migrations")
                        ? try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM grdb_migrations WHERE identifier IN (?, ?))",
                                        arguments: ["v1-core", StoreSchema.store.identifiers[0]]) ?? false
                        : false
                    let ours = migrated && tables.contains("cell")
                    guard ours else { throw StoreError.foreign(path, "an SQLite database of another program: its tables are \(tables.prefix(5).joined(separator: ", "))") }
                } else if id != applicationID {
                    throw StoreError.foreign(path, String(format: "an SQLite database with application id 0x%08X", id))
                }
                // An old store-wide migration is known when every per-module migration that replaces it is.
                let known = Set(schemas.identifiers)
                let knownLegacy = LegacyMigrations.replacements.filter { $0.value.allSatisfy(known.contains) }.keys
                if tables.contains("grdb_migrations"),
                   let unknown = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid")
                       .first(where: { !known.contains($0) && !knownLegacy.contains($0) }) {
                    throw StoreError.unknownMigration(path, unknown)
                }
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if version > known.count { throw StoreError.newerSchema(path, found: version, known: known.count) }
                let verdict = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard verdict == ["ok"] else { throw StoreError.damaged(path, verdict.prefix(3).joined(separator: "; ")) }
            }
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            let message = error.message ?? "\(error.resultCode)"
            switch error.resultCode {
            case .SQLITE_NOTADB: throw StoreError.foreign(path, "not an SQLite database")
            case .SQLITE_CORRUPT: throw StoreError.damaged(path, message)
            case .SQLITE_BUSY, .SQLITE_LOCKED: throw StoreError.busy(path)
            default: throw StoreError.cannotOpen(path, message)
            }
        }
    }

    /// Writes our application id into the header of a new, empty file before anything else is written to it, so
    /// that a kill during the first migration leaves a file that is recognisably ours (and then migrated on the
    /// next open) rather than an unnamed SQLite file holding only GRDB's bookkeeping table.
    static func claim(_ db: Database) throws {
        guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == 0,
              try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 else { return }
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
    }

    /// Writes our application id and schema version into the header (after migrating).
    static func stamp(_ db: Database, _ schemas: SchemaSet) throws {
        let schemaVersion = schemas.identifiers.count
        if try Int32.fetchOne(db, sql: "PRAGMA application_id") != applicationID {
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        }
        if try Int.fetchOne(db, sql: "PRAGMA user_version") != schemaVersion {
            try db.execute(sql: "PRAGMA user_version = \(schemaVersion)")
        }
    }
}
