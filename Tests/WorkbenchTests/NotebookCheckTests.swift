import Core
import Workbench
import XCTest

/// Every problem a notebook can have is found before anything runs, and names the file and line.
final class NotebookCheckTests: XCTestCase {
    private func plan(_ text: String, file: String = "/nb/check.md") throws -> Plan {
        try Plan(notebooks: [try Notebook.parse(text, file: file)], registry: TestSupport.registry)
    }

    /// The single error a notebook produces (fails the test if it plans or has several).
    private func error(_ text: String, file: String = "/nb/check.md") throws -> InputError {
        do {
            _ = try plan(text, file: file)
        } catch let errors as NotebookErrors {
            XCTAssertEqual(errors.errors.count, 1, "\(errors)")
            return errors.errors[0]
        } catch let error as InputError {
            return error
        }
        XCTFail("the notebook was accepted")
        throw InputError(file: file, "accepted")
    }

    func testParsesCellsWithLinesAndIgnoresProse() throws {
        let notebook = try Notebook.parse("""
            # Title
            Prose mentioning step: fake and ```code```.

            ```step
            id: first
            step: demo.sum
            params:
              values: [1, 2]
              scale: 2
            ```
            More prose.
            ```step
            id: second
            step: demo.sum@1
            uses: [first]
            ```
            """, file: "/nb/lines.md")
        XCTAssertEqual(notebook.name, "lines")
        XCTAssertEqual(notebook.cells.map(\.id), ["first", "second"])
        XCTAssertEqual(notebook.cells[0].line, 4)
        XCTAssertEqual(notebook.cells[0].stepLine, 6)
        XCTAssertEqual(notebook.cells[0].paramLines["scale"], 9)
        XCTAssertEqual(notebook.cells[0].params["values"], [1, 2])
        XCTAssertEqual(notebook.cells[1].pinnedVersion, 1)
        XCTAssertEqual(notebook.cells[1].usesLine, 15)
        let plan = try Plan(notebooks: [notebook], registry: TestSupport.registry)
        // Defaults are filled in and numbers are canonical doubles where the step declares .double.
        XCTAssertEqual(plan.nodes[0].parameters.values, ["values": [1.0, 2.0], "scale": 2.0, "note": ""])
        XCTAssertEqual(plan.nodes.map(\.inputs), [[], ["lines/first"]])
    }

    func testExampleCellsInsideOrdinaryCodeBlocksAreProse() throws {
        let notebook = try Notebook.parse("""
            How to write a cell:

            ````markdown
            ```step
            id: example
            step: not.real
            ```
            ````

            ```step
            id: real
            step: demo.sum
            ```
            """, file: "/nb/doc.md")
        XCTAssertEqual(notebook.cells.map(\.id), ["real"])
        XCTAssertEqual(notebook.cells[0].line, 10)
    }

    func testUnknownStepNamesFileAndLine() throws {
        let error = try error("""
            Intro.

            ```step
            id: a
            step: demo.summ
            ```
            """)
        XCTAssertEqual(error.file, "/nb/check.md")
        XCTAssertEqual(error.line, 5)
        XCTAssertTrue(error.message.contains("unknown step 'demo.summ'"), error.message)
        XCTAssertTrue(error.message.contains("demo.sum"), "suggests the near name: \(error.message)")
    }

    func testWrongParameterTypeNamesFileAndLine() throws {
        let error = try error("""
            ```step
            id: a
            step: demo.sum
            params:
              note: fine
              scale: "two"
            ```
            """)
        XCTAssertEqual(error.line, 6)
        XCTAssertEqual(error.field, "params.scale")
        XCTAssertTrue(error.message.contains("must be a number"), error.message)
    }

    func testUnknownParameterAndMissingDependencyNameLines() throws {
        let unknown = try error("```step\nid: a\nstep: demo.sum\nparams:\n  valuez: [1]\n```\n")
        XCTAssertEqual(unknown.line, 5)
        XCTAssertTrue(unknown.message.contains("no parameter 'valuez'"), unknown.message)

        let missing = try error("""
            ```step
            id: a
            step: demo.sum
            ```

            ```step
            id: b
            step: demo.sum
            uses: [a, nowhere]
            ```
            """)
        XCTAssertEqual(missing.line, 9)
        XCTAssertEqual(missing.field, "uses")
        XCTAssertTrue(missing.message.contains("no cell 'nowhere'"), missing.message)
    }

