import Foundation

/// A ``FinetuneBackend`` that runs any in-process ``Trainer`` (MicroLM today) on `workers` threads at once.
///
/// Each job is recorded as an attempt before it starts and as finished or failed after, so a process killed
/// mid-batch leaves `running` rows that the next run simply retries. After the first failure no new job starts:
/// a systematic error (a missing evaluation set, a wrong base model) costs one job, not the whole batch.
public struct InProcessBackend: FinetuneBackend {
    public let trainer: any Trainer
    public let workers: Int
    public var name: String { trainer.backend }
    public var options: [String: String] { [:] }

    public init(trainer: any Trainer, workers: Int) {
        self.trainer = trainer
        self.workers = max(1, workers)
    }

    public func run(_ jobs: [FinetuneJob], ledger: JobLedger, done: @escaping @Sendable (FinetuneJob) -> Void) throws
        -> [Result<FinetuneResult, Error>] {
        let results = ResultSlots(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: min(workers, jobs.count)) { worker in
            for index in stride(from: worker, to: jobs.count, by: min(workers, jobs.count)) {
                if results.anyFailed { break }
                let result = Result { try finetune(jobs[index], ledger: ledger) }
                results.set(index, result)
                done(jobs[index])
            }
        }
        return results.all { TrainerError.notRun(key: jobs[$0].key) }
    }

    private func finetune(_ job: FinetuneJob, ledger: JobLedger) throws -> FinetuneResult {
        try ledger.recordAttempt(job)
        do {
            let result = try trainer.finetune(subset: job.subset, settings: job.settings, evaluationSets: job.evaluationSets)
            try ledger.record(finished: result, for: job)
            return result
        } catch {
            try ledger.record(failure: "\(error)", for: job)
            throw error
        }
    }
}

/// One result slot per job, filled by worker threads.
final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<FinetuneResult, Error>?]
    private var failed = false

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    var anyFailed: Bool { lock.lock(); defer { lock.unlock() }; return failed }

    func set(_ index: Int, _ result: Result<FinetuneResult, Error>) {
        lock.lock(); defer { lock.unlock() }
        slots[index] = result
        if case .failure = result { failed = true }
    }

    /// Every slot; one never filled becomes the error `missing(index)`.
    func all(missing: (Int) -> Error) -> [Result<FinetuneResult, Error>] {
        lock.lock(); defer { lock.unlock() }
        return slots.indices.map { slots[$0] ?? .failure(missing($0)) }
    }
}
