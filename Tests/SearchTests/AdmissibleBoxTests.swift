import XCTest
@testable import Search

final class AdmissibleBoxTests: XCTestCase {
    func testStartsAtTheLowCostPointWithAMargin() {
        // Dimension 0 is cost-related (anchored at 0), dimension 1 is free.
        let box = AdmissibleBox(dimensions: [0], point: [0, 0.7])
        XCTAssertTrue(box.admits([0.0, 0.0]))
        XCTAssertTrue(box.admits([0.1, 1.0]), "within the 0.1 margin; free dims are never checked")
        XCTAssertFalse(box.admits([0.1001, 0.5]))
        XCTAssertFalse(box.admits([0.6, 0.5]))
    }

    func testGrowsWithLocalProposalsAndConvergence() {
        var box = AdmissibleBox(dimensions: [0], point: [0, 0])
        box.include([0.3, 0.9])
        XCTAssertEqual(box.lower, [0])
        XCTAssertEqual(box.upper, [0.3])
        XCTAssertTrue(box.admits([0.4, 0]))
        XCTAssertFalse(box.admits([0.41, 0]))
        box.expand()
        XCTAssertEqual(box.upper[0], 0.4, accuracy: 1e-15)
        XCTAssertEqual(box.lower[0], -0.1, accuracy: 1e-15)
        XCTAssertTrue(box.admits([0.5, 0]))
        XCTAssertFalse(box.admits([0.51, 0]))
    }

    func testNoCostDimensionsAdmitsEverything() {
        let box = AdmissibleBox(dimensions: [], point: [0.5, 0.5])
        XCTAssertTrue(box.admits([1, 0]))
    }

    func testBlendSearchKeepsGlobalProposalsNearTheCheapEnd() throws {
        // With k anchored at 16, no trial may leave [min − 0.1, max + 0.1] of what local threads reached before it.
        let space = try SearchSpace([Dimension("k", .logInteger(16, 4096))])
        let budget = SearchBudget(trials: 25)
        let search = try BlendSearch(space: space, budget: budget, lowCost: ["k": 16], seed: 4)
        let outcome = search.run(budget: budget) { t in
            let k = t.configuration["k"]!
            return Evaluation(objective: pow(log(k) - log(2000), 2), cost: k)
        }
        XCTAssertEqual(outcome.trials[0].configuration["k"], 16)
        XCTAssertEqual(outcome.trials[0].proposer, "init")
        var reached = 0.0
        for t in outcome.trials {
            let x = space.dimensions[0].domain.normalize(t.configuration["k"]!)
            if !t.proposer.hasPrefix("local") {
                XCTAssertLessThanOrEqual(x, reached + 0.1 + 1e-9, "trial \(t.number) by \(t.proposer) jumped outside the box")
            }
            // A local step can go at most δ ≤ √d = 1 beyond; record what local threads reached.
            reached = max(reached, x)
        }
    }
}
