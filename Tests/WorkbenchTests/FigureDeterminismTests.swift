import Foundation
@testable import Workbench
import XCTest

/// Same figure, same bytes: a PDF drawn twice, a second apart, must not differ by cairo's creation time stamp.
final class FigureDeterminismTests: XCTestCase {
    func testTheSameFigureRendersToIdenticalFiles() throws {
        let folder = try temporaryFolder()
        let spec = FigureSpec(name: "curve", title: "loss", xLabel: "k", yLabel: "loss",
                              series: [.init("rule", kind: .linesPoints, points: [.init(x: 1, y: 2), .init(x: 2, y: 1.5), .init(x: 4, y: 1.2)])])
        let script = try Gnuplot.write(spec, origin: "test", to: folder)
        func files() throws -> [Data] {
            try ["pdf", "png", "svg"].map { try Data(contentsOf: folder.appendingPathComponent("curve.\($0)")) }
        }
        try Gnuplot.render(script: script)
        let first = try files()
        Thread.sleep(forTimeInterval: 1.1)  // past a whole second, the resolution of the PDF's time stamp
        try Gnuplot.render(script: script)
        XCTAssertEqual(try files(), first)
        XCTAssertTrue(String(decoding: first[0], as: UTF8.self).contains("/CreationDate (D:19700101000000"))
    }

    func testAPDFWithoutAStampIsLeftAlone() throws {
        let pdf = try temporaryFolder().appendingPathComponent("nostamp.pdf")
        let bytes = Data("%PDF-1.5\n/Producer (x)\n%%EOF\n".utf8)
        try bytes.write(to: pdf)
        try Gnuplot.fixCreationDate(pdf: pdf)
        XCTAssertEqual(try Data(contentsOf: pdf), bytes)
        XCTAssertThrowsError(try Gnuplot.fixCreationDate(pdf: pdf.appendingPathExtension("missing")))
    }
}