    func testCycleNamesFileAndLine() throws {
        let error = try error("""
            ```step
            id: a
            step: demo.sum
            uses: [c]
            ```
            ```step
            id: b
            step: demo.sum
            uses: [a]
            ```
            ```step
            id: c
            step: demo.sum
            uses: [b]
            ```
            """)
        XCTAssertEqual(error.line, 4)
        XCTAssertTrue(error.message.contains("cycle: check/a → check/c → check/b → check/a"), error.message)
        let selfLoop = try self.error("```step\nid: a\nstep: demo.sum\nuses: [a]\n```\n")
        XCTAssertEqual(selfLoop.line, 4)
    }

    func testDuplicateIdNamesFileAndLine() throws {
        let error = try error("```step\nid: a\nstep: demo.sum\n```\n\n```step\nid: a\nstep: demo.sum\n```\n")
        XCTAssertEqual(error.line, 7)
        XCTAssertTrue(error.message.contains("duplicate cell id 'a'"), error.message)
    }

    func testMalformedCellsNameLines() throws {
        let unclosed = try error("text\n```step\nid: a\nstep: demo.sum\n")
        XCTAssertEqual(unclosed.line, 2)
        let badYAML = try error("```step\nid: a\nstep: demo.sum\nparams: [1, 2\n```\n")
        XCTAssertNotNil(badYAML.line)
        let badKey = try error("```step\nid: a\nstep: demo.sum\nparms: {}\n```\n")
        XCTAssertEqual(badKey.line, 4)
        let pin = try error("```step\nid: a\nstep: demo.sum@7\n```\n")
        XCTAssertEqual(pin.line, 3)
        XCTAssertTrue(pin.message.contains("version 1"), pin.message)
    }

    func testAllErrorsAreReportedTogether() throws {
        do {
            _ = try plan("""
                ```step
                id: a
                step: nope
                ```
                ```step
                id: b
                step: demo.sum
                params: {scale: [1]}
                ```
                """)
            XCTFail("accepted")
        } catch let errors as NotebookErrors {
            XCTAssertEqual(errors.errors.map(\.line), [3, 8])
            XCTAssertTrue(errors.description.contains("/nb/check.md:3"), errors.description)
        }
    }

    func testCrossNotebookUsesLoadTheOtherNotebook() throws {
        let folder = try temporaryFolder()
        // 01-base's `other` is used by nothing in 02-top: it is checked, but not planned, so running 02-top never
        // computes it (a render of one notebook once ran another notebook's expensive, unrelated cell).
        try TestSupport.write("```step\nid: base\nstep: demo.sum\nparams: {values: [3]}\n```\n\n```step\nid: other\nstep: demo.sum\nuses: [base]\n```\n",
                              to: folder, as: "01-base.md")
        let user = try TestSupport.write("```step\nid: top\nstep: demo.sum\nuses: [01-base/base]\n```\n", to: folder, as: "02-top.md")
        let plan = try Plan(files: [user], registry: TestSupport.registry)
        XCTAssertEqual(plan.requested, ["02-top"])
        XCTAssertEqual(plan.nodes.map(\.key), ["01-base/base", "02-top/top"])
        let both = try Plan(files: [folder.appendingPathComponent("01-base.md").path, user], registry: TestSupport.registry)
        XCTAssertEqual(both.nodes.map(\.key), ["01-base/base", "01-base/other", "02-top/top"])
        let missing = try TestSupport.write("```step\nid: top\nstep: demo.sum\nuses: [99-none/base]\n```\n", to: folder, as: "03.md")
        XCTAssertThrowsError(try Plan(files: [missing], registry: TestSupport.registry)) { error in
            XCTAssertTrue("\(error)".contains("03.md:4"), "\(error)")
        }

        // A command that needs one cell's output (`imine score` needs notebook 01's indicators, not its audit) plans
        // that cell and what it uses, nothing else.
        XCTAssertEqual(try both.only(["01-base/base"]).nodes.map(\.key), ["01-base/base"])
        XCTAssertEqual(try both.only(["02-top/top"]).nodes.map(\.key), ["01-base/base", "02-top/top"])
        XCTAssertThrowsError(try both.only(["01-base/nothing"])) { error in
            XCTAssertTrue("\(error)".contains("no cell 01-base/nothing"), "\(error)")
        }
    }
}
