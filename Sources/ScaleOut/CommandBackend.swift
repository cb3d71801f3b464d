import Foundation
import Training

/// The command trainer as a ``FinetuneBackend``: the jobs of a batch run `maxParallelJobs` at a time, each through
/// ``CommandTrainer/run(_:)`` (job folder, program, validated result file, retries). It records every attempt in the
/// ledger of the store it was made with, which is the runner's.
extension CommandTrainer: FinetuneBackend {
    public var name: String { backend }
    public var options: [String: String] { configuration.options }

    public func run(_ jobs: [FinetuneJob], ledger: JobLedger, done: @escaping @Sendable (FinetuneJob) -> Void) throws
        -> [Result<FinetuneResult, Error>] {
        inParallel(jobs.count) { index in
            defer { done(jobs[index]) }
            return Result { try self.run(jobs[index]) }
        }
    }
}
