import Core
import Corpus
import Foundation

/// Runs finetune jobs through the store's job ledger on any ``FinetuneBackend``: a job whose key is already finished
/// is read back, never recomputed; the rest go to the backend in one batch. A failed job fails the call with an
/// error naming it, while every job that did finish stays in the ledger, so running again retries only the failures.
public struct FinetuneRunner: Sendable {
    public let backend: any FinetuneBackend
    public let ledger: JobLedger

    public init(backend: any FinetuneBackend, ledger: JobLedger) {
        self.backend = backend
        self.ledger = ledger
    }

    /// The job a finetune becomes under this runner's backend: its key covers the backend's name and options.
    public func job(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneJob {
        try FinetuneJob(backend: backend.name, settings: settings, options: backend.options, subset: subset,
                        evaluationSets: evaluationSets)
    }

    /// Every job's result, in order; `progress` advances once per job (finished ones at once).
    public func run(_ jobs: [FinetuneJob], progress: Core.Progress? = nil) throws -> [FinetuneResult] {
        var results: [String: FinetuneResult] = [:]
        var pending: [FinetuneJob] = []
        var queued: Set<String> = []
        for job in jobs where results[job.key] == nil && !queued.contains(job.key) {
            if let entry = try ledger.entry(job.key), entry.status == .finished, let result = entry.result {
                results[job.key] = result
                progress?.advance(note: "\(job.key.prefix(12)) (stored)")
            } else {
                pending.append(job)
                queued.insert(job.key)
            }
        }
        if !pending.isEmpty {
            let outcomes = try backend.run(pending, ledger: ledger) { job in progress?.advance(note: String(job.key.prefix(12))) }
            var failures: [String] = []
            for (job, outcome) in zip(pending, outcomes) {
                switch outcome {
                case .success(let result): results[job.key] = result
                case .failure(let error): failures.append("job \(job.key.prefix(12)): \(error)")
                }
            }
            if !failures.isEmpty {
                throw FinetuneFailures(failed: failures, of: pending.count, finished: results.count)
            }
        }
        return jobs.map { results[$0.key]! }
    }
}

/// Some finetunes of a batch failed. Those that finished are kept in the ledger; the next run retries the rest.
public struct FinetuneFailures: Error, CustomStringConvertible, Sendable {
    public let failed: [String]
    public let of: Int
    public let finished: Int

    public var description: String {
        "\(failed.count) of \(of) finetunes to run failed (\(finished) finished and kept in the job ledger; run again "
            + "to retry only the failed ones):\n" + failed.map { "  - \($0)" }.joined(separator: "\n")
    }
}
