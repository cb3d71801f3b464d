import Core
import Foundation
import GRDB

/// The workbench's SQLite store: every dataset, example, indicator value, artifact, run, cell, finetune and search
/// trial lives here.
///
/// Opened in WAL mode with a busy timeout so that two `imine` processes can share one file: a writer waits for the
/// other instead of failing with "database is locked"; if the wait runs out, ``StoreError/busy(_:)`` says so.
/// Each module that keeps tables declares them as a ``StoreSchema``; opening a store with the schemas of the modules
/// that use it migrates it.
///
/// A store knows itself (``StoreIdentity``): SQLite's `application_id` says the file is ours and `user_version`
/// which schema it has. Before anything is written, opening refuses a file that is not ours, one written by a newer
/// imine, and one that fails SQLite's `quick_check`, leaving the file exactly as it was.
public final class Store: Sendable {
    public let path: String
    public let pool: DatabasePool

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    /// Opens (creating if needed) the store at `path` with the store's own tables and those of `schemas`.
    public init(path: String, schemas: [StoreSchema]) throws {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(Store.busyTimeout)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            // Opening switches the file to WAL and migrates it; two processes doing that at once on a new file could
            // both try to create the tables, so opening is serialised across processes by a lock file.
            let lock = try OpenLock(path: path + ".lock")
            defer { lock.release() }
            let schemas = SchemaSet(schemas)
            try StoreIdentity.check(path, schemas)  // read-only: a refused file is left as it was
            pool = try DatabasePool(path: path, configuration: configuration)
            try pool.write { db in
                try StoreIdentity.claim(db)
                try LegacyMigrations.translate(db)
            }
            try schemas.migrator.migrate(pool)
            try pool.write { db in try StoreIdentity.stamp(db, schemas) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.busy(path)
        } catch let error as DatabaseError {
            throw StoreError.sqlite(path, error.message ?? "\(error.resultCode)")
        }
    }

    /// Runs `body` in one write transaction; nothing of it is kept if it throws.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path)
        } catch let error as DatabaseError {
            throw StoreError.sqlite(path, error.message ?? "\(error.resultCode)")
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.read(body) } catch let error as DatabaseError {
            throw StoreError.sqlite(path, error.message ?? "\(error.resultCode)")
        }
    }

    /// `PRAGMA integrity_check`: "ok" for a healthy file.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }
}

/// An exclusive `flock` on a side file, held while a store is opened and migrated. The kernel drops it if the
/// process dies, so a killed `imine` never leaves a stale lock.
private struct OpenLock {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw StoreError.cannotOpen(path, String(cString: strerror(errno))) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw StoreError.cannotOpen(path, reason)
            }
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case busy(String)
    case missingArtifact(String)
    case cannotOpen(String, String)
    /// The file is not an imine store (another program's database, or not a database at all).
    case foreign(String, String)
    /// The store was written by a newer imine: its schema version is above the one this build knows.
    case newerSchema(String, found: Int, known: Int)
    /// The store records a migration this build does not have (a newer or a different build wrote it).
    case unknownMigration(String, String)
    /// SQLite's `quick_check` failed: the file is damaged.
    case damaged(String, String)
    /// Any other SQLite error, with the store it happened in.
    case sqlite(String, String)

    public var description: String {
        switch self {
        case .busy(let path):
            "the store \(path) is busy: another imine process held its write lock for over \(Int(Store.busyTimeout)) s; try again when it finishes"
        case .missingArtifact(let digest): "no artifact with digest \(digest) in the store"
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        case .foreign(let path, let reason):
            "\(path) is not an imine store (\(reason)); it was left untouched. Use --store to name another file"
        case .newerSchema(let path, let found, let known):
            "the store \(path) has schema version \(found), written by a newer imine (this one knows up to \(known)); it was left untouched. Use a newer imine or another --store"
        case .unknownMigration(let path, let migration):
            "the store \(path) has schema migration '\(migration)', which this imine does not know (a newer or different build wrote it); it was left untouched. Use that build or another --store"
        case .damaged(let path, let reason):
            "the store \(path) is damaged (SQLite quick_check: \(reason)); it was left untouched. Restore it from a copy, or move it away and run again to recompute"
        case .sqlite(let path, let message): "SQLite error in the store \(path): \(message)"
        }
    }
}
