import Core
import Foundation
import Training

/// A ``FinetuneBackend`` that sends a batch of finetunes to Slurm as one job array (``SlurmSweep``) running the
/// command template on every job folder, and either waits for it, with progress, or stops with
/// ``FinetuneBatchPending`` saying what was submitted.
///
/// Each batch has its own sweep folder, `<jobs>/sweeps/<digest of its job keys>`, so the next run of the same
/// cell finds it again: it first ingests what the array finished (a task Slurm no longer lists that left no result
/// is recorded as failed), waits for or stops at tasks still out, and only then exports and submits the jobs that
/// are neither finished nor out, i.e. new and failed ones. A finished job is never submitted again.
///
/// Its jobs are the command backend's (`command:<name>`): the same program on the same job gives the same result
/// whether it ran on this machine or on the cluster, and either path finds the other's results in the ledger.
public struct SlurmBackend: FinetuneBackend {
    public struct Configuration: Sendable {
        public var name: String
        public var command: CommandTemplate
        /// Root of the sweep folders (`sweeps/<digest>/`).
        public var jobsDirectory: URL
        public var options: [String: String]
        public var slurm: SlurmOptions
        /// Wait for the array to end (polling every `pollSeconds`) instead of stopping after the submission.
        public var wait: Bool
        public var pollSeconds: Double
        /// Added to the environment of `sbatch`, `squeue` and `scancel`, and so of every task (sbatch exports it).
        public var environment: [String: String]
        public var workingDirectory: URL?

        public init(name: String, command: CommandTemplate, jobsDirectory: URL, options: [String: String] = [:],
                    slurm: SlurmOptions, wait: Bool = false, pollSeconds: Double = 10, environment: [String: String] = [:],
                    workingDirectory: URL? = nil) {
            (self.name, self.command, self.jobsDirectory) = (name, command, jobsDirectory)
            (self.options, self.slurm, self.wait) = (options, slurm, wait)
            (self.pollSeconds, self.environment, self.workingDirectory) = (pollSeconds, environment, workingDirectory)
        }
    }

    public let configuration: Configuration
    public var name: String { "command:\(configuration.name)" }
    public var options: [String: String] { configuration.options }

    public init(configuration: Configuration) { self.configuration = configuration }

    /// The sweep folder of a batch: the same jobs, the same folder.
    public func sweepDirectory(for jobs: [FinetuneJob]) -> URL {
        let digest = SHA256.hex(jobs.map(\.key).sorted().joined(separator: "\n"))
        return configuration.jobsDirectory.appendingPathComponent("sweeps/\(digest.prefix(16))", isDirectory: true)
    }

    public func run(_ jobs: [FinetuneJob], ledger: JobLedger, done: @escaping @Sendable (FinetuneJob) -> Void) throws
        -> [Result<FinetuneResult, Error>] {
        let directory = sweepDirectory(for: jobs)
        var reported: Set<String> = []
        func report(_ status: SlurmSweep.Status) {
            for key in status.finished + status.failed.map(\.key) where !reported.contains(key) {
                reported.insert(key)
                if let job = jobs.first(where: { $0.key == key }) { done(job) }
            }
        }
        // What an earlier submission of this batch finished, failed or still has out.
        if let earlier = try? SlurmSweep.open(directory), earlier.arrayID != nil {
            try settle(earlier, ledger: ledger, report: report)
        }
        let sweep = try SlurmSweep.export(jobs, command: configuration.command, to: directory, options: configuration.slurm,
                                          ledger: ledger, workingDirectory: configuration.workingDirectory)
        if !sweep.manifest.tasks.isEmpty {
            let arrayID = try sweep.submit(environment: configuration.environment)
            if !configuration.wait {
                throw FinetuneBatchPending("\(sweep.manifest.tasks.count) finetune jobs submitted as Slurm array \(arrayID) "
                    + "(sweep \(directory.path)); `imine sweep status` shows progress; run again to continue")
            }
            try settle(sweep, ledger: ledger, report: report)
        }
        return try jobs.map { job in
            guard let entry = try ledger.entry(job.key) else { return .failure(TrainerError.notRun(key: job.key)) }
            if entry.status == .finished, let result = entry.result { return .success(result) }
            return .failure(CommandTrainerError.sweep("job \(job.key.prefix(12)) (\(directory.path)/jobs/\(job.key)): "
                + (entry.error ?? "status \(entry.status.rawValue)")))
        }
    }

    /// Ingests `sweep` until none of its tasks is out, waiting if configured to, else stopping while some are.
    private func settle(_ sweep: SlurmSweep, ledger: JobLedger, report: (SlurmSweep.Status) -> Void) throws {
        guard let arrayID = sweep.arrayID else { return }
        let queue = SlurmQueue(environment: configuration.environment, log: sweep.directory.appendingPathComponent("logs/squeue.log"))
        while true {
            let live = try queue.liveTasks(of: arrayID)  // before reading files: see ingest(into:liveTasks:)
            let status = try sweep.ingest(into: ledger, liveTasks: live)
            report(status)
            if status.pending.isEmpty { return }
            guard configuration.wait else {
                throw FinetuneBatchPending("\(status.pending.count) of \(sweep.manifest.tasks.count) finetune jobs of Slurm array "
                    + "\(arrayID) are still queued or running (sweep \(sweep.directory.path)); `imine sweep status` shows "
                    + "progress; run again to continue")
            }
            Thread.sleep(forTimeInterval: configuration.pollSeconds)
        }
    }
}
