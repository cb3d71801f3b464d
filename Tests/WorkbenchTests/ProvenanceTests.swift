import Foundation
@testable import Workbench
import XCTest

final class ProvenanceTests: XCTestCase {
    /// A run rewrites the committed figures; that alone must not mark the code that drew them as changed.
    func testOutputFoldersDoNotMakeTheCheckoutDirty() throws {
        let root = try temporaryFolder()
        try FileManager.default.createDirectory(at: root.appendingPathComponent("figures"), withIntermediateDirectories: true)
        func git(_ arguments: String...) throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root.path, "-c", "user.name=t", "-c", "user.email=t@t"] + arguments
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, arguments.joined(separator: " "))
        }
        try "code".write(to: root.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        try "plot".write(to: root.appendingPathComponent("figures/a.gp"), atomically: true, encoding: .utf8)
        try git("init", "-q")
        try git("add", ".")
        try git("commit", "-q", "-m", "x")
        let outputs = [root.appendingPathComponent("figures"), root.appendingPathComponent("out")]

        XCTAssertEqual(Provenance.gitState(root: root, ignoring: outputs).dirty, false)
        try "new plot".write(to: root.appendingPathComponent("figures/a.gp"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("out"), withIntermediateDirectories: true)
        try "page".write(to: root.appendingPathComponent("out/page.md"), atomically: true, encoding: .utf8)
        XCTAssertEqual(Provenance.gitState(root: root, ignoring: outputs).dirty, false, "only outputs changed")
        XCTAssertEqual(Provenance.gitState(root: root).dirty, true, "without the exclusion the figure counts")
        try "changed code".write(to: root.appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
        XCTAssertEqual(Provenance.gitState(root: root, ignoring: outputs).dirty, true, "a code change is still seen")
    }
}
