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
        let bench = try ScratchWorkbench("resume", for: self)
        let notebook = try bench.notebook("resume.md", ScratchWorkbench.ruleFinetunesNotebook)
        let plan = try Plan(files: [notebook], registry: bench.registry)
        let runner = try bench.runner()
        let store = runner.store
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
