import Foundation
import GRDB
import ScaleOut
import Store
import Workbench
import XCTest

/// Finetunes that go wrong behind the command and Slurm backends end the cell with an error naming the job folder
/// and what is wrong, store no cell, keep every finished job, and a rerun retries only the jobs that failed.
final class OracleFailureTests: XCTestCase {
    /// A job program that misbehaves, as `mode` (a file) says, for jobs whose key starts with 0-7 (about half), and
    /// otherwise is `imine finetune-job`. Modes: ok, fail (exit 3), hang, badfield (a result without losses),
    /// die (kills the Slurm batch script that started it, so the task ends with no exit record and no result).
    static func program(mode: URL, imine: String) -> [String] {
        let script = """
            job=$(basename "$(dirname "$1")")
            case "$(cat '\(mode.path)'):$job" in
              fail:[0-7]*) echo "loading model... CUDA out of memory (simulated)" >&2; exit 3 ;;
              hang:[0-7]*) sleep 60 ;;
              badfield:[0-7]*) echo '{"eval_losses": {}, "tokens": 1, "wall_seconds": 1}' > "$2"; exit 0 ;;
              die:[0-7]*) kill -KILL $PPID; exit 9 ;;
            esac
            exec '\(imine)' finetune-job --spec "$1"
            """
        return ["/bin/sh", "-c", script, "job", "{spec}", "{output}"]
    }

    func testFailedTimedOutAndMalformedJobsNameTheirFolderAndARerunRetriesOnlyThem() throws {
        let bench = try ScratchWorkbench("oracle-failures", for: self)
        let plan = try Plan(files: [try bench.notebook("failures.md", ScratchWorkbench.ruleFinetunesNotebook)], registry: bench.registry)
        let mode = bench.folder.appendingPathComponent("mode")
        let command = Oracle.list(Self.program(mode: mode, imine: try Oracle.imine()))
        func runner(_ name: String, _ extra: [String] = []) throws -> Runner {
            try bench.runner(profile: try Oracle.tinyProfile(bench, named: name, oracle: [
                "backend: command", "name: \(name)", "parallel: 2", "command: \(command)"] + extra))
        }
        func finetuneCells(_ store: Store) throws -> Int {
            try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cell WHERE cell_id = 'finetunes'") ?? 0 }
        }

        try "fail".write(to: mode, atomically: true, encoding: .utf8)
        let failing = try runner("failing")
        let first = try failing.run(plan, render: false)
        XCTAssertEqual(first.ran.count, 4, "pools, tokenizer, base and subsets ran")
        let message = try XCTUnwrap(first.failed.first { $0.0.hasSuffix("finetunes") }?.1)
        let jobs = bench.folder.appendingPathComponent("scale-out/failing/jobs").path
        XCTAssertTrue(message.contains("exited with status 3") && message.contains(jobs) && message.contains("CUDA out of memory"), message)
        XCTAssertTrue(message.contains("run again to retry only the failed ones"), message)
        XCTAssertEqual(try finetuneCells(failing.store), 0, "no cell is stored for a batch with failed jobs")
        let afterFailure = try Oracle.ledger(failing.store)
        let failed = Set(afterFailure.filter { $0.value.0 == "failed" }.map(\.key))
        let finished = Set(afterFailure.filter { $0.value.0 == "finished" }.map(\.key))
        XCTAssertEqual(failed.count + finished.count, 12)
        XCTAssertFalse(failed.isEmpty)
        XCTAssertTrue(failed.allSatisfy { "01234567".contains($0.first!) })

        try "ok".write(to: mode, atomically: true, encoding: .utf8)
        let rerun = try failing.run(plan, render: false)
        XCTAssertEqual(rerun.ran, ["failures/finetunes"], "\(rerun.failed)")
        let afterRerun = try Oracle.ledger(failing.store)
        for key in failed { XCTAssertTrue(afterRerun[key]! == ("finished", 2), "the failed job ran once more") }
        for key in finished { XCTAssertTrue(afterRerun[key]! == ("finished", 1), "a finished job never runs again") }
        XCTAssertEqual(try finetuneCells(failing.store), 1)

        // A job past its time limit, and a result file without the losses: each named with its folder and field.
        try "hang".write(to: mode, atomically: true, encoding: .utf8)
        let hanging = try runner("hanging", ["timeout: 1"]).run(plan, render: false)
        let timedOut = try XCTUnwrap(hanging.failed.first?.1)
        XCTAssertTrue(timedOut.contains("no result within 1.0 s") && timedOut.contains("scale-out/hanging/jobs/"), timedOut)
        try "badfield".write(to: mode, atomically: true, encoding: .utf8)
        let malformed = try runner("malformed").run(plan, render: false)
        let invalid = try XCTUnwrap(malformed.failed.first?.1)
        XCTAssertTrue(invalid.contains("scale-out/malformed/jobs/") && invalid.contains("result.json")
                      && invalid.contains("field 'eval_losses'") && invalid.contains("no loss for evaluation set"), invalid)
        XCTAssertEqual(try finetuneCells(failing.store), 1, "neither stored a cell")
    }

