import Foundation

/// The two questions the workbench asks a Slurm controller besides `sbatch`: which tasks of an array are still
/// queued or running (`squeue`), and cancel an array (`scancel`). Both run without a shell; `environment` adds to
/// this process's (e.g. `SLURM_CONF`).
public struct SlurmQueue: Sendable {
    public var environment: [String: String]
    /// Where the commands' output goes (one file, overwritten per call).
    public var log: URL

    public init(environment: [String: String] = [:], log: URL) {
        self.environment = environment
        self.log = log
    }

    /// The task ids of `arrayID` that Slurm still lists. An array Slurm no longer knows has none; a controller that
    /// cannot be reached is an error (it says nothing about whether the tasks are alive).
    public func liveTasks(of arrayID: String) throws -> Set<Int> {
        let (ending, output) = try run("squeue", ["--noheader", "--array", "--jobs=\(arrayID)", "--format=%K"])
        if ending != .exited(0) {
            if output.contains("Invalid job id") { return [] }
            throw CommandTrainerError.processFailed(key: "array \(arrayID)", status: "squeue ended \(ending)", log: log.path, tail: output)
        }
        return Set(output.split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
    }

    /// Cancels every task of `arrayID` that has not ended.
    public func cancel(_ arrayID: String) throws {
        let (ending, output) = try run("scancel", [arrayID])
        guard ending == .exited(0) else {
            throw CommandTrainerError.processFailed(key: "array \(arrayID)", status: "scancel ended \(ending)", log: log.path, tail: output)
        }
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> (JobProcess.Ending, String) {
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value }
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        let template = try CommandTemplate(executable: tool, arguments: arguments)
        let process = JobProcess(executable: try template.resolvedExecutable(environment: env), arguments: arguments,
                                 environment: env, workingDirectory: log.deletingLastPathComponent(), log: log,
                                 timeout: 60, killGrace: 5)
        let ending = try process.run()
        return (ending, process.logTail())
    }
}
