import Core
import Foundation
import Store
import Training

/// A sweep of finetune jobs as one Slurm job array: export, submit, ingest, status.
///
/// `export` writes every job folder exactly as ``CommandTrainer`` would (so the same program runs on a laptop and on
/// the cluster), plus `manifest.tsv` (task → job key → folder), `manifest.json` (what ingest needs to validate and
/// record results) and `sweep.sbatch`. Jobs the store already has finished are left out: a sweep never recomputes.
/// After (or while) the array runs, `ingest` reads each `result.json` into the store's `finetune` table; a job whose
/// script ended without a valid result is recorded as failed, one still queued or running stays pending. Exporting
/// again after failures writes a new array of the jobs that are not finished (taking in any result not yet
/// ingested): the sweep resumes.
///
/// ```swift
/// let sweep = try SlurmSweep.export(jobs, command: template, to: URL(fileURLWithPath: "sweeps/rule-fit"),
///                                   options: SlurmOptions(partition: "gpu", gpusPerTask: 1), ledger: ledger)
/// try sweep.submit()                       // sbatch --parsable sweep.sbatch
/// let status = try sweep.ingest(into: ledger)
/// print(status.summary)                   // "129 jobs: 120 finished, 2 failed, 7 pending"
/// ```
public struct SlurmSweep: Sendable {
    public let directory: URL
    public let manifest: Manifest

    public struct Manifest: Codable, Equatable, Sendable {
        public var format = "imine-slurm-sweep/1"
        public var backend: String
        public var tasks: [Task]

        public struct Task: Codable, Equatable, Sendable {
            public var task: Int
            public var jobKey: String
            public var jobDirectory: String
            public var evaluationSets: [String]
            /// The job's canonical identity JSON, as the store keeps it.
            public var identity: String
        }
    }

    /// Where each job of the sweep stands after an ingest.
    public struct Status: Equatable, Sendable {
        public var finished: [String] = []
        public var failed: [(key: String, error: String)] = []
        public var pending: [String] = []

        public var summary: String {
            "\(finished.count + failed.count + pending.count) jobs: \(finished.count) finished, \(failed.count) failed, \(pending.count) pending"
        }

        public static func == (a: Status, b: Status) -> Bool {
            a.finished == b.finished && a.pending == b.pending && a.failed.map(\.key) == b.failed.map(\.key) && a.failed.map(\.error) == b.failed.map(\.error)
        }
    }

    /// Writes the sweep folder for the jobs not yet finished in `ledger`, and records them there as exported.
    /// `workingDirectory` is where the command runs on the cluster (default: this process's current directory).
    public static func export(_ jobs: [FinetuneJob], command: CommandTemplate, to directory: URL, options: SlurmOptions,
                              ledger: JobLedger, workingDirectory: URL? = nil) throws -> SlurmSweep {
        let backends = Set(jobs.map(\.backend))
        guard backends.count <= 1 else { throw CommandTrainerError.sweep("one sweep runs one backend, got \(backends.sorted())") }
        let files = FileManager.default
        try files.createDirectory(at: directory.appendingPathComponent("logs"), withIntermediateDirectories: true)
        var tasks: [Manifest.Task] = []
        var seen: Set<String> = []
        for job in jobs where !seen.contains(job.key) {
            seen.insert(job.key)
            if try ledger.entry(job.key)?.status == .finished { continue }
            let folder = JobFolder(root: directory, key: job.key)
            // A result the cluster wrote but nobody ingested yet is taken, not thrown away by a re-export.
            if let result = try? CommandTrainer.outcome(of: job, resultFile: folder.result) {
                try ledger.record(finished: result, for: job)
                continue
            }
            try folder.prepare(job)
            try? files.removeItem(at: folder.directory.appendingPathComponent("slurm-exit"))
            tasks.append(.init(task: tasks.count, jobKey: job.key, jobDirectory: folder.relativePath,
                               evaluationSets: job.settings.evaluationSets, identity: try CanonicalJSON.string(job.identity)))
            try ledger.recordExported(job)
        }
        // The previous array's id goes with its manifest: the tasks below are not submitted yet.
        try? files.removeItem(at: directory.appendingPathComponent("array-id"))
        let manifest = Manifest(backend: backends.first ?? "", tasks: tasks)
        try JobFolder.writeIfChanged(try CanonicalJSON.encode(manifest), to: directory.appendingPathComponent("manifest.json"))
        let tsv = "task\tjob_key\tjob_dir\n" + tasks.map { "\($0.task)\t\($0.jobKey)\t\($0.jobDirectory)\n" }.joined()
        try JobFolder.writeIfChanged(Data(tsv.utf8), to: directory.appendingPathComponent("manifest.tsv"))
        let script = directory.appendingPathComponent("sweep.sbatch")
        if tasks.isEmpty {
            try? files.removeItem(at: script)  // nothing left to run: no script that would submit an empty array
        } else {
            let text = SlurmScript.render(taskCount: tasks.count, options: options, command: command,
                                          sweepDirectory: directory.standardizedFileURL.path,
                                          workingDirectory: (workingDirectory ?? URL(fileURLWithPath: files.currentDirectoryPath)).path)
            try JobFolder.writeIfChanged(Data(text.utf8), to: script)
        }
        return SlurmSweep(directory: directory, manifest: manifest)
    }

