import Core
import GRDB
import Store
import Workbench
import XCTest

/// The cache promise: a cell re-runs exactly when something that can change its result changed.
final class CacheTests: XCTestCase {
    /// a → b → c, and d alone.
    private func notebook(bScale: String = "1", prose: String = "Some prose.") -> String {
        """
        # Cache test
        \(prose)

        ```step
        id: a
        step: demo.sum
        params: {values: [1, 2]}
        ```

        ```step
        id: b
        step: demo.sum
        uses: [a]
        params:
          scale: \(bScale)
        ```

        ```step
        id: c
        step: demo.sum
        uses: [b]
        params: {values: [10]}
        ```

        ```step
        id: d
        step: demo.sum
        params: {values: [5]}
        ```
        """
    }

    private func plan(_ text: String, in folder: URL) throws -> Plan {
        let file = try TestSupport.write(text, to: folder, as: "cache.md")
        return try Plan(files: [file], registry: TestSupport.registry)
    }

    func testRunsInOrderThenEverythingIsFresh() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        let plan = try plan(notebook(), in: folder)
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(plan)).values), [.missing])
        let first = try runner.run(plan)
        XCTAssertEqual(first.ran, ["cache/a", "cache/b", "cache/c", "cache/d"])
        let states = try runner.status(plan)
        XCTAssertEqual(Set(TestSupport.freshness(states).values), [.fresh])
        let c = try XCTUnwrap(states.first { $0.cellID == "c" }?.record)
        XCTAssertEqual(try runner.store.json(DemoSum.Payload.self, digest: c.outputDigest).sum, 13)
        let again = try runner.run(plan)
        XCTAssertEqual(again.ran, [])
        XCTAssertEqual(again.cached.count, 4)
    }

    func testChangingOneCellsParametersMakesExactlyItAndItsDependentsStale() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        try runner.run(try plan(notebook(), in: folder))
        let changed = try plan(notebook(bScale: "2"), in: folder)
        XCTAssertEqual(TestSupport.freshness(try runner.status(changed)), ["a": .fresh, "b": .stale, "c": .stale, "d": .fresh])
        let summary = try runner.run(changed)
        XCTAssertEqual(summary.ran, ["cache/b", "cache/c"])
        let c = try XCTUnwrap(try runner.status(changed).first { $0.cellID == "c" }?.record)
        XCTAssertEqual(try runner.store.json(DemoSum.Payload.self, digest: c.outputDigest).sum, 16)
        // Going back finds the earlier results still cached.
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(try plan(notebook(), in: folder))).values), [.fresh])
    }

    /// The code digest a registry gives its steps (the Steps module's is made at build time) enters their keys: other
    /// code, every cell of those steps stale; the same code again, fresh; steps registered without one, unaffected.
    func testChangingTheCodeOfAStepMakesItsCellsStale() throws {
        let folder = try temporaryFolder()
        let file = try TestSupport.write(notebook(), to: folder, as: "cache.md")
        func registry(_ code: String?) throws -> StepRegistry {
            var registry = try StepRegistry(WorkbenchInfo.builtInSteps)
            try registry.register(DemoSum.self, code: code)
            return registry
        }
        let runner = try TestSupport.runner(in: folder)
        let built = try Plan(files: [file], registry: try registry("code-1"))
        try runner.run(built)
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(built)).values), [.fresh])
        let rebuilt = try Plan(files: [file], registry: try registry("code-2"))
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(rebuilt)).values), [.stale])
        XCTAssertEqual(try runner.run(rebuilt).ran.count, 4)
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(built)).values), [.fresh], "the first build's results are still cached")

        // Without a code digest the key is what it was before digests existed: version, parameters, inputs, profile.
        let unversioned = try Plan(files: [file], registry: try registry(nil))
        let key = try CacheKey(step: DemoSum.self, parameters: unversioned.nodes[0].parameters, inputDigests: [],
                               profile: runner.profile).digest()
        XCTAssertEqual(try runner.status(unversioned).first { $0.cellID == "a" }?.cacheKey, key)
    }

    func testEquivalentSpellingsShareOneKey() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        try runner.run(try plan(notebook(bScale: "1"), in: folder))
        // `1.0` and `1` are one canonical number; an explicit default equals an omitted one.
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(try plan(notebook(bScale: "1.0"), in: folder))).values), [.fresh])
    }

    func testEditingProseChangesNothing() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        try runner.run(try plan(notebook(), in: folder))
        let edited = try plan(notebook(prose: "Entirely different prose,\nover two lines, with ```step in it."), in: folder)
        XCTAssertEqual(Set(TestSupport.freshness(try runner.status(edited)).values), [.fresh])
        XCTAssertEqual(try runner.run(edited).ran, [])
    }

    func testProfileValuesTheStepReadsEnterTheKey() throws {
        let folder = try temporaryFolder()
        let tiny = try Profile.load(file: TestSupport.tinyProfile)
        let runner = try TestSupport.runner(in: folder, profile: tiny)
        let plan = try plan(notebook(), in: folder)
        try runner.run(plan)
        // A key demo.sum does not read: still fresh.
        guard case .object(var values) = tiny.values, case .object(var model) = values["model"]!,
              case .object(var finetune) = values["finetune"]! else { return XCTFail("unexpected profile shape") }
        model["layers"] = 99
        values["model"] = .object(model)
        let other = Runner(store: runner.store, profile: Profile(name: "tiny", file: tiny.file, values: .object(values)), paths: runner.paths)
        XCTAssertEqual(Set(TestSupport.freshness(try other.status(plan)).values), [.fresh])
        // The key it declares: every cell is stale.
        finetune["epochs"] = 7
        values["finetune"] = .object(finetune)
        let changed = Runner(store: runner.store, profile: Profile(name: "tiny", file: tiny.file, values: .object(values)), paths: runner.paths)
        XCTAssertEqual(Set(TestSupport.freshness(try changed.status(plan)).values), [.stale])
    }

    func testForceRerunsAndRenamedCellsStayCached() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        try runner.run(try plan(notebook(), in: folder))
        XCTAssertEqual(try runner.run(try plan(notebook(), in: folder), force: true).ran.count, 4)
        let renamed = notebook().replacingOccurrences(of: "id: d", with: "id: d2")
        let summary = try runner.run(try plan(renamed, in: folder))
        XCTAssertEqual(summary.ran, [])
    }

    func testUndeclaredProfileReadFailsTheCellAndSkipsDependents() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        let plan = try plan("""
            ```step
            id: s
            step: demo.sneaky
            ```
            ```step
            id: after
            step: demo.sum
            uses: [s]
            ```
            ```step
            id: alone
            step: demo.sum
            ```
            """, in: folder)
        let summary = try runner.run(plan)
        XCTAssertEqual(summary.failed.map(\.0), ["cache/s"])
        XCTAssertTrue(summary.failed[0].1.contains("without declaring it"), summary.failed[0].1)
        XCTAssertEqual(summary.skipped, ["cache/after"])
        XCTAssertEqual(summary.ran, ["cache/alone"])
        let status = try runner.store.read { db in try String.fetchOne(db, sql: "SELECT status FROM run ORDER BY id DESC LIMIT 1") }
        XCTAssertEqual(status, "failed")
    }
    func testExternalInputsMakeACellStaleWhenTheirFileChanges() throws {
        let folder = try temporaryFolder()
        let data = folder.appendingPathComponent("data")
        try TestSupport.write("first", to: data, as: "input.txt")
        let runner = try TestSupport.runner(in: folder)
        let plan = try plan("```step\nid: f\nstep: demo.file\nparams: {file: input.txt}\n```\n", in: folder)
        XCTAssertEqual(try runner.run(plan).ran, ["cache/f"])
        XCTAssertEqual(TestSupport.freshness(try runner.status(plan)), ["f": .fresh])
        try TestSupport.write("second", to: data, as: "input.txt")
        XCTAssertEqual(TestSupport.freshness(try runner.status(plan)), ["f": .stale])
    }

    func testAProfileKeyNoProfileSetsIsFoundBeforeAnythingRuns() throws {
        let folder = try temporaryFolder()
        let runner = try TestSupport.runner(in: folder)
        let plan = try plan("```step\nid: ok\nstep: demo.sum\n```\n\n```step\nid: r\nstep: demo.reader\n```\n", in: folder)
        XCTAssertThrowsError(try runner.run(plan)) { error in
            XCTAssertTrue("\(error)".contains("does not set 'no_such.section'"), "\(error)")
            XCTAssertTrue("\(error)".contains("tiny.yaml"), "\(error)")
            XCTAssertTrue("\(error)".contains("cache.md:8"), "\(error)")
        }
        XCTAssertEqual(try runner.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM cell") }, 0)
    }
}
