import Foundation

/// Where finetunes run: in this process (MicroLM, later a GGUF model), through an external program, or on a Slurm
/// cluster. ``FinetuneRunner`` hands a backend only the jobs the ledger has not finished; the backend runs them and
/// records each outcome in the ledger, so that a rerun after a crash or a failure retries only what is not done.
///
/// A backend's ``name`` and ``options`` are its identity: they enter every job's key (``FinetuneJob``), so that a
/// result of one backend is never served for another.
///
///     let runner = FinetuneRunner(backend: InProcessBackend(trainer: microLM, workers: 2), ledger: JobLedger(store: store))
///     let results = try runner.run(jobs, progress: bar)   // in job order; finished jobs are read back
public protocol FinetuneBackend: Sendable {
    /// Recorded with every job and part of its key ("microlm", "command:llama2-7b-lora").
    var name: String { get }
    /// Knobs that can change a result (LoRA rank, precision): written into each job spec and each job key.
    var options: [String: String] { get }
    /// Runs `jobs` (none of them finished in `ledger`, no key twice) and records each attempt and outcome there.
    /// Returns one result or error per job, in order; calls `done` once per job that ends either way. Throws
    /// only for what stops the whole batch (a cluster that refused it, or a batch still out: ``FinetuneBatchPending``).
    func run(_ jobs: [FinetuneJob], ledger: JobLedger, done: @escaping @Sendable (FinetuneJob) -> Void) throws
        -> [Result<FinetuneResult, Error>]
}

/// A batch handed to a scheduler that has not finished yet, and the backend was asked not to wait for it. The
/// message says what was submitted and what to do next; the finished jobs are already in the ledger.
public struct FinetuneBatchPending: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
