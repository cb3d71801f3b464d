import Foundation
import Workbench
import XCTest

/// The code digest cells are keyed by (`Plugins/CodeDigestPlugin`, `Sources/code-digest`), on a fixture package built
/// several times as its code changes: `Cells` (the plugin's user) depends on `Lower`; `show` prints Cells' digest.
final class CodeDigestPluginTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func write(_ text: String, _ path: String, in package: URL) throws {
        let url = package.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// A package with the workbench's own plugin, tool and Core (copied), and three small modules of its own.
    private func makePackage(at package: URL) throws {
        for folder in ["Plugins/CodeDigestPlugin", "Sources/code-digest", "Sources/Core"] {
            let from = Self.root.appendingPathComponent(folder), to = package.appendingPathComponent(folder)
            try FileManager.default.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: from, to: to)
        }
        try write("""
            // swift-tools-version:6.0
            import PackageDescription
            let package = Package(name: "Fixture", targets: [
                .target(name: "Core"),
                .executableTarget(name: "code-digest", dependencies: ["Core"]),
                .plugin(name: "CodeDigestPlugin", capability: .buildTool(), dependencies: ["code-digest"]),
                .target(name: "Lower"),
                .target(name: "Cells", dependencies: ["Lower"], plugins: ["CodeDigestPlugin"]),
                .executableTarget(name: "show", dependencies: ["Cells"]),
            ])
            """, "Package.swift", in: package)
        try write("public func base() -> Int { 1 }\n", "Sources/Lower/Lower.swift", in: package)
        try write("import Lower\npublic let code = CodeDigest.sources\npublic func value() -> Int { base() + 1 }\n", "Sources/Cells/Cells.swift", in: package)
        try write("import Cells\nprint(code)\n", "Sources/show/main.swift", in: package)
    }

    /// Builds the package and returns the digest `show` prints.
    private func digest(of package: URL) throws -> String {
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "--package-path", package.path, "--product", "show"]
        let log = package.appendingPathComponent("build.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        build.standardOutput = try FileHandle(forWritingTo: log)
        build.standardError = build.standardOutput
        try build.run()
        build.waitUntilExit()
        XCTAssertEqual(build.terminationStatus, 0, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
        let show = Process()
        show.executableURL = package.appendingPathComponent(".build/debug/show")
        let pipe = Pipe()
        show.standardOutput = pipe
        try show.run()
        show.waitUntilExit()
        let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let digest = String(printed.prefix { $0 != "\n" })
        XCTAssertEqual(digest.count, 64, printed)
        return digest
    }

    func testTheDigestFollowsTheCodeOfTheModuleAndTheModulesItUses() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-code-digest-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let package = folder.appendingPathComponent("a")
        try makePackage(at: package)
        let first = try digest(of: package)

        try write("/// The base value.\n\npublic func base() -> Int { 1 }   \n", "Sources/Lower/Lower.swift", in: package)
        XCTAssertEqual(try digest(of: package), first, "a comment, a blank line and trailing spaces are not code")

        try write("public func base() -> Int { 2 }\n", "Sources/Lower/Lower.swift", in: package)
        let changed = try digest(of: package)
        XCTAssertNotEqual(changed, first, "a module Cells depends on changed: its cells must go stale")

        // A cell of a step registered with the first build's digest is stale under the second build's.
        let workbench = folder.appendingPathComponent("workbench")
        let notebook = try TestSupport.write("```step\nid: a\nstep: demo.sum\nparams: {values: [1]}\n```\n", to: workbench, as: "nb.md")
        func plan(_ code: String) throws -> Plan {
            var registry = try StepRegistry(WorkbenchInfo.builtInSteps)
            try registry.register(DemoSum.self, code: code)
            return try Plan(files: [notebook], registry: registry)
        }
        let runner = try TestSupport.runner(in: workbench)
        try runner.run(try plan(first), render: false)
        XCTAssertEqual(TestSupport.freshness(try runner.status(try plan(first))), ["a": .fresh])
        XCTAssertEqual(TestSupport.freshness(try runner.status(try plan(changed))), ["a": .stale])

        try write("import Cells\nprint(code)\nprint(value())\n", "Sources/show/main.swift", in: package)
        let shown = try digest(of: package)
        XCTAssertEqual(shown, changed, "show is no dependency of Cells")

        try write("import Lower\npublic let code = CodeDigest.sources\npublic func value() -> Int { base() + 2 }\n", "Sources/Cells/Cells.swift", in: package)
        XCTAssertNotEqual(try digest(of: package), changed, "Cells' own code changed")

        // The same sources in another folder: the same digest (paths enter relative to the package).
        let copy = folder.appendingPathComponent("b")
        try FileManager.default.copyItem(at: package, to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent(".build"))
        XCTAssertEqual(try digest(of: copy), try digest(of: package))
    }
}
