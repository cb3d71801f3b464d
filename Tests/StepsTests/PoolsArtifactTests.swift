import Corpus
import Foundation
@testable import Steps
import Store
import Workbench
import XCTest

/// The pools cell is the only one that reads the data folder: it stores the pools it loaded as an artifact, and every
/// later cell reads them from there, through its run's ``LoadedValues``.
final class PoolsArtifactTests: XCTestCase {
    func testLaterCellsReadThePoolsTheCellLoadedFromItsArtifact() throws {
        let bench = try ScratchWorkbench("pools-artifact", for: self)
        let notebook = try bench.notebook("pools.md", "```step\nid: pools\nstep: corpus.pools\n```\n")
        let runner = try bench.runner()
        let summary = try runner.run(try Plan(files: [notebook], registry: bench.registry), render: false)
        XCTAssertEqual(summary.failed.map(\.0), [])
        let record = try XCTUnwrap(summary.records["pools/pools"])
        let payload = try JSONDecoder().decode(PoolsPayload.self, from: try runner.store.artifact(record.outputDigest))

        // What the artifact holds is what loading the declared pools gives, item for item.
        let spec = try PoolSpec.parse(try String(contentsOfFile: payload.specPath, encoding: .utf8), file: payload.specPath)
        let loaded = try Pools.load(dataDirectory: bench.paths.data, spec: spec, policy: LoadPolicy(maxResponseChars: payload.maxResponseChars))
        let stored = try JSONDecoder().decode([Pool].self, from: try runner.store.artifact(payload.poolsDigest))
        XCTAssertEqual(stored.map(\.name), loaded.pools.map(\.name))
        XCTAssertEqual(stored, loaded.pools)
        XCTAssertGreaterThan(stored.reduce(0) { $0 + $1.itemCount }, 0)

        // A later cell's view: decoded from the artifact once per run, not from the data folder.
        let context = StepContext(stepName: "rule.subsets", cellID: "subsets", notebook: "pools", parameters: Parameters([:], step: "rule.subsets"),
                                  profile: ProfileView(profile: runner.profile, allowedKeys: [], stepName: "rule.subsets"),
                                  inputs: [StepInput(cellID: "pools", step: PoolsStep.name, digest: record.outputDigest,
                                                     payload: try runner.store.artifact(record.outputDigest))],
                                  reads: .reads(named: [PoolsStep.name]), store: runner.store, seed: 0,
                                  dataDirectory: URL(fileURLWithPath: "/nonexistent-data-folder"), modelsDirectory: bench.paths.models,
                                  loaded: runner.loaded)
        let first = try PoolsRef(context), second = try PoolsRef(context)
        XCTAssertEqual(first.pools, loaded.pools)
        XCTAssertEqual(try first.examples(loaded.pools[0].name), loaded.pools[0].examples)
        XCTAssertEqual(second.pools, first.pools)
        XCTAssertThrowsError(try first.pool("no-such-pool")) { error in
            XCTAssertTrue("\(error)".contains("no pool named 'no-such-pool'"), "\(error)")
        }
    }

    func testLoadedValuesLoadOncePerKey() {
        let values = LoadedValues()
        var loads = 0
        XCTAssertEqual(values.value("a") { loads += 1; return 1 }, 1)
        XCTAssertEqual(values.value("a") { loads += 1; return 2 }, 1, "the value remembered under the key")
        XCTAssertEqual(values.value("b") { loads += 1; return 3 }, 3)
        XCTAssertEqual(loads, 2)
        XCTAssertEqual(LoadedValues().value("a") { 4 }, 4, "another run's values are its own")
    }

    func testAnArtifactThatDoesNotDecodeFailsTheStepNamingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("imine-decoded-\(UUID().uuidString)")
        let store = try WorkbenchStore.open(folder.appendingPathComponent("store.sqlite").path)
        let values = LoadedValues()
        let good = try store.putArtifact(Data("[1, 2]".utf8), kind: "test")
        XCTAssertEqual(try values.decoded([Int].self, artifact: good, in: store, what: "the test artifact", step: "s"), [1, 2])
        let bad = try store.putArtifact(Data("{\"not\": \"a list\"}".utf8), kind: "test")
        XCTAssertThrowsError(try values.decoded([Int].self, artifact: bad, in: store, what: "the test artifact", step: "s")) { error in
            guard case StepError.failed(let step, let message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(step, "s")
            XCTAssertTrue(message.hasPrefix("the test artifact \(bad.prefix(12)) does not decode:"), message)
        }
    }
}
