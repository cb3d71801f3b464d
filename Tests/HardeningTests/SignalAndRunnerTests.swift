import Core
import Foundation
import GRDB
import XCTest

/// Signals, SIGKILL at random moments, and two runners on one store, against the real `imine` process.
final class SignalAndRunnerTests: XCTestCase {
    static func chain(_ count: Int, ms: Int, slow: Int? = nil, slowMs: Int = 0, scratch: Int = 0) -> String {
        (0..<count).map { index in
            let uses = index == 0 ? "" : "uses: [c\(index - 1)]\n"
            let params = index == slow ? "{ms: \(slowMs), scratch: \(scratch)}" : "{ms: \(ms)}"
            return "```step\nid: c\(index)\nstep: workbench.sleep\n\(uses)params: \(params)\n```\n"
        }.joined(separator: "\n")
    }

    func run(_ folder: URL, _ notebook: String) throws -> (Process, Pipe, Pipe) {
        try CLI.start(["run", "--profile", CLI.tinyProfile.path, "--store", "store.sqlite", notebook], in: folder)
    }

    func read<T>(_ folder: URL, _ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("store.sqlite").path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// Waits (at most `limit` s) until `condition` holds on the store.
    func wait(_ folder: URL, limit: TimeInterval = 8, until condition: (Database) throws -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(limit)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent("store.sqlite").path),
               (try? read(folder, condition)) == true { return true }
            usleep(20_000)
        }
        return false
    }

    func testSIGINTAndSIGTERMRollBackTheCellInFlightSayWhichAndHowToResume() throws {
        for (signal, name, status) in [(SIGTERM, "SIGTERM", Int32(143)), (SIGINT, "SIGINT", Int32(130))] {
            let folder = try scratchFolder("signal\(name)")
            try Data(text: Self.chain(3, ms: 0, slow: 1, slowMs: 4_000, scratch: 4)).write(to: folder.appendingPathComponent("chain.md"))
            let child = try run(folder, "chain.md")
            let started = wait(folder) { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM artifact WHERE kind = 'scratch'") == 4
            }
            XCTAssertTrue(started, "\(name): the slow cell wrote its scratch rows")
            kill(child.0.processIdentifier, signal)
            let outcome = CLI.finish(child)
            XCTAssertEqual(outcome.status, status, "\(name): \(outcome.stderr)")
            XCTAssertFalse(outcome.signaled, "\(name): it exits, it is not killed by the signal")
            XCTAssertTrue(outcome.stderr.contains("imine: interrupted by \(name) while cell chain/c1 was running"), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("4 partial rows deleted"), outcome.stderr)
            XCTAssertTrue(outcome.stderr.contains("Resume with: imine run --profile"), outcome.stderr)
            try read(folder) { db in
                XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM artifact WHERE kind = 'scratch'"), 0, "no rows of the unfinished cell")
                XCTAssertEqual(try String.fetchAll(db, sql: "SELECT cell_id FROM cell ORDER BY cell_id"), ["c0"])
                XCTAssertEqual(try String.fetchAll(db, sql: "SELECT status FROM run"), ["interrupted"])
                XCTAssertEqual(try String.fetchOne(db, sql: "PRAGMA quick_check"), "ok")
            }
            let resumed = CLI.finish(try run(folder, "chain.md"))
            XCTAssertEqual(resumed.status, 0, resumed.stderr)
            XCTAssertTrue(resumed.stdout.contains("ran 2, reused 1 cached"), resumed.stdout)
        }
    }

    /// SIGKILL cannot be caught: what must hold is that every kill leaves a healthy store and that the finished
    /// store equals one an uninterrupted run made.
    func testSIGKILLAtRandomMomentsEndsEqualToAnUninterruptedRun() throws {
        let notebook = Self.chain(10, ms: 120)
        let reference = try scratchFolder("reference")
        try Data(text: notebook).write(to: reference.appendingPathComponent("chain.md"))
        XCTAssertEqual(CLI.finish(try run(reference, "chain.md")).status, 0)

        let killed = try scratchFolder("killed")
        try Data(text: notebook).write(to: killed.appendingPathComponent("chain.md"))
        var random = SeededRandom(seed: 2026)
        for round in 0..<8 {
            let child = try run(killed, "chain.md")
            usleep(useconds_t(random.uniform() * 700_000))
            kill(child.0.processIdentifier, SIGKILL)
            _ = CLI.finish(child)
            if FileManager.default.fileExists(atPath: killed.appendingPathComponent("store.sqlite").path) {
                XCTAssertEqual(try read(killed) { try String.fetchOne($0, sql: "PRAGMA integrity_check") }, "ok", "round \(round)")
            }
        }
        let last = CLI.finish(try run(killed, "chain.md"))
        XCTAssertEqual(last.status, 0, last.stderr)
        let contents = { (db: Database) throws -> [String] in
            try String.fetchAll(db, sql: "SELECT notebook || '/' || cell_id || ' ' || cache_key || ' ' || output_digest || ' ' || IFNULL(report_digest, '') FROM cell ORDER BY 1")
                + String.fetchAll(db, sql: "SELECT digest || ' ' || kind || ' ' || size FROM artifact ORDER BY 1")
        }
        XCTAssertEqual(try read(killed, contents), try read(reference, contents))
    }

    func testTwoRunnersOnOneStoreComputeEachCellOnce() throws {
        let folder = try scratchFolder()
        try Data(text: Self.chain(6, ms: 300)).write(to: folder.appendingPathComponent("shared.md"))
        let first = try run(folder, "shared.md")
        usleep(100_000)
        let second = try run(folder, "shared.md")
        let outcomes = [CLI.finish(first, limit: 30), CLI.finish(second, limit: 30)]
        var ran = 0
        for outcome in outcomes {
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let match = outcome.stdout.range(of: #"ran (\d+), reused"#, options: .regularExpression).map { outcome.stdout[$0] }
            ran += Int(match?.split(separator: " ")[1].dropLast() ?? "") ?? 99
        }
        XCTAssertEqual(ran, 6, "each of the 6 cells is computed by exactly one runner: \(outcomes.map(\.stdout))")
        XCTAssertTrue(outcomes.contains { $0.stderr.contains("is computing this cell; waiting for it") }, outcomes.map(\.stderr).joined())
    }
}
