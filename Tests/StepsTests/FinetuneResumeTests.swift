import Foundation
import GRDB
import Steps
import Store
import Workbench
import XCTest

/// A finished finetune is never recomputed: when a cell that finetunes runs again (its cell record lost, as after a
/// kill between the jobs and the cell's commit), every job is read back from the store's job ledger.
final class FinetuneResumeTests: XCTestCase {
    func testARerunCellReadsFinishedFinetunesFromTheLedger() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertTrue(FileManager.default.changeCurrentDirectoryPath(ReproductionTests.root.path))
        var paths = WorkbenchPaths(root: ReproductionTests.root)
        paths.store = folder.appendingPathComponent("store.sqlite").path
        paths.out = folder.appendingPathComponent("out")
        paths.figures = folder.appendingPathComponent("figures")
        let notebook = folder.appendingPathComponent("resume.md")
        try """
            ```step
            id: pools
            step: corpus.pools
            ```

            ```step
            id: tokenizer
            step: lm.tokenizer
            uses: [pools]
            ```

            ```step
            id: base
            step: lm.pretrain
            uses: [pools, tokenizer]
            ```

            ```step
            id: subsets
            step: rule.subsets
            uses: [pools]
            ```

            ```step
            id: finetunes
            step: rule.finetunes
            uses: [subsets, pools, base]
            ```
            """.write(to: notebook, atomically: true, encoding: .utf8)
        let plan = try Plan(files: [notebook.path], registry: try StepRegistry(WorkbenchInfo.builtInSteps + StepCatalog.all))
        let store = try Store(path: paths.store)
        let runner = Runner(store: store, profile: try paths.loadProfile("tiny"), paths: paths)
        runner.log = { _ in }
        XCTAssertEqual(try runner.run(plan, render: false).ran.count, 5)
        let first = try store.read { db in try Row.fetchAll(db, sql: "SELECT job_key, attempts, status, result_json FROM finetune ORDER BY job_key") }
        XCTAssertEqual(first.count, 12, "the tiny profile's 12 subsets")
        XCTAssertTrue(first.allSatisfy { ($0["status"] as String) == "finished" && ($0["attempts"] as Int) == 1 })

        try store.write { db in try db.execute(sql: "DELETE FROM cell WHERE cell_id = 'finetunes'") }
        let again = try runner.run(plan, render: false)
        XCTAssertEqual(again.ran, ["resume/finetunes"], "only the cell whose record was lost runs again")
        let second = try store.read { db in try Row.fetchAll(db, sql: "SELECT job_key, attempts, status, result_json FROM finetune ORDER BY job_key") }
        XCTAssertEqual(second, first, "no finetune ran a second time: same rows, attempts still 1, same results")
    }
}
