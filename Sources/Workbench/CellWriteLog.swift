import Foundation
import GRDB

/// The rows a cell inserted into the store while it ran, so that a cell that fails or is interrupted can take them
/// back: a cell's result is all there or not at all, even when its step writes rows of its own (indicator values,
/// artifacts) before it finishes.
///
/// A GRDB transaction observer on the store's writer connection records (table, rowid) of every committed insert
/// between ``start()`` and ``stop()``. Rows of ``keptTables`` are not recorded: each `finetune` row is one finished
/// job under its own content key, kept on purpose so that an interrupted run resumes without repeating it.
final class CellWriteLog: TransactionObserver, @unchecked Sendable {
    /// Tables whose rows outlive an unfinished cell (see above).
    static let keptTables: Set<String> = ["finetune"]

    private let lock = NSLock()
    private var recording = false
    private var pending: [(table: String, rowID: Int64)] = []
    private var committed: [(table: String, rowID: Int64)] = []

    func start() { lock.withLock { recording = true; pending = []; committed = [] } }
    func stop() { lock.withLock { recording = false; pending = []; committed = [] } }

    /// Committed inserts of the current cell, newest first (the order that deletes children before parents).
    var rowsNewestFirst: [(table: String, rowID: Int64)] { lock.withLock { committed.reversed() } }

    /// Deletes every recorded row in `db` (inside the caller's transaction) and returns how many were deleted.
    static func delete(_ rows: [(table: String, rowID: Int64)], in db: Database) throws -> Int {
        for row in rows { try db.execute(sql: "DELETE FROM \"\(row.table)\" WHERE rowid = ?", arguments: [row.rowID]) }
        return rows.count
    }

    // MARK: TransactionObserver

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return !Self.keptTables.contains(table) && table != "run" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) {
        lock.withLock { if recording { pending.append((event.tableName, event.rowID)) } }
    }

    func databaseDidCommit(_ db: Database) {
        lock.withLock {
            if recording { committed += pending }
            pending = []
        }
    }

    func databaseDidRollback(_ db: Database) { lock.withLock { pending = [] } }
}
