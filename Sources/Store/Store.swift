import Core
import Foundation
import GRDB

/// The workbench's SQLite store: every dataset, example, indicator value, artifact, run, cell, finetune and search
/// trial lives here.
///
/// Opened in WAL mode with a busy timeout so that two `imine` processes can share one file: a writer waits for the
/// other instead of failing with "database is locked"; if the wait runs out, ``StoreError/busy(_:)`` says so.
/// The schema is versioned in ``Schema``; opening a store migrates it.
public final class Store: Sendable {
    public let path: String
    public let pool: DatabasePool

    /// How long a writer waits for another process's transaction before giving up.
    public static let busyTimeout: TimeInterval = 60

    public init(path: String) throws {
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
            pool = try DatabasePool(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw StoreError.busy(path)
        }
    }

    /// Runs `body` in one write transaction; nothing of it is kept if it throws.
    public func write<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try pool.write(body) } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw StoreError.busy(path)
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws -> T { try pool.read(body) }

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

    public var description: String {
        switch self {
        case .busy(let path):
            "the store \(path) is busy: another imine process held its write lock for over \(Int(Store.busyTimeout)) s; try again when it finishes"
        case .missingArtifact(let digest): "no artifact with digest \(digest) in the store"
        case .cannotOpen(let path, let reason): "cannot open \(path): \(reason)"
        }
    }
}
