import Core
import Workbench
import XCTest

/// `demo.total`: reads exactly one `demo.sum` cell, declared.
private enum DemoTotal: Step {
    static let name = "demo.total"
    static let version = 1
    static let inputs = StepInputs.reads(DemoSum.self)
    static func run(_ context: StepContext) throws -> StepOutput {
        try StepOutput(payload: try context.input(DemoSum.self, as: DemoSum.Payload.self).sum)
    }
}

/// `demo.greedy`: declares `demo.sum` but also reaches for a `demo.figure` cell.
private enum DemoGreedy: Step {
    static let name = "demo.greedy"
    static let version = 1
    static let inputs = StepInputs.reads(DemoSum.self)
    static func run(_ context: StepContext) throws -> StepOutput {
        try StepOutput(payload: try context.input(DemoFigure.self, as: [Double].self))
    }
}

/// A step's declared inputs are checked against each cell's `uses:` before anything runs, and against what the step
/// reads while it runs.
final class StepInputsTests: XCTestCase {
    private let registry = try! StepRegistry(WorkbenchInfo.builtInSteps + [DemoSum.self, DemoFigure.self, DemoTotal.self, DemoGreedy.self])

    private func problems(_ cells: String) -> [InputError] {
        let text = "# Inputs\n" + cells
        do {
            _ = try Plan(notebooks: [try Notebook.parse(text, file: "/nb/inputs.md")], registry: registry)
            return []
        } catch let errors as NotebookErrors {
            return errors.errors
        } catch {
            XCTFail("\(error)")
            return []
        }
    }

    private let sum = "```step\nid: sum\nstep: demo.sum\nparams:\n  values: [2]\n```\n"
    private let otherSum = "```step\nid: other\nstep: demo.sum\n```\n"
    private let figure = "```step\nid: fig\nstep: demo.figure\n```\n"

    func testACellThatUsesExactlyWhatItsStepReadsPlans() {
        XCTAssertEqual(problems(sum + "```step\nid: total\nstep: demo.total\nuses: [sum]\n```\n").map(\.description), [])
    }

    func testAMissingInputIsNamedAtTheUsesLine() throws {
        let errors = problems(sum + "```step\nid: total\nstep: demo.total\n```\n")
        let error = try XCTUnwrap(errors.first)
        XCTAssertEqual(errors.count, 1)
        XCTAssertEqual(error.file, "/nb/inputs.md")
        XCTAssertEqual(error.field, "uses")
        XCTAssertTrue(error.description.contains("step demo.total reads one cell of step 'demo.sum', and uses: names none"), error.description)
    }

    func testTwoCandidatesAndAnUnreadCellAreEachAnError() throws {
        let errors = problems(sum + otherSum + figure + "```step\nid: total\nstep: demo.total\nuses: [sum, other, fig]\n```\n")
        let text = errors.map(\.description)
        XCTAssertEqual(errors.count, 2, "\(text)")
        XCTAssertTrue(text.contains { $0.contains("reads one cell of step 'demo.sum', and uses: names 2") }, "\(text)")
        XCTAssertTrue(text.contains { $0.contains("uses: names 'fig' (step demo.figure), but step demo.total reads only cells of 'demo.sum'") }, "\(text)")
        XCTAssertEqual(Set(errors.map(\.line)), [errors[0].line], "both at the cell's uses: line")
        XCTAssertNotNil(errors[0].line)
    }

    func testAStepWithoutInputsRefusesAnyUses() throws {
        let errors = problems(sum + "```step\nid: fig2\nstep: demo.figure\nuses: [sum]\n```\n")
        XCTAssertEqual(errors.map(\.description).count, 1)
        XCTAssertTrue(errors[0].description.contains("but step demo.figure reads no cell"), errors[0].description)
    }

    func testReadingAnUndeclaredInputFailsTheCell() throws {
        let folder = try temporaryFolder()
        let file = try TestSupport.write("# Greedy\n" + sum + "```step\nid: greedy\nstep: demo.greedy\nuses: [sum]\n```\n", to: folder, as: "greedy.md")
        let summary = try TestSupport.runner(in: folder).run(try Plan(files: [file], registry: registry), render: false)
        XCTAssertEqual(summary.failed.map(\.0), ["greedy/greedy"])
        XCTAssertTrue(summary.failed[0].1.contains("it read the output of a cell of step 'demo.figure', which its `inputs` do not declare"), summary.failed[0].1)
    }
}
