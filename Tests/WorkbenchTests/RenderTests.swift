import Foundation
import GRDB
import Store
@testable import Workbench
import XCTest

/// Rendering: Markdown and self-contained HTML per notebook, figures through gnuplot, provenance recorded.
final class RenderTests: XCTestCase {
    private let text = """
        # Figures

        A paragraph with **bold** and a list:

        - one
        - two

        ```step
        id: fig
        step: demo.figure
        ```

        ```step
        id: total
        step: demo.sum
        params: {values: [1.5, 2]}
        ```
        """

    func testRunRendersMarkdownHTMLFiguresAndProvenance() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        let plan = try Plan(files: [try TestSupport.write(text, to: folder.appendingPathComponent("notebooks"), as: "fig.md")],
                            registry: TestSupport.registry)
        let summary = try runner.run(plan)
        XCTAssertEqual(summary.ran.count, 2)

        let figures = folder.appendingPathComponent("figures/fig")
        for ext in ["png", "svg", "pdf", "gp", "dat"] {
            let path = figures.appendingPathComponent("curve.\(ext)").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: path), path)
            XCTAssertGreaterThan(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0, 100, path)
        }
        let png = try Data(contentsOf: figures.appendingPathComponent("curve.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
        let pdf = try Data(contentsOf: figures.appendingPathComponent("curve.pdf"))
        XCTAssertEqual(String(decoding: pdf.prefix(5), as: UTF8.self), "%PDF-")
        let dat = try String(contentsOf: figures.appendingPathComponent("curve.dat"), encoding: .utf8)
        XCTAssertTrue(dat.contains("2 1 0.05 0.8 1.2\n"), dat)
        let script = try String(contentsOf: figures.appendingPathComponent("curve.gp"), encoding: .utf8)
        XCTAssertTrue(script.hasPrefix("# curve.gp: made by imine from cell 'fig' of notebook 'fig', profile tiny, commit "), script)

        let markdown = try String(contentsOf: folder.appendingPathComponent("out/fig/fig.md"), encoding: .utf8)
        XCTAssertTrue(markdown.contains("- one\n- two"), "prose kept")
        XCTAssertTrue(markdown.contains("![Loss against size](../../figures/fig/curve.png)"), markdown)
        XCTAssertTrue(markdown.contains("| 3.50 |"), "table rendered: \(markdown)")
        XCTAssertTrue(markdown.contains("The sum is **3.5**."))
        XCTAssertTrue(markdown.contains("## Provenance"))
        XCTAssertTrue(markdown.contains("| seed | 20 |"))
        XCTAssertTrue(markdown.contains("version: sqlite"))

        let html = try String(contentsOf: folder.appendingPathComponent("out/fig/fig.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<li>one</li><li>two</li>"))
        XCTAssertTrue(html.contains("<strong>bold</strong>"))
        XCTAssertTrue(html.contains("src=\"data:image/svg+xml;base64,"), "figure inlined")
        XCTAssertFalse(html.contains("src=\"../"), "no external references")
        XCTAssertTrue(html.contains("<td>3.50</td>"))

        let run = try runner.store.read { db in try RunRecord.fetchOne(db, sql: "SELECT * FROM run ORDER BY id DESC LIMIT 1") }
        XCTAssertEqual(run?.status, "finished")
        let provenance = try JSONDecoder().decode(Provenance.self, from: Data(try XCTUnwrap(run).provenanceJSON.utf8))
        XCTAssertEqual(provenance.profile, "tiny")
        XCTAssertEqual(provenance.cells.map(\.status), ["ran", "ran"])
        XCTAssertNotNil(provenance.finishedAt)
    }

    func testFiguresRedrawFromTheStoreAndPreviewInTheTerminal() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        let plan = try Plan(files: [try TestSupport.write(text, to: folder, as: "fig.md")], registry: TestSupport.registry)
        try runner.run(plan)
        let png = folder.appendingPathComponent("figures/fig/curve.png")
        try FileManager.default.removeItem(at: png)
        let figures = Figures(store: runner.store, paths: runner.paths)
        XCTAssertEqual(try figures.redrawAll(), 1)
        XCTAssertTrue(FileManager.default.fileExists(atPath: png.path))
        let preview = try figures.preview("curve", columns: 80, rows: 24)
        XCTAssertTrue(preview.contains("Loss against size"), preview)
        XCTAssertGreaterThanOrEqual(preview.split(separator: "\n").count, 20)
        XCTAssertThrowsError(try figures.preview("nope"))
        let script = folder.appendingPathComponent("figures/fig/curve.gp")
        XCTAssertTrue(try String(contentsOf: script, encoding: .utf8).contains("drawn again by `imine figures`"))
        // A run draws the figure again under its own profile and commit; after that a no-op re-run redraws nothing.
        try runner.run(plan)
        XCTAssertTrue(try String(contentsOf: script, encoding: .utf8).contains("profile tiny"))
        let before = try runner.store.read { db in try String.fetchOne(db, sql: "SELECT rendered_at FROM figure") }
        try runner.run(plan)
        let after = try runner.store.read { db in try String.fetchOne(db, sql: "SELECT rendered_at FROM figure") }
        XCTAssertEqual(before, after)
    }

    func testMarkdownToHTMLEscapesAndConverts() {
        let html = MarkdownHTML.convert("# T <x>\n\n| a | b |\n|---|---|\n| 1 | `<2>` |\n\n1. first\n2. *second*\n")
        XCTAssertTrue(html.contains("<h1>T &lt;x&gt;</h1>"), html)
        XCTAssertTrue(html.contains("<td><code>&lt;2&gt;</code></td>"), html)
        XCTAssertTrue(html.contains("<ol><li>first</li><li><em>second</em></li></ol>"), html)
    }
}
