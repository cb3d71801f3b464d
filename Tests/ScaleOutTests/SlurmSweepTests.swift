import Corpus
import Foundation
import ScaleOut
import Store
import Training
import XCTest

final class SlurmSweepTests: XCTestCase {
    private var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    func testScriptQuotesLiteralsAndExpandsPlaceholders() throws {
        let sandbox = try makeSandbox()
        let command = try CommandTemplate(executable: "/opt/py env/python", arguments: ["it's", "--spec={spec}", "{job}/x", "$HOME"])
        let job = try FinetuneJob(backend: "command:t", settings: Sandbox.settings(), subset: Sandbox.examples(2, tag: "s"),
                                  evaluationSets: Sandbox.evaluation)
        let sweep = try SlurmSweep.export([job, job], command: command, to: sandbox.root.appendingPathComponent("sweep"),
                                          options: SlurmOptions(partition: "gpu", gpusPerTask: 2, memory: "64G", timeLimit: 90_061,
                                                                maxConcurrent: 8, extraDirectives: ["--account=p1"]),
                                          ledger: JobLedger(store: sandbox.store))
        XCTAssertEqual(sweep.manifest.tasks.map(\.jobKey), [job.key], "a job listed twice is one task")
        let script = try String(contentsOf: sweep.directory.appendingPathComponent("sweep.sbatch"), encoding: .utf8)
        XCTAssertTrue(script.contains(#"command=( '/opt/py env/python' 'it'\''s' '--spec='"$spec" "$job"'/x' '$HOME' )"#), script)
        for line in ["#SBATCH --array=0-0%8", "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:2", "#SBATCH --mem=64G",
                     "#SBATCH --time=1-01:01:01", "#SBATCH --account=p1"] {
            XCTAssertTrue(script.contains(line + "\n"), "missing \(line)")
        }
        let tsv = try String(contentsOf: sweep.directory.appendingPathComponent("manifest.tsv"), encoding: .utf8)
        XCTAssertEqual(tsv, "task\tjob_key\tjob_dir\n0\t\(job.key)\tjobs/\(job.key)\n")
        XCTAssertEqual(try SlurmSweep.open(sweep.directory).manifest, sweep.manifest)
        XCTAssertEqual(try JobLedger(store: sandbox.store).entry(job.key)?.status, .exported)
        // Nothing has run: the job is pending.
        XCTAssertEqual(try sweep.ingest(into: JobLedger(store: sandbox.store)).pending, [job.key])
        // A result written on the cluster but not ingested survives a re-export, which takes it in.
        let result = #"{"eval_losses": {"self-instruct": 0.9, "mt-bench": 0.7}, "tokens": 12, "wall_seconds": 3}"#
        try Data(result.utf8).write(to: sweep.directory.appendingPathComponent("jobs/\(job.key)/result.json"))
        let again = try SlurmSweep.export([job], command: command, to: sweep.directory, options: SlurmOptions(),
                                          ledger: JobLedger(store: sandbox.store))
        XCTAssertEqual(again.manifest.tasks, [])
        XCTAssertEqual(try JobLedger(store: sandbox.store).entry(job.key)?.result?.evalLosses["mt-bench"], 0.7)
        XCTAssertFalse(FileManager.default.fileExists(atPath: sweep.directory.appendingPathComponent("sweep.sbatch").path))
    }

    /// Against a real single-node Slurm (Debian's slurm-wlm and munge) that the test starts and stops itself.
    /// Opt-in (needs root and the packages): IMINE_SLURM_TESTS=1.
    func testSweepRunsOnARealSlurmClusterAndIngestsBack() throws {
        guard ProcessInfo.processInfo.environment["IMINE_SLURM_TESTS"] == "1" else {
            throw XCTSkip("set IMINE_SLURM_TESTS=1 to run the sweep on a real local Slurm (apt-get install slurm-wlm munge; root)")
        }
        let sandbox = try makeSandbox()
        let clusterScript = repository.appendingPathComponent("paper-repro/slurm/local-cluster.sh").path
        let cluster = sandbox.root.appendingPathComponent("cluster")
        try shell(clusterScript, "start", cluster.path, "2")
        defer { try? shell(clusterScript, "stop", cluster.path) }
        let slurmEnvironment = ["SLURM_CONF": cluster.appendingPathComponent("slurm.conf").path,
                                "FAKE_LEDGER": sandbox.root.appendingPathComponent("calls.log").path]

        let ok = try sandbox.trainer(name: "sweep")
        let failing = try sandbox.trainer(name: "sweep", options: ["mode": "fail"])
        let eval = Sandbox.evaluation
        let alreadyDone = try ok.job(subset: Sandbox.examples(3, tag: "done"), settings: Sandbox.settings(), evaluationSets: eval)
        _ = try ok.run(alreadyDone)
        let good = try (0..<3).map { try ok.job(subset: Sandbox.examples(2 + $0, tag: "slurm\($0)"), settings: Sandbox.settings(), evaluationSets: eval) }
        let bad = try failing.job(subset: Sandbox.examples(2, tag: "bad"), settings: Sandbox.settings(), evaluationSets: eval)
        let sweepDirectory = sandbox.root.appendingPathComponent("sweep")
        let sweep = try SlurmSweep.export([alreadyDone] + good + [bad], command: ok.configuration.command, to: sweepDirectory,
                                          options: SlurmOptions(gpusPerTask: 0, cpusPerTask: 1, timeLimit: 300), ledger: ok.ledger)
        XCTAssertEqual(sweep.manifest.tasks.map(\.jobKey), good.map(\.key) + [bad.key], "the finished job is not exported")

        let arrayID = try sweep.submit(environment: slurmEnvironment)
        print("submitted array job \(arrayID)")
        var status = try sweep.ingest(into: ok.ledger)
        let deadline = Date().addingTimeInterval(120)
        while !status.pending.isEmpty && Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            status = try sweep.ingest(into: ok.ledger)
        }
        print("after ingest: \(status.summary)")
        for failure in status.failed { print("failed \(failure.key.prefix(12)): \(failure.error)") }
        let firstLog = sweepDirectory.appendingPathComponent("logs/\(arrayID)_0.log")
        print("\(firstLog.lastPathComponent): " + ((try? String(contentsOf: firstLog, encoding: .utf8)) ?? "missing"))
        XCTAssertEqual(status.finished, good.map(\.key))
        XCTAssertEqual(status.failed.map(\.key), [bad.key])
        XCTAssertTrue(status.failed.first?.error.contains("exit 3") ?? false, "\(status.failed)")
        for job in good {
            let entry = try XCTUnwrap(ok.ledger.entry(job.key))
            XCTAssertEqual(entry.status, .finished)
            XCTAssertEqual(entry.result!.evalLosses["mt-bench"]!, expectedLoss(eval["mt-bench"]!), accuracy: 1e-12)
        }
        let logs = try FileManager.default.contentsOfDirectory(atPath: sweepDirectory.appendingPathComponent("logs").path)
        XCTAssertEqual(logs.filter { $0.hasPrefix("\(arrayID)_") }.count, 4, "one Slurm log per task: \(logs)")

        // The trainer finds the cluster's results in the store: nothing runs locally.
        let callsBefore = sandbox.calls.count
        _ = try ok.run(good[0])
        XCTAssertEqual(sandbox.calls.count, callsBefore)
        // Exporting again resumes: only the failed job is left.
        let again = try SlurmSweep.export([alreadyDone] + good + [bad], command: ok.configuration.command, to: sweepDirectory,
                                          options: SlurmOptions(gpusPerTask: 0, cpusPerTask: 1), ledger: ok.ledger)
        XCTAssertEqual(again.manifest.tasks.map(\.jobKey), [bad.key])
        XCTAssertEqual(try ok.ledger.entry(bad.key)?.attempts, 2)
    }

    private func shell(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CommandTrainerError.launchFailed(arguments.joined(separator: " "), "exit status \(process.terminationStatus)")
        }
    }
}
