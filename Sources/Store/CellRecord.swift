import Foundation
import GRDB

/// One finished notebook cell under one cache key (table `cell`). The runner writes it, together with the
/// artifacts it points to, in one transaction, so a cell is either wholly stored or absent.
public struct CellRecord: Codable, FetchableRecord, PersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "cell"
    public var notebook, cellID, cacheKey, step: String
    public var stepVersion: Int
    public var paramsJSON: String
    /// The payload artifact: what cells that use this one read, and what their cache keys include.
    public var outputDigest: String
    /// The presentation artifact (tables, figures, text, model hashes); nil only for rows written before v2.
    public var reportDigest: String?
    public var runID: Int64?
    public var durationSeconds: Double
    public var finishedAt: String

    enum CodingKeys: String, CodingKey {
        case notebook, cellID = "cell_id", cacheKey = "cache_key", step, stepVersion = "step_version",
             paramsJSON = "params_json", outputDigest = "output_digest", reportDigest = "report_digest",
             runID = "run_id", durationSeconds = "duration_s", finishedAt = "finished_at"
    }

    public init(notebook: String, cellID: String, cacheKey: String, step: String, stepVersion: Int, paramsJSON: String,
                outputDigest: String, reportDigest: String?, runID: Int64?, durationSeconds: Double, finishedAt: String) {
        (self.notebook, self.cellID, self.cacheKey) = (notebook, cellID, cacheKey)
        (self.step, self.stepVersion, self.paramsJSON) = (step, stepVersion, paramsJSON)
        (self.outputDigest, self.reportDigest, self.runID) = (outputDigest, reportDigest, runID)
        (self.durationSeconds, self.finishedAt) = (durationSeconds, finishedAt)
    }

    /// A finished cell with this cache key, preferring the row of this notebook and cell id.
    public static func find(cacheKey: String, notebook: String, cellID: String, in db: Database) throws -> CellRecord? {
        try CellRecord.fetchOne(db, sql: """
            SELECT * FROM cell WHERE cache_key = ?
            ORDER BY (notebook = ? AND cell_id = ?) DESC, finished_at DESC LIMIT 1
            """, arguments: [cacheKey, notebook, cellID])
    }

    /// Whether this notebook's cell has ever finished under any key (stale rather than missing).
    public static func exists(notebook: String, cellID: String, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM cell WHERE notebook = ? AND cell_id = ?)",
                          arguments: [notebook, cellID]) ?? false
    }

    /// Inserts or replaces the row (a forced re-run replaces the earlier result under the same key).
    public func save(in db: Database) throws {
        try db.execute(sql: """
            INSERT OR REPLACE INTO cell (notebook, cell_id, cache_key, step, step_version, params_json, output_digest,
                                         report_digest, run_id, duration_s, finished_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [notebook, cellID, cacheKey, step, stepVersion, paramsJSON, outputDigest, reportDigest,
                             runID, durationSeconds, finishedAt])
    }
}

/// One `imine run` of one notebook (table `run`) and its provenance.
public struct RunRecord: Codable, FetchableRecord, MutablePersistableRecord, Sendable, Equatable {
    public static let databaseTableName = "run"
    public var id: Int64?
    public var notebook: String
    public var profile: String
    public var provenanceJSON: String
    public var startedAt: String
    public var finishedAt: String?
    /// "running", "finished", "failed", "interrupted" (SIGINT/SIGTERM) or "killed" (found running after its process had died).
    public var status: String

    enum CodingKeys: String, CodingKey {
        case id, notebook, profile, provenanceJSON = "provenance_json", startedAt = "started_at",
             finishedAt = "finished_at", status
    }

    public init(id: Int64? = nil, notebook: String, profile: String, provenanceJSON: String, startedAt: String,
                finishedAt: String? = nil, status: String) {
        (self.id, self.notebook, self.profile, self.provenanceJSON) = (id, notebook, profile, provenanceJSON)
        (self.startedAt, self.finishedAt, self.status) = (startedAt, finishedAt, status)
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The runs whose status is still "running" (live, or left so by a process that died).
    public static func running(in db: Database) throws -> [RunRecord] {
        try RunRecord.fetchAll(db, sql: "SELECT * FROM run WHERE status = 'running'")
    }

    /// Ends run `id` with its final provenance and status.
    public static func finish(_ id: Int64?, provenanceJSON: String, finishedAt: String?, status: String, in db: Database) throws {
        try db.execute(sql: "UPDATE run SET provenance_json = ?, finished_at = ?, status = ? WHERE id = ?",
                       arguments: [provenanceJSON, finishedAt, status, id])
    }

    /// Sets run `id`'s status (and end time, when given) if it is still "running": a run that ended is left as it ended.
    public static func endIfRunning(_ id: Int64?, status: String, finishedAt: String? = nil, in db: Database) throws {
        try db.execute(sql: "UPDATE run SET status = ?, finished_at = COALESCE(?, finished_at) WHERE id = ? AND status = 'running'",
                       arguments: [status, finishedAt, id])
    }
}