    /// On a real one-node Slurm (opt-in, `make test` sets IMINE_SLURM_TESTS=1): a cell submits its array and stops
    /// with a message, the next run waits for that array and submits nothing again; a task that dies is a failed
    /// job naming its folder, and the rerun submits only it.
    func testSlurmBatchesStopOrWaitAndADeadTaskIsRetriedAlone() throws {
        guard ProcessInfo.processInfo.environment["IMINE_SLURM_TESTS"] == "1" else {
            throw XCTSkip("set IMINE_SLURM_TESTS=1 to run notebooks on a real local Slurm (root; slurm-wlm, munge)")
        }
        let bench = try ScratchWorkbench("oracle-slurm", for: self)
        let plan = try Plan(files: [try bench.notebook("slurm.md", ScratchWorkbench.ruleFinetunesNotebook)], registry: bench.registry)
        let stopSlurm = try Oracle.startSlurm(in: bench.folder.appendingPathComponent("cluster"))
        defer { stopSlurm() }
        let mode = bench.folder.appendingPathComponent("mode")
        let command = Oracle.list(Self.program(mode: mode, imine: try Oracle.imine()))
        func runner(_ name: String, wait: Bool) throws -> Runner {
            try bench.runner(profile: try Oracle.tinyProfile(bench, named: "\(name)-\(wait)", oracle: [
                "backend: slurm", "name: \(name)", "cpus_per_task: 1", "time_limit: 600", "wait: \(wait)", "poll_seconds: 0.3",
                "command: \(command)"]))
        }

        try "ok".write(to: mode, atomically: true, encoding: .utf8)
        let submitted = try runner("array", wait: false).run(plan, render: false)
        let message = try XCTUnwrap(submitted.failed.first?.1)
        XCTAssertTrue(message.contains("12 finetune jobs submitted as Slurm array") && message.contains("`imine sweep status` shows progress")
                      && message.contains("run again to continue"), message)
        let waited = try runner("array", wait: true).run(plan, render: false)
        XCTAssertEqual(waited.ran, ["slurm/finetunes"], "\(waited.failed)")
        XCTAssertTrue(try Oracle.ledger(bench.runner().store).values.allSatisfy { $0 == ("finished", 1) }, "no job was submitted twice")

        try "die".write(to: mode, atomically: true, encoding: .utf8)
        let dying = try runner("dying", wait: true)
        let died = try dying.run(plan, render: false)
        let error = try XCTUnwrap(died.failed.first?.1)
        XCTAssertTrue(error.contains("ended without a result or an exit record") && error.contains("scale-out/dying/sweeps/")
                      && error.contains("/jobs/"), error)
        let dead = Set(try Oracle.ledger(dying.store).filter { $0.value.0 == "failed" }.map(\.key))
        XCTAssertFalse(dead.isEmpty)
        try "ok".write(to: mode, atomically: true, encoding: .utf8)
        let retried = try dying.run(plan, render: false)
        XCTAssertEqual(retried.ran, ["slurm/finetunes"], "\(retried.failed)")
        for (key, row) in try Oracle.ledger(dying.store) where dead.contains(key) {
            XCTAssertTrue(row == ("finished", 2), "\(key): \(row)")
        }
        let sweeps = try FileManager.default.contentsOfDirectory(atPath: bench.folder.appendingPathComponent("scale-out/dying/sweeps").path)
        let manifest = try SlurmSweep.open(bench.folder.appendingPathComponent("scale-out/dying/sweeps/\(sweeps[0])")).manifest
        XCTAssertEqual(Set(manifest.tasks.map(\.jobKey)), dead, "the second array held only the dead jobs")
    }
}
