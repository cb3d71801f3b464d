import Foundation
import GRDB
import Steps
import Store
import Workbench
import XCTest

/// `test.scribble`: writes `rows` artifacts of its own, then fails when `fail` is true.
enum Scribble: Step {
    static let name = "test.scribble"
    static let version = 1
    static let parameters = [ParameterSpec("rows", .int, default: 3), ParameterSpec("fail", .bool, default: true)]

    static func run(_ context: StepContext) throws -> StepOutput {
        for index in 0..<(try context.parameters.int("rows")) {
            try context.store.putArtifact(Data("scribble \(index) \(context.cellID)".utf8), kind: "scribble")
        }
        if try context.parameters.bool("fail") { throw StepError.failed(step: name, "failing on purpose after writing") }
        return try StepOutput(payload: ["wrote": try context.parameters.int("rows")])
    }
}

/// A cell that fails leaves none of the rows its step wrote; a cell that finishes keeps all of them.
final class PartialCellTests: XCTestCase {
    func testAFailedCellLeavesNoRowsAndAFinishedOneKeepsThem() throws {
        let folder = try scratchFolder()
        var paths = WorkbenchPaths(root: folder)
        paths.store = folder.appendingPathComponent("store.sqlite").path
        let text = """
            ```step
            id: fails
            step: test.scribble
            params: {rows: 4, fail: true}
            ```

            ```step
            id: keeps
            step: test.scribble
            params: {rows: 2, fail: false}
            ```
            """
        let file = folder.appendingPathComponent("nb.md")
        try Data(text.utf8).write(to: file)
        let store = try WorkbenchStore.open(paths.store)
        let runner = Runner(store: store, profile: try Profile.load(file: CLI.tinyProfile), paths: paths)
        runner.log = { _ in }
        let summary = try runner.run(try Plan(files: [file.path], registry: try StepRegistry([Scribble.self])), render: false)
        XCTAssertEqual(summary.failed.map(\.0), ["nb/fails"])
        XCTAssertEqual(summary.ran, ["nb/keeps"])
        let scribbles = try store.read { db in try String.fetchAll(db, sql: "SELECT CAST(bytes AS TEXT) FROM artifact WHERE kind = 'scribble' ORDER BY 1") }
        XCTAssertEqual(scribbles, ["scribble 0 keeps", "scribble 1 keeps"])
    }
}
