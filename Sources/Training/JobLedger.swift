import Core
import Foundation
import GRDB
import Store

/// The store's `finetune` table as a record of jobs: what is finished (with its result), what failed and how often,
/// what was handed to a cluster and is still out.
///
/// Status values: `running` (a local attempt is under way), `finished`, `failed`, `exported` (written for a Slurm
/// sweep, no result yet). A finished row is final: ``record(finished:for:)`` never overwrites it with another result.
public struct JobLedger: Sendable {
    public let store: Store

    public init(store: Store) { self.store = store }

    public enum Status: String, Codable, Sendable { case running, finished, failed, exported }

    /// One row of the table.
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var backend: String
        public var status: Status
        public var result: FinetuneResult?
        public var error: String?
        public var attempts: Int
        public var updatedAt: String
    }

    public func entry(_ key: String) throws -> Entry? {
        try store.read { db in try Row.fetchOne(db, sql: "SELECT * FROM finetune WHERE job_key = ?", arguments: [key]) }
            .map(JobLedger.entry(from:))
    }

    /// Every row with `status`, oldest first.
    public func entries(status: Status) throws -> [Entry] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM finetune WHERE status = ? ORDER BY updated_at, job_key", arguments: [status.rawValue])
        }.map(JobLedger.entry(from:))
    }

    /// Marks an attempt as started: inserts the job or bumps its attempt count. A finished job is left alone.
    public func recordAttempt(_ job: FinetuneJob) throws {
        try upsert(job, status: .running, result: nil, error: nil, attemptDelta: 1)
    }

    /// Records a job handed to a cluster; a job that is already finished stays finished.
    public func recordExported(_ job: FinetuneJob) throws {
        try upsert(job, status: .exported, result: nil, error: nil, attemptDelta: 1)
    }

    public func record(finished result: FinetuneResult, for job: FinetuneJob) throws {
        try upsert(job, status: .finished, result: result, error: nil, attemptDelta: 0)
    }

    public func record(failure message: String, for job: FinetuneJob) throws {
        try upsert(job, status: .failed, result: nil, error: message, attemptDelta: 0)
    }

    private func upsert(_ job: FinetuneJob, status: Status, result: FinetuneResult?, error: String?, attemptDelta: Int) throws {
        try upsert(key: job.key, backend: job.backend, identity: try CanonicalJSON.string(job.identity), status: status,
                   result: result, error: error, attemptDelta: attemptDelta)
    }

    /// The one writer of the table; `identity` is the job's canonical identity JSON.
    public func upsert(key: String, backend: String, identity: String, status: Status, result: FinetuneResult?, error: String?,
                attemptDelta: Int) throws {
        let resultJSON = try result.map { try CanonicalJSON.string($0) }
        let now = ISO8601DateFormatter().string(from: Date())
        try store.write { db in
            // A finished row is never replaced: the first result of a job is its result.
            try db.execute(sql: """
                INSERT INTO finetune (job_key, backend, job_json, status, result_json, error, attempts, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(job_key) DO UPDATE SET
                    status = excluded.status, result_json = excluded.result_json, error = excluded.error,
                    attempts = finetune.attempts + ?, updated_at = excluded.updated_at
                WHERE finetune.status != 'finished'
                """, arguments: [key, backend, identity, status.rawValue, resultJSON, error, attemptDelta, now, attemptDelta])
        }
    }

    static func entry(from row: Row) throws -> Entry {
        let key: String = row["job_key"]
        let statusText: String = row["status"]
        guard let status = Status(rawValue: statusText) else {
            throw InputError(file: "finetune table", path: "job_key=\(key)", field: "status", "unknown status '\(statusText)'")
        }
        var result: FinetuneResult?
        if let json: String = row["result_json"] {
            result = try JSONDecoder().decode(FinetuneResult.self, from: Data(json.utf8))
        }
        return Entry(key: key, backend: row["backend"], status: status, result: result, error: row["error"],
                     attempts: row["attempts"], updatedAt: row["updated_at"])
    }
}
