import Foundation
import GRDB
import Steps
import Store
import Workbench
import XCTest

/// The whole reproduction, every notebook, under the tiny profile on the real data: each cell runs, the claims
/// table is filled, and a second run recomputes nothing.
final class ReproductionTests: XCTestCase {
    func testEveryNotebookRunsUnderTheTinyProfileAndRerunsFromCache() throws {
        let bench = try ScratchWorkbench("repro", for: self)
        let paths = bench.paths
        let plan = try Plan(files: paths.allNotebooks(), registry: bench.registry)
        let runner = try bench.runner()

        let first = try runner.run(plan)
        XCTAssertEqual(first.failed.map(\.0), [], "\(first.failed)")
        XCTAssertEqual(first.ran.count, 20, "every cell of the eight notebooks runs: \(first.ran)")

        let verdicts = try String(contentsOf: paths.out.appendingPathComponent("08-reviewer-audits/08-reviewer-audits.md"), encoding: .utf8)
        XCTAssertTrue(verdicts.contains("Paper vs workbench, claim by claim"))
        for claim in ["Double descent", "Balance point", "Selected top k beats random k", "Multicollinearity"] {
            XCTAssertTrue(verdicts.contains(claim), claim)
        }
        let search = try String(contentsOf: paths.out.appendingPathComponent("03-blendsearch/03-blendsearch.md"), encoding: .utf8)
        XCTAssertTrue(search.contains("How far the search explored, against the size sweep"), "notebook 3 audits the search")
        XCTAssertTrue(search.contains("**Verdict.**"))
        let base = try String(contentsOf: paths.out.appendingPathComponent("01-data-and-indicators/01-data-and-indicators.md"), encoding: .utf8)
        XCTAssertTrue(base.contains("below the unigram baseline: the model learned"), "the base model must learn")
        XCTAssertTrue(FileManager.default.fileExists(atPath: paths.figures.appendingPathComponent("05-double-descent/double-descent.png").path))
        let descent = try String(contentsOf: paths.out.appendingPathComponent("05-double-descent/05-double-descent.md"), encoding: .utf8)
        XCTAssertTrue(descent.contains("Which regime is each oracle in?"), "notebook 5 places the oracle's regime beside the paper's")
        XCTAssertTrue(descent.contains("paper: LLaMA-2-7B (R)") && descent.contains("MicroLM (this run's oracle)"), descent)
        XCTAssertFalse(descent.contains("MicroLM (same subsets and recipe)"), "a MicroLM oracle needs no MicroLM contrast")

        let store = runner.store
        let values = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value") ?? 0 }
        XCTAssertGreaterThan(values, 7 * 500, "seven indicators over the tiny pools")
        let trials = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_trial") ?? 0 }
        XCTAssertGreaterThan(trials, 0)

        let second = try runner.run(plan, render: false)
        XCTAssertEqual(second.ran, [], "a second run reuses every cell")

        // Same data and seed, a fresh store: the same artifacts, digest for digest (pools, tokenizer, base model,
        // reward model).
        let againPaths = try bench.sibling("again")
        let source = try String(contentsOf: ScratchWorkbench.root.appendingPathComponent("notebooks/01-data-and-indicators.md"), encoding: .utf8)
        let notebook = try bench.notebook("again/01-data-and-indicators.md", source.components(separatedBy: "## Indicators")[0])
        let repeated = try bench.runner(paths: againPaths).run(try Plan(files: [notebook], registry: bench.registry), render: false)
        XCTAssertEqual(repeated.ran.count, 4)
        let sql = "SELECT cache_key, output_digest FROM cell WHERE notebook = '01-data-and-indicators'"
        let original = Dictionary(uniqueKeysWithValues: try store.read { db in try Row.fetchAll(db, sql: sql) }.map { ($0[0] as String, $0[1] as String) })
        let fresh = try WorkbenchStore.open(againPaths.store).read { db in try Row.fetchAll(db, sql: sql) }
        XCTAssertEqual(fresh.count, 4)
        for row in fresh {
            let key: String = row[0], digest: String = row[1]
            XCTAssertEqual(original[key], digest, "cell with cache key \(key.prefix(12)) gave another artifact")
        }

        // The same notebooks with every finetune run by `imine finetune-job` through the command backend: switching
        // the oracle makes exactly the finetune-dependent cells stale, and they come out the same, bit for bit.
        let inProcess = try Oracle.payloads(runner, plan)
        let imine = try Oracle.imine()
        let commandProfile = try Oracle.tinyProfile(bench, named: "tiny-command", oracle: [
            "backend: command", "name: microlm-cli", "parallel: 2",
            "command: " + Oracle.list([imine, "finetune-job", "--spec", "{spec}"]),
        ])
        let command = try bench.runner(profile: commandProfile)
        let stale = Set(try command.status(plan).filter { $0.freshness != .fresh }.map(\.key))
        XCTAssertEqual(stale, Oracle.finetuneDependent(plan), "exactly the cells that finetune, and those using them")
        XCTAssertFalse(stale.isEmpty)
        let viaCommand = try command.run(plan, render: false)
        XCTAssertEqual(viaCommand.failed.map(\.0), [], "\(viaCommand.failed)")
        XCTAssertEqual(Set(viaCommand.ran), stale)
        let commandJobs = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM finetune WHERE backend = 'command:microlm-cli'") ?? 0 }
        XCTAssertGreaterThan(commandJobs, 50, "every finetune of the notebooks ran as a job program")
        XCTAssertEqual(try Oracle.payloads(command, plan), inProcess, "the same losses in process and through imine finetune-job")

        // And on a real one-node Slurm (opt-in: needs root, slurm-wlm and munge; `make test` sets it): every batch
        // of finetunes is one job array, waited for.
        guard ProcessInfo.processInfo.environment["IMINE_SLURM_TESTS"] == "1" else { return }
        let stopSlurm = try Oracle.startSlurm(in: bench.folder.appendingPathComponent("cluster"))
        defer { stopSlurm() }
        let slurmProfile = try Oracle.tinyProfile(bench, named: "tiny-slurm", oracle: [
            "backend: slurm", "name: microlm-slurm", "cpus_per_task: 1", "time_limit: 600", "wait: true", "poll_seconds: 0.3",
            "command: " + Oracle.list([imine, "finetune-job", "--spec", "{spec}"]),
        ])
        let slurm = try bench.runner(profile: slurmProfile)
        let viaSlurm = try slurm.run(plan, render: false)
        XCTAssertEqual(viaSlurm.failed.map(\.0), [], "\(viaSlurm.failed)")
        XCTAssertEqual(Set(viaSlurm.ran), stale)
        XCTAssertEqual(try Oracle.payloads(slurm, plan), inProcess, "the same losses in process and on Slurm")
    }
}
