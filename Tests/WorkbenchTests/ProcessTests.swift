import Foundation
import GRDB
import Store
import Workbench
import XCTest

/// The store survives real `imine run` processes being killed and running side by side.
final class ProcessTests: XCTestCase {
    /// The `imine` binary built beside this test bundle (`swift build --build-tests` builds it too).
    static func imineBinary() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["IMINE_BINARY"] { candidates.append(URL(fileURLWithPath: explicit)) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("imine"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("imine"))
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("imine"))
        }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            XCTFail("the imine binary is not built next to the tests (looked at \(candidates.map(\.path))); build with --build-tests")
            throw CocoaError(.fileNoSuchFile)
        }
        return found
    }

    /// A chain of `count` sleeping cells, `ms` each.
    static func chain(_ count: Int, ms: Int, label: String = "x") -> String {
        (0..<count).map { index in
            let uses = index == 0 ? "" : "uses: [c\(index - 1)]\n"
            return "Cell \(index).\n\n```step\nid: c\(index)\nstep: workbench.sleep\n\(uses)params: {ms: \(ms), label: \(label)}\n```\n"
        }.joined(separator: "\n")
    }

    /// `PRAGMA integrity_check` of a store an `imine` process wrote, read with plain GRDB: the store has every module's
    /// tables, and this target knows only some of their schemas.
    static func integrity(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }

    struct Outcome { var status: Int32; var reason: Process.TerminationReason; var stdout: String; var stderr: String }

    /// Starts `imine run` in `folder` on `store.sqlite` there.
    func start(_ binary: URL, in folder: URL, notebook: String) throws -> (Process, Pipe, Pipe) {
        try start(binary, in: folder, arguments: ["run", "--profile", TestSupport.tinyProfile.path, "--store", "store.sqlite", notebook])
    }

    func start(_ binary: URL, in folder: URL, arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["IMINE_QUIET"] = "1"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    func finish(_ running: (Process, Pipe, Pipe)) -> Outcome {
        let (process, out, err) = running
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        final class Sink: @unchecked Sendable { var data = Data() }
        let group = DispatchGroup()
        let stdout = Sink(), stderr = Sink()
        DispatchQueue.global().async(group: group) { stdout.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        process.waitUntilExit()
        group.wait()  // the group's completion orders the writes before these reads
        return Outcome(status: process.terminationStatus, reason: process.terminationReason,
                       stdout: String(decoding: stdout.data, as: UTF8.self), stderr: String(decoding: stderr.data, as: UTF8.self))
    }

    /// How many of the notebook's cells `imine status` calls fresh (the store holds every module's tables, which only
    /// `imine` opens; this target knows Workbench's).
    func freshCells(_ folder: URL, _ notebook: String) throws -> Int {
        let status = finish(try start(try Self.imineBinary(), in: folder,
                                      arguments: ["status", "--profile", TestSupport.tinyProfile.path, "--store", "store.sqlite", notebook]))
        XCTAssertEqual(status.status, 0, status.stderr)
        return status.stdout.split(separator: "\n").filter { $0.hasPrefix("fresh ") }.count
    }

    func testSIGKILLAtSeveralPointsLeavesAHealthyStoreAndTheNextRunResumes() throws {
        let binary = try Self.imineBinary()
        // Kill delays from "still starting" through mid-cell to "rendering"; each on its own store.
        for delay in [0.02, 0.15, 0.45, 0.8, 1.25] {
            let folder = try temporaryFolder("kill\(Int(delay * 1000))")
            try TestSupport.write(Self.chain(7, ms: 200), to: folder, as: "chain.md")
            let child = try start(binary, in: folder, notebook: "chain.md")
            usleep(useconds_t(delay * 1_000_000))
            kill(child.0.processIdentifier, SIGKILL)
            let killed = finish(child)
            XCTAssertEqual(killed.reason, .uncaughtSignal, "delay \(delay): the child finished before the kill; lengthen the chain")

            let storePath = folder.appendingPathComponent("store.sqlite").path
            if FileManager.default.fileExists(atPath: storePath) {
                XCTAssertEqual(try Self.integrity(storePath), "ok", "delay \(delay)")
            }
            let finishedBefore = try freshCells(folder, "chain.md")

            let rerun = finish(try start(binary, in: folder, notebook: "chain.md"))
            XCTAssertEqual(rerun.status, 0, "delay \(delay): \(rerun.stderr)")
            XCTAssertTrue(rerun.stdout.contains("ran \(7 - finishedBefore), reused \(finishedBefore) cached"),
                          "delay \(delay): every finished cell is reused: \(rerun.stdout)")
            XCTAssertEqual(try Self.integrity(storePath), "ok")
            XCTAssertEqual(try freshCells(folder, "chain.md"), 7)
            let statuses = try DatabaseQueue(path: storePath).read { db in try String.fetchAll(db, sql: "SELECT status FROM run ORDER BY id") }
            if statuses.count == 2 { XCTAssertEqual(statuses, ["killed", "finished"], "delay \(delay)") }
        }
    }

    /// Many short cells, so that kills land during writes and rendering rather than inside a sleep.
    func testSIGKILLDuringWritesKeepsTheStoreHealthy() throws {
        let binary = try Self.imineBinary()
        let folder = try temporaryFolder()
        try TestSupport.write(Self.chain(40, ms: 2), to: folder, as: "quick.md")
        let storePath = folder.appendingPathComponent("store.sqlite").path
        var previous = 0
        for delay in [0.08, 0.12, 0.16, 0.2, 0.24, 0.3] {
            let child = try start(binary, in: folder, notebook: "quick.md")
            usleep(useconds_t(delay * 1_000_000))
            kill(child.0.processIdentifier, SIGKILL)
            _ = finish(child)
            XCTAssertEqual(try Self.integrity(storePath), "ok", "delay \(delay)")
            let fresh = try freshCells(folder, "quick.md")
            XCTAssertGreaterThanOrEqual(fresh, previous, "finished cells are never lost")
            previous = fresh
        }
        let rerun = finish(try start(binary, in: folder, notebook: "quick.md"))
        XCTAssertEqual(rerun.status, 0, rerun.stderr)
        XCTAssertTrue(rerun.stdout.contains("reused \(previous) cached"), rerun.stdout)
        XCTAssertEqual(try freshCells(folder, "quick.md"), 40)
    }

    func testTwoConcurrentRunsOnOneStoreBothFinishOrOneSaysBusy() throws {
        let binary = try Self.imineBinary()
        let folder = try temporaryFolder()
        try TestSupport.write(Self.chain(5, ms: 120), to: folder, as: "same.md")
        try TestSupport.write(Self.chain(5, ms: 90, label: "other"), to: folder, as: "other.md")
        // Same notebook twice, then two notebooks at once, on one fresh store.
        for pair in [("same.md", "same.md"), ("other.md", "same.md")] {
            let first = try start(binary, in: folder, notebook: pair.0)
            let second = try start(binary, in: folder, notebook: pair.1)
            let outcomes = [finish(first), finish(second)]
            for outcome in outcomes {
                XCTAssertFalse(outcome.stderr.contains("database is locked"), outcome.stderr)
                XCTAssertEqual(outcome.reason, .exit)
                if outcome.status != 0 {
                    XCTAssertEqual(outcome.status, 3, "only a clear busy error may fail a concurrent run: \(outcome.stderr)")
                    XCTAssertTrue(outcome.stderr.contains("is busy"), outcome.stderr)
                }
            }
            XCTAssertTrue(outcomes.contains { $0.status == 0 }, "at least one run finishes")
        }
        XCTAssertEqual(try Self.integrity(folder.appendingPathComponent("store.sqlite").path), "ok")
        XCTAssertEqual(try freshCells(folder, "same.md"), 5)
        XCTAssertEqual(try freshCells(folder, "other.md"), 5)
    }

    func testCLIStopsBeforeRunningOnABadNotebook() throws {
        let binary = try Self.imineBinary()
        let folder = try temporaryFolder()
        try TestSupport.write(Self.chain(2, ms: 0) + "\n```step\nid: bad\nstep: workbench.sleep\nparams: {ms: soon}\n```\n",
                              to: folder, as: "bad.md")
        let outcome = finish(try start(binary, in: folder, notebook: "bad.md"))
        XCTAssertEqual(outcome.status, 2)
        XCTAssertTrue(outcome.stderr.contains("bad.md:"), outcome.stderr)
        XCTAssertTrue(outcome.stderr.contains("nothing was run"), outcome.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("store.sqlite").path),
                       "the store is not even opened")
    }
    func testStatusAndStepsCommandsTellWhatToDo() throws {
        let binary = try Self.imineBinary()
        let folder = try temporaryFolder()
        try TestSupport.write(Self.chain(3, ms: 0), to: folder, as: "three.md")
        let statusArguments = ["status", "--profile", TestSupport.tinyProfile.path, "--store", "store.sqlite", "three.md"]
        let before = finish(try start(binary, in: folder, arguments: statusArguments))
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout.components(separatedBy: "missing ").count - 1, 3, before.stdout)
        XCTAssertTrue(before.stdout.contains("3 of 3 cells to run"), before.stdout)
        XCTAssertEqual(finish(try start(binary, in: folder, notebook: "three.md")).status, 0)
        let after = finish(try start(binary, in: folder, arguments: statusArguments))
        XCTAssertTrue(after.stdout.contains("all 3 cells fresh"), after.stdout)
        let steps = finish(try start(binary, in: folder, arguments: ["steps", "workbench.sleep"]))
        XCTAssertTrue(steps.stdout.contains("params.ms: an integer, default 0"), steps.stdout)
        let unknown = finish(try start(binary, in: folder, arguments: ["steps", "no.such"]))
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertTrue(unknown.stderr.contains("imine steps"), unknown.stderr)
    }
}
