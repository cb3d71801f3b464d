import Core
import Corpus
import Foundation
import Store
import Training

/// A ``Trainer`` that hands each finetune to an external program: a GPU script, a container, anything that reads a
/// job spec and writes a result file (the protocol: ``JobSpec`` in, ``ResultFile`` out).
///
/// For each job it writes the subset and the spec into the job's folder (``JobFolder``), runs the command template
/// (``CommandTemplate``, no shell), validates the result and records it in the store's `finetune` table (``JobLedger``). A job whose key is
/// already finished in the store returns its stored result without running anything; a failed job runs again on
/// the next call, its attempts counted.
///
/// ```swift
/// let trainer = try CommandTrainer(configuration: .init(
///     name: "llama2-7b-full",
///     command: CommandTemplate(executable: ".venv-torch/bin/python",
///                              arguments: ["paper-repro/gpu/finetune.py", "--spec", "{spec}"]),
///     jobsDirectory: URL(fileURLWithPath: ".imine/scale-out"), maxParallelJobs: 2, timeout: 6 * 3600),
///     store: store)
/// let results = trainer.finetuneAll(requests)   // two at a time, one result or error per request
/// ```
public final class CommandTrainer: Trainer, @unchecked Sendable {
    public struct Configuration: Sendable {
        /// Recorded as `command:<name>` and part of every job key: change it when the program's behaviour changes.
        public var name: String
        public var command: CommandTemplate
        /// Root of the job folders (`jobs/<key>/`) and shared evaluation files (`eval/`).
        public var jobsDirectory: URL
        /// Backend knobs written into each spec (`options`) and into each job key.
        public var options: [String: String]
        /// Jobs run at the same time, across all callers of this trainer.
        public var maxParallelJobs: Int
        /// Seconds before a job's process group is killed; nil: no limit.
        public var timeout: TimeInterval?
        /// Extra attempts after a failure, within one call.
        public var retries: Int
        /// Seconds between SIGTERM and SIGKILL when a job times out.
        public var killGrace: TimeInterval
        /// Added to the inherited environment of every job.
        public var environment: [String: String]
        /// Where the program runs; nil: this process's current directory, so that relative paths in the template
        /// (`.venv-torch/bin/python paper-repro/gpu/finetune.py`) mean what they mean to the person who wrote them.
        public var workingDirectory: URL?

        public init(name: String, command: CommandTemplate, jobsDirectory: URL, options: [String: String] = [:],
                    maxParallelJobs: Int = 1, timeout: TimeInterval? = nil, retries: Int = 0, killGrace: TimeInterval = 5,
                    environment: [String: String] = [:], workingDirectory: URL? = nil) {
            (self.name, self.command, self.jobsDirectory) = (name, command, jobsDirectory)
            (self.options, self.maxParallelJobs, self.timeout) = (options, maxParallelJobs, timeout)
            (self.retries, self.killGrace, self.environment) = (retries, killGrace, environment)
            (self.workingDirectory) = (workingDirectory)
        }
    }

    /// One finetune to run through ``finetuneAll(_:)``.
    public struct Request: Sendable {
        public var subset: [Example]
        public var settings: FinetuneSettings
        public var evaluationSets: [String: [Example]]

        public init(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) {
            (self.subset, self.settings, self.evaluationSets) = (subset, settings, evaluationSets)
        }
    }

    public let configuration: Configuration
    public let ledger: JobLedger
    public var backend: String { "command:\(configuration.name)" }
    private let slots: DispatchSemaphore
    private let lock = NSLock()
    private var keysInFlight: Set<String> = []

    public init(configuration: Configuration, store: Store) throws {
        precondition(configuration.maxParallelJobs >= 1 && configuration.retries >= 0)
        self.configuration = configuration
        self.ledger = JobLedger(store: store)
        self.slots = DispatchSemaphore(value: configuration.maxParallelJobs)
    }

