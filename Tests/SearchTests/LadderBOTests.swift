import Foundation
import XCTest
@testable import Search

final class LadderBOTests: XCTestCase {
    private let space = try! SearchSpace([Dimension("k", .logInteger(100, 20_000))])

    /// Rises gently from k = 100 (a local search started there sees only worse values), with a narrow deep well
    /// at k = 900: the shape of issue #19's double well without its second well.
    private func risingThenWell(_ t: Trial) -> Evaluation {
        let k = t.configuration["k"]!, x = log10(k)
        return Evaluation(objective: 1 + 0.01 * (x - 2) - 0.3 * exp(-pow(x - log10(900), 2) / (2 * 0.12 * 0.12)), cost: k)
    }

    func testSeededRunsReproduceExactly() throws {
        let budget = SearchBudget(trials: 30)
        func once(_ seed: UInt64) throws -> Data {
            try encoded(LadderBO(space: space, seed: seed).run(budget: budget, objective: risingThenWell))
        }
        XCTAssertEqual(try once(20), try once(20))
        XCTAssertNotEqual(try once(20), try once(21), "the seed shifts the ladder's rungs")
    }

    func testLeavesAFlatStartAndFindsTheWell() throws {
        for seed: UInt64 in 20..<30 {
            let outcome = try LadderBO(space: space, seed: seed).run(budget: SearchBudget(trials: 30), objective: risingThenWell)
            XCTAssertEqual(outcome.trials.first?.integer("k"), 100, "the first trial is the low-cost end")
            let best = try XCTUnwrap(outcome.best?.integer("k"))
            XCTAssertTrue((825...980).contains(best), "seed \(seed): best k \(best), expected the well at 900")
            XCTAssertLessThan(outcome.trials.count, 30, "seed \(seed): the stopping rule ends the search inside the budget")
            XCTAssertEqual(outcome.stopReason, .exhausted)
        }
    }

    func testClimbsToTheTopOfAFallingCurve() throws {
        let outcome = try LadderBO(space: space, seed: 20).run(budget: SearchBudget(trials: 30)) { t in
            let k = t.configuration["k"]!
            return Evaluation(objective: 2 + 3 * pow(k / 100, -0.3), cost: k)
        }
        XCTAssertEqual(outcome.best?.integer("k"), 20_000)
        let ladder = outcome.trials.filter { $0.proposer == "ladder" }.map { $0.integer("k")! }
        XCTAssertEqual(ladder, ladder.sorted(), "the ladder climbs")
        XCTAssertEqual(ladder.last, 20_000, "the ladder's last rung is k_max")
    }

    func testTheLadderStopsOnceItsBestRungIsBracketed() throws {
        // A bowl with its bottom at k = 400: the climb stops one rung above the best rung, far below k_max.
        let search = try LadderBO(space: space, seed: 20)
        var ladder: [Int] = []
        while search.isClimbing, let trial = search.suggest() {
            let k = trial.configuration["k"]!
            search.report(trial, objective: pow(log10(k / 400), 2), cost: k)
            if trial.proposer == "ladder" { ladder.append(trial.integer("k")!) }
        }
        XCTAssertLessThan(ladder.max()!, 1_600, "rungs \(ladder)")
        XCTAssertGreaterThan(ladder.max()!, 400, "rungs \(ladder)")
    }

    func testRejectsSpacesItCannotSearch() {
        XCTAssertThrowsError(try LadderBO(space: SearchSpace([Dimension("k", .integer(1, 100))])))
        XCTAssertThrowsError(try LadderBO(space: SearchSpace([Dimension("k", .logInteger(1, 100)), Dimension("x", .uniform(0, 1))])))
        XCTAssertThrowsError(try LadderBO(space: space, ratio: 1))
    }

    func testGaussianProcessInterpolatesAndExpectsNoGainWhereItLooked() throws {
        let xs = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], ys = xs.map { sin(6 * $0) }
        let model = try XCTUnwrap(GaussianProcess1D(xs: xs, ys: ys))
        for (x, y) in zip(xs, ys) {
            let p = model.predictStandardised(x)
            XCTAssertEqual(p.mean * model.scale + model.offset, y, accuracy: 0.02, "at x = \(x)")
            XCTAssertLessThan(model.expectedImprovement(at: x), 1e-3, "at x = \(x)")
        }
        // sin(6x) bottoms at x = π/4 ≈ 0.785, between the observations at 0.6 and 0.8 (the lowest, −0.996): the
        // model expects a gain next to the lowest observation, not at the far end.
        XCTAssertGreaterThan(model.expectedImprovement(at: 0.75), model.expectedImprovement(at: 0.1))
    }
}
