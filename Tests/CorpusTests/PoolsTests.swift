import Core
import XCTest
@testable import Corpus

final class PoolsTests: XCTestCase {
    static let specPath = TestData.repositoryRoot.appendingPathComponent("paper-repro/pools.yaml").path

    /// The declared pools under the paper profile's response limit, loaded once for the tests of this class.
    static let declared: Result<PoolSet, Error> = Result {
        try Pools.load(dataDirectory: TestData.folder.url, spec: PoolSpec.load(path: specPath), policy: LoadPolicy(maxResponseChars: 16000))
    }

    func testDeclaredPoolsLoadDisjointAndLargeEnough() throws {
        let set = try Self.declared.get()
        for pool in set.pools { print(pool.name, pool.itemCount, pool.countsBySource.map { "\($0.source)=\($0.count)" }.joined(separator: " ")) }
        for removal in set.report.removals { print("removed", removal) }
        print("within-pool duplicates", set.report.duplicatesWithinPool)
        XCTAssertEqual(set["eval-self-instruct"]?.examples.count, 252)
        XCTAssertEqual(set["eval-mt-bench"]?.examples.count, 70)
        XCTAssertGreaterThanOrEqual(set["selection"]?.examples.count ?? 0, 12000, "the paper profile draws 12,000 from the selection pool")
        XCTAssertGreaterThanOrEqual(set["rule-fit"]?.examples.count ?? 0, 10000)
        XCTAssertTrue(set.report.leaks.isEmpty)
        XCTAssertFalse(set.report.checks.isEmpty)
        // The overlaps by construction were removed explicitly from the selection side, and reported.
        let removedFromClaude = set.report.removals.filter { $0.source == "alpagasus-alpaca-subsets/claude_t45" }.map(\.count).reduce(0, +)
        XCTAssertGreaterThan(removedFromClaude, 900)
        // Independent re-check of disjointness by content hash and by prompt.
        let ruleFit = set["rule-fit"]!.examples, selection = set["selection"]!.examples
        XCTAssertTrue(Set(ruleFit.map(\.id)).isDisjoint(with: selection.map(\.id)))
        XCTAssertTrue(Set(ruleFit.map(Pools.promptKey)).isDisjoint(with: selection.map(Pools.promptKey)))
        let evalInstructions = Set((set["eval-self-instruct"]!.examples + set["eval-mt-bench"]!.examples + set["test-prompts"]!.examples).map(Pools.instructionKey))
        XCTAssertTrue(Set((ruleFit + selection).map(Pools.instructionKey)).isDisjoint(with: evalInstructions))
        XCTAssertEqual(set["probes"]?.examples.first?.source, "self-instruct/predictions/davinci_predictions")
        XCTAssertEqual(set["probes"]?.examples.count, 8 * 252 - 48 - 2 - 1, "every model keeps its non-empty answers")
        // The probes pool lists the eight models worst first: tiers never decrease along the pool.
        let tiers = set["probes"]!.examplesBySource.map { group in Catalog.probeModels.first { $0.model == Catalog.probeModel(ofSource: group.source) }!.tier }
        XCTAssertEqual(tiers.count, 8)
        XCTAssertEqual(tiers, tiers.sorted())
        XCTAssertEqual(set["pretraining"]?.documents.count, 330)
        XCTAssertGreaterThan(set["preference"]?.preferences.count ?? 0, 2500)
    }

    func testPoolsAreDeterministic() throws {
        let a = try Self.declared.get()
        let b = try Pools.load(dataDirectory: TestData.folder.url, spec: PoolSpec.load(path: Self.specPath), policy: LoadPolicy(maxResponseChars: 16000))
        XCTAssertEqual(a.pools.map { $0.examples.map(\.id) }, b.pools.map { $0.examples.map(\.id) })
        XCTAssertEqual(a.report, b.report)
    }

    func testATrainingPoolThatRepeatsAnEvaluationInstructionFailsWithAReport() throws {
        // Seed tasks share one instruction with the 252 evaluation instructions.
        let spec = PoolSpec(pools: [
            PoolDeclaration(name: "eval", role: .evaluation, sources: ["self-instruct/user_oriented_instructions"]),
            PoolDeclaration(name: "train", role: .training, sources: ["self-instruct/seed_tasks"]),
        ])
        XCTAssertThrowsError(try Pools.load(dataDirectory: TestData.folder.url, spec: spec)) { error in
            guard let leak = error as? PoolLeakError else { return XCTFail("expected a PoolLeakError, got \(error)") }
            XCTAssertEqual(leak.report.leaks.map(\.by), ["instruction"])
            XCTAssertEqual(leak.report.leaks.first?.shared, 1)
            XCTAssertTrue(leak.description.contains("train shares 1 item(s) with eval by instruction"), leak.description)
        }
    }

    func testTwoTrainingPoolsFromOverlappingAlpacaSubsetsLeakUnlessOverlapsAreDropped() throws {
        var spec = PoolSpec(pools: [
            PoolDeclaration(name: "a", role: .training, sources: ["alpagasus-alpaca-subsets/random_9k"]),
            PoolDeclaration(name: "b", role: .training, sources: ["cherry-alpaca-5pct/cherry_alpaca_5_percent"]),
        ])
        XCTAssertThrowsError(try Pools.load(dataDirectory: TestData.folder.url, spec: spec)) { error in
            XCTAssertEqual((error as? PoolLeakError)?.report.leaks.first?.by, "content hash")
        }
        spec.pools[1].dropOverlapsWith = ["a"]
        let set = try Pools.load(dataDirectory: TestData.folder.url, spec: spec)
        XCTAssertEqual(set.report.removals.map(\.count), [552])
        XCTAssertEqual(set["b"]?.examples.count, 3111 - 552)
    }

    func testSpecErrorsNameTheField() {
        XCTAssertThrowsError(try PoolSpec.parse("pools:\n  - name: x\n    role: training\n    sources: [nope]\n", file: "p.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.field, "sources")
        }
        XCTAssertThrowsError(try PoolSpec.parse("pools:\n  - name: x\n    role: training\n    sources: [lima/lima]\n    drop_overlaps_with: [y]\n", file: "p.yaml")) { error in
            XCTAssertEqual((error as? InputError)?.field, "drop_overlaps_with")
        }
    }
}