    /// The job a request becomes: its key and files, before anything runs.
    public func job(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneJob {
        try FinetuneJob(backend: backend, settings: settings, options: configuration.options, subset: subset,
                        evaluationSets: evaluationSets)
    }

    public func finetune(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneResult {
        try run(try job(subset: subset, settings: settings, evaluationSets: evaluationSets))
    }

    /// Runs `requests`, `maxParallelJobs` at a time; one result (or the error that ended its job) per request, in
    /// order. Requests with the same key run once.
    public func finetuneAll(_ requests: [Request]) -> [Result<FinetuneResult, Error>] {
        inParallel(requests.count) { index in
            Result { try self.finetune(subset: requests[index].subset, settings: requests[index].settings,
                                       evaluationSets: requests[index].evaluationSets) }
        }
    }

    /// Runs `count` bodies on up to `maxParallelJobs` threads; results in index order.
    func inParallel(_ count: Int, _ body: @escaping @Sendable (Int) -> Result<FinetuneResult, Error>) -> [Result<FinetuneResult, Error>] {
        let work = WorkList(count: count)
        let finished = DispatchGroup()
        // Threads, not GCD: each one mostly waits on a child process, and there may be more jobs than cores.
        for _ in 0..<min(configuration.maxParallelJobs, count) {
            finished.enter()
            Thread.detachNewThread {
                defer { finished.leave() }
                while let index = work.take() { work.store(index, body(index)) }
            }
        }
        finished.wait()
        return work.results.map { $0! }
    }

    /// Runs `job` unless the store already has its result.
    public func run(_ job: FinetuneJob) throws -> FinetuneResult {
        try claim(job.key)
        defer { release(job.key) }
        if let entry = try ledger.entry(job.key), entry.status == .finished, let result = entry.result { return result }
        slots.wait()
        defer { slots.signal() }
        let folder = JobFolder(root: configuration.jobsDirectory, key: job.key)
        var lastError: Error = CommandTrainerError.gaveUp(key: job.key, attempts: 0, last: "never ran")
        for _ in 0...configuration.retries {
            try ledger.recordAttempt(job)
            let attempt = try ledger.entry(job.key)?.attempts ?? 1
            do {
                let result = try attemptOnce(job, folder: folder, attempt: attempt)
                try ledger.record(finished: result, for: job)
                return result
            } catch let error as CommandTrainerError {
                lastError = error
                try ledger.record(failure: error.description, for: job)
            }
        }
        throw CommandTrainerError.gaveUp(key: job.key, attempts: configuration.retries + 1, last: "\(lastError)")
    }

    private func attemptOnce(_ job: FinetuneJob, folder: JobFolder, attempt: Int) throws -> FinetuneResult {
        try folder.prepare(job)
        let values = ["job": folder.directory.path, "spec": folder.spec.path, "output": folder.result.path,
                      "subset": folder.subset.path, "key": job.key]
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in configuration.environment { environment[name] = value }
        environment["IMINE_JOB_SPEC"] = folder.spec.path
        environment["IMINE_JOB_DIR"] = folder.directory.path
        let process = JobProcess(
            executable: try configuration.command.resolvedExecutable(environment: environment),
            arguments: configuration.command.arguments(values: values), environment: environment,
            workingDirectory: configuration.workingDirectory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath),
            log: folder.log(attempt: attempt),
            timeout: configuration.timeout, killGrace: configuration.killGrace)
        switch try process.run() {
        case .timedOut:
            throw CommandTrainerError.timedOut(key: job.key, seconds: configuration.timeout ?? 0, log: process.log.path)
        case .signalled(let signal):
            throw CommandTrainerError.processFailed(key: job.key, status: "was killed by signal \(signal)", log: process.log.path, tail: process.logTail())
        case .exited(let status) where status != 0:
            // A program may still have explained itself in the result file; prefer its message.
            if case .failed(let message)? = try? ResultFile.read(folder.result, evaluationSets: job.settings.evaluationSets) {
                throw CommandTrainerError.reported(key: job.key, message: message)
            }
            throw CommandTrainerError.processFailed(key: job.key, status: "exited with status \(status)", log: process.log.path, tail: process.logTail())
        case .exited:
            return try CommandTrainer.outcome(of: job, resultFile: folder.result)
        }
    }

    /// Reads a job's result file into a result, or the error that says why there is none.
    static func outcome(of job: FinetuneJob, resultFile: URL) throws -> FinetuneResult {
        let outcome: ResultFile.Outcome
        do { outcome = try ResultFile.read(resultFile, evaluationSets: job.settings.evaluationSets) } catch let error as InputError {
            throw CommandTrainerError.invalidResult(key: job.key, error)
        }
        switch outcome {
        case .finished(let result): return result
        case .failed(let message): throw CommandTrainerError.reported(key: job.key, message: message)
        }
    }

    /// Two calls for the same job in one process would share a folder: the second waits for the first.
    private func claim(_ key: String) throws {
        while true {
            lock.lock()
            if !keysInFlight.contains(key) { keysInFlight.insert(key); lock.unlock(); return }
            lock.unlock()
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    private func release(_ key: String) {
        lock.lock(); keysInFlight.remove(key); lock.unlock()
    }
}

/// Hands out request indices to worker threads and collects their results.
private final class WorkList: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int
    private(set) var results: [Result<FinetuneResult, Error>?]

    init(count: Int) {
        self.count = count
        results = Array(repeating: nil, count: count)
    }

    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ index: Int, _ result: Result<FinetuneResult, Error>) {
        lock.lock(); results[index] = result; lock.unlock()
    }
}
