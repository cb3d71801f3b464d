import Foundation
import GRDB
import Steps
import Store
import Workbench
import XCTest

/// The whole reproduction, every notebook, under the tiny profile on the real data: each cell runs, the claims
/// table is filled, and a second run recomputes nothing.
final class ReproductionTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testEveryNotebookRunsUnderTheTinyProfileAndRerunsFromCache() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-repro-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Steps read paper-repro/ relative to the repository root, as `imine` run from there does.
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(Self.root.path))
        var paths = WorkbenchPaths(root: Self.root)
        paths.store = folder.appendingPathComponent("store.sqlite").path
        paths.out = folder.appendingPathComponent("out")
        paths.figures = folder.appendingPathComponent("figures")
        let registry = try StepRegistry(WorkbenchInfo.builtInSteps + StepCatalog.all)
        let plan = try Plan(files: paths.allNotebooks(), registry: registry)
        let runner = Runner(store: try Store(path: paths.store), profile: try paths.loadProfile("tiny"), paths: paths)
        runner.log = { _ in }

        let first = try runner.run(plan)
        XCTAssertEqual(first.failed.map(\.0), [], "\(first.failed)")
        XCTAssertEqual(first.ran.count, 18, "every cell of the eight notebooks runs: \(first.ran)")

        let verdicts = try String(contentsOf: paths.out.appendingPathComponent("08-reviewer-audits/08-reviewer-audits.md"), encoding: .utf8)
        XCTAssertTrue(verdicts.contains("Paper vs workbench, claim by claim"))
        for claim in ["Double descent", "Balance point", "Selected top k beats random k", "Multicollinearity"] {
            XCTAssertTrue(verdicts.contains(claim), claim)
        }
        let base = try String(contentsOf: paths.out.appendingPathComponent("01-data-and-indicators/01-data-and-indicators.md"), encoding: .utf8)
        XCTAssertTrue(base.contains("below the unigram baseline: the model learned"), "the base model must learn")
        XCTAssertTrue(FileManager.default.fileExists(atPath: paths.figures.appendingPathComponent("05-double-descent/double-descent.png").path))

        let store = try Store(path: paths.store)
        let values = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM indicator_value") ?? 0 }
        XCTAssertGreaterThan(values, 7 * 500, "seven indicators over the tiny pools")
        let trials = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM search_trial") ?? 0 }
        XCTAssertGreaterThan(trials, 0)

        let second = try runner.run(plan, render: false)
        XCTAssertEqual(second.ran, [], "a second run reuses every cell")

        // Same data and seed, a fresh store: the same artifacts, digest for digest (pools, tokenizer, base model,
        // reward model).
        let again = folder.appendingPathComponent("again")
        var againPaths = paths
        againPaths.store = again.appendingPathComponent("store.sqlite").path
        againPaths.out = again.appendingPathComponent("out")
        againPaths.figures = again.appendingPathComponent("figures")
        let notebook = again.appendingPathComponent("01-data-and-indicators.md")
        try FileManager.default.createDirectory(at: again, withIntermediateDirectories: true)
        let source = try String(contentsOf: Self.root.appendingPathComponent("notebooks/01-data-and-indicators.md"), encoding: .utf8)
        try source.components(separatedBy: "## Indicators")[0].write(to: notebook, atomically: true, encoding: .utf8)
        let rerun = Runner(store: try Store(path: againPaths.store), profile: try paths.loadProfile("tiny"), paths: againPaths)
        rerun.log = { _ in }
        let repeated = try rerun.run(try Plan(files: [notebook.path], registry: registry), render: false)
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
