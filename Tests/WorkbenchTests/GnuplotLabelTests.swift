import Foundation
@testable import Workbench
import XCTest

/// gnuplot reads explicit tic labels as format strings; labels with '%' (e.g. "random 20%") must still render.
final class GnuplotLabelTests: XCTestCase {
    func testBarLabelsWithPercentSignsRender() throws {
        let folder = try temporaryFolder()
        let spec = FigureSpec(name: "bars", title: "50% done", xLabel: "", yLabel: "loss",
                              series: [.init("loss", kind: .bars, points: [.init(x: 0, y: 1, error: 0.1), .init(x: 1, y: 2, error: 0.2)])],
                              xTickLabels: [.init(at: 0, label: "random 20%"), .init(at: 1, label: "random 90% (all)")])
        let script = try Gnuplot.write(spec, origin: "test", to: folder)
        XCTAssertTrue(try String(contentsOf: script, encoding: .utf8).contains("random 20%%"))
        try Gnuplot.render(script: script)
        let png = try Data(contentsOf: folder.appendingPathComponent("bars.png"))
        XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
    }

    /// Long series names go below the plot, so the plot keeps its width; short ones stay beside it.
    func testLongSeriesNamesPutTheKeyBelowThePlot() {
        func script(_ label: String) -> String {
            Gnuplot.script(FigureSpec(name: "curve", title: "t", xLabel: "x", yLabel: "y",
                                      series: [.init(label, points: [.init(x: 1, y: 1), .init(x: 2, y: 2)])]), origin: "test")
        }
        XCTAssertTrue(script("smollm2-135m-instruct (this run's oracle)").contains("set key below noenhanced"))
        XCTAssertTrue(script("random k").contains("set key outside right top noenhanced"))
    }
}
