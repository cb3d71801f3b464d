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
        XCTAssertEqual(first.ran.count, 19, "every cell of the eight notebooks runs: \(first.ran)")

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
        let fresh = try Store(path: againPaths.store).read { db in try Row.fetchAll(db, sql: sql) }
        XCTAssertEqual(fresh.count, 4)
        for row in fresh {
            let key: String = row[0], digest: String = row[1]
            XCTAssertEqual(original[key], digest, "cell with cache key \(key.prefix(12)) gave another artifact")
        }
    }
}