    /// Opens a sweep folder written by ``export(_:command:to:options:ledger:workingDirectory:)``.
    public static func open(_ directory: URL) throws -> SlurmSweep {
        let file = directory.appendingPathComponent("manifest.json")
        guard let bytes = FileManager.default.contents(atPath: file.path) else {
            throw InputError(file: file.path, "no sweep manifest here: export the sweep first")
        }
        do { return SlurmSweep(directory: directory, manifest: try JSONDecoder().decode(Manifest.self, from: bytes)) } catch {
            throw InputError(file: file.path, path: "$", "not a sweep manifest: \(ResultFile.describe(error))")
        }
    }

    /// Submits the array with `sbatch --parsable`; returns Slurm's array job id. `environment` adds to this
    /// process's (e.g. `SLURM_CONF`).
    @discardableResult
    public func submit(sbatch: String = "sbatch", environment: [String: String] = [:]) throws -> String {
        guard !manifest.tasks.isEmpty else { throw CommandTrainerError.sweep("nothing to submit: every job of the sweep is finished") }
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value }
        let command = try CommandTemplate(executable: sbatch, arguments: ["--parsable", directory.appendingPathComponent("sweep.sbatch").path])
        let log = directory.appendingPathComponent("logs/sbatch.log")
        let process = JobProcess(executable: try command.resolvedExecutable(environment: env), arguments: command.arguments,
                                 environment: env, workingDirectory: directory, log: log, timeout: 120, killGrace: 5)
        let ending = try process.run()
        let output = process.logTail()
        guard ending == .exited(0), let id = output.split(separator: "\n").last.map({ String($0.split(separator: ";")[0]) }),
              !id.isEmpty, id.allSatisfy(\.isNumber) else {
            throw CommandTrainerError.processFailed(key: "sweep", status: "sbatch ended \(ending)", log: log.path, tail: output)
        }
        try Data((id + "\n").utf8).write(to: directory.appendingPathComponent("array-id"), options: .atomic)
        return id
    }

    /// Reads every task's result into `ledger` and says where each job stands. Safe to run again at any time:
    /// a finished job stays finished, a pending one is looked at again. `liveTasks`: the array's task ids that
    /// Slurm still lists (queued or running), asked *before* this call; a task that has neither a result nor an exit
    /// record and is not among them died without a word (killed, node lost) and is recorded as failed. `record`:
    /// false only looks (``status``-style), writing nothing to the ledger.
    @discardableResult
    public func ingest(into ledger: JobLedger, liveTasks: Set<Int>? = nil, record: Bool = true) throws -> Status {
        var status = Status()
        for task in manifest.tasks {
            let folder = JobFolder(root: directory, key: task.jobKey)
            if let entry = try ledger.entry(task.jobKey), entry.status == .finished {
                status.finished.append(task.jobKey)
                continue
            }
            let exitFile = folder.directory.appendingPathComponent("slurm-exit")
            let ended = (try? String(contentsOf: exitFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            let hasResult = FileManager.default.fileExists(atPath: folder.result.path)
            let log = "\(directory.path)/logs/" + (arrayID.map { "\($0)_\(task.task).log" } ?? "")
            let error: String
            if !hasResult && ended == nil {
                guard let liveTasks, !liveTasks.contains(task.task) else { status.pending.append(task.jobKey); continue }
                error = "the Slurm task \(task.task) ended without a result or an exit record (killed, or its node was lost); "
                    + "job folder \(folder.directory.path); log \(log)"
            } else {
                do {
                    switch try ResultFile.read(folder.result, evaluationSets: task.evaluationSets) {
                    case .finished(let result):
                        if record {
                            try ledger.upsert(key: task.jobKey, backend: manifest.backend, identity: task.identity, status: .finished,
                                              result: result, error: nil, attemptDelta: 0)
                        }
                        status.finished.append(task.jobKey)
                        continue
                    case .failed(let message): error = "the program reported an error: \(message) (job folder \(folder.directory.path))"
                    }
                } catch let input as InputError {
                    // A result file may still be being written while the task runs: only an ended task has failed.
                    guard let ended else { status.pending.append(task.jobKey); continue }
                    error = hasResult ? "invalid result: \(input)"
                        : "the task ended (\(ended)) without a result; job folder \(folder.directory.path); log \(log)"
                }
            }
            if record {
                try ledger.upsert(key: task.jobKey, backend: manifest.backend, identity: task.identity, status: .failed,
                                  result: nil, error: error, attemptDelta: 0)
            }
            status.failed.append((task.jobKey, error))
        }
        return status
    }

    /// The Slurm array job id of the last submission of this sweep (`array-id` in its folder), if it was submitted.
    public var arrayID: String? {
        (try? String(contentsOf: directory.appendingPathComponent("array-id"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
