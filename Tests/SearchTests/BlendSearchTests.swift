import Foundation
import XCTest
@testable import Search

final class BlendSearchTests: XCTestCase {
    private let space2D = try! SearchSpace([Dimension("n", .logInteger(1, 1024)), Dimension("lr", .logUniform(1e-4, 1))])

    private func costly(_ t: Trial) -> Evaluation {
        let n = t.configuration["n"]!, lr = t.configuration["lr"]!
        let f = 1 / n.squareRoot() + 0.25 * pow(log10(lr) + 2.5 - 0.25 * log10(n), 2) + 0.03 * log2(n)
        return Evaluation(objective: f, cost: n)
    }

    func testSeededRunsReproduceExactly() throws {
        let budget = SearchBudget(trials: 60)
        func once(_ seed: UInt64) throws -> Data {
            let search = try BlendSearch(space: space2D, budget: budget, lowCost: ["n": 1], seed: seed)
            return try encoded(search.run(budget: budget, objective: costly))
        }
        XCTAssertEqual(try once(20), try once(20))
        XCTAssertNotEqual(try once(20), try once(21))
    }

    func testTrialBudgetAndNoDuplicates() throws {
        let budget = SearchBudget(trials: 40)
        let search = try BlendSearch(space: space2D, budget: budget, lowCost: ["n": 1], seed: 3)
        let outcome = search.run(budget: budget, objective: costly)
        XCTAssertEqual(outcome.trials.count, 40)
        XCTAssertEqual(outcome.stopReason, .trialBudget)
        XCTAssertEqual(outcome.trials.map(\.number), Array(0..<40))
        XCTAssertEqual(outcome.trials[0].configuration["n"], 1, "the low-cost configuration comes first")
        let signatures = outcome.trials.map { space2D.signature([$0.configuration["n"]!, $0.configuration["lr"]!]) }
        XCTAssertEqual(Set(signatures).count, signatures.count)
        XCTAssert(outcome.trials.allSatisfy { $0.seed == 3 && $0.objective != nil && $0.cost != nil })
        XCTAssertEqual(outcome.costSpent, outcome.trials.reduce(0) { $0 + $1.cost! })
    }

    func testCostBudgetStopsOnceSpent() throws {
        let budget = SearchBudget(cost: 2000)
        let search = try BlendSearch(space: space2D, budget: budget, lowCost: ["n": 1], seed: 5)
        let outcome = search.run(budget: budget, objective: costly)
        XCTAssertEqual(outcome.stopReason, .costBudget)
        XCTAssertGreaterThanOrEqual(outcome.costSpent, 2000)
        // Only the last trial may cross the budget.
        XCTAssertLessThan(outcome.costSpent - outcome.trials.last!.cost!, 2000)
    }

    func testSmallIntegerSpaceStopsAfterPatienceWithoutNewTrials() throws {
        // Five configurations in all: once they are evaluated every step is a duplicate.
        let space = try SearchSpace([Dimension("k", .integer(1, 5))])
        let budget = SearchBudget(trials: 50)
        let search = try BlendSearch(space: space, budget: budget, lowCost: ["k": 1], seed: 9)
        let outcome = search.run(budget: budget) { Evaluation(objective: abs($0.configuration["k"]! - 4), cost: 1) }
        XCTAssertEqual(outcome.stopReason, .noNewTrials)
        XCTAssertLessThanOrEqual(outcome.trials.count, 5)
        XCTAssertEqual(outcome.best?.configuration["k"], 4)
    }

    func testFindsTheBetterBasinOfAOneDimensionalCurve() throws {
        // Frugal but not blind: on a smooth curve with a minimum at k ≈ 300 the search must get close.
        let space = try SearchSpace([Dimension("k", .logInteger(16, 4096))])
        let budget = SearchBudget(trials: 30)
        let search = try BlendSearch(space: space, budget: budget, lowCost: ["k": 16], seed: 20)
        let outcome = search.run(budget: budget) { t in
            Evaluation(objective: pow(log(t.configuration["k"]!) - log(300), 2), cost: t.configuration["k"]!)
        }
        let k = outcome.best!.configuration["k"]!
        XCTAssert((200...450).contains(k), "best k \(k)")
    }

    func testHorizonUnderATrialBudgetIsInCostUnits() throws {
        // Speeds are objective per unit cost, so H must be a cost: trials left × mean cost of a finished trial.
        let space = try SearchSpace([Dimension("k", .logInteger(16, 4096))])
        let budget = SearchBudget(trials: 12)
        let search = try BlendSearch(space: space, budget: budget, lowCost: ["k": 16], seed: 20)
        XCTAssertEqual(search.remainingHorizon, .infinity, "nothing finished: no cost estimate yet")
        var spent = 0.0, done = 0
        for _ in 0..<40 where done < 5 {
            guard let t = search.suggest() else { continue }
            let k = t.configuration["k"]!
            search.report(t, objective: 1 / k, cost: k)
            spent += k
            done += 1
        }
        XCTAssertEqual(done, 5)
        XCTAssertEqual(search.remainingHorizon, 7 * spent / 5, accuracy: 1e-9)
        // A cost budget is already a cost.
        let costBudget = SearchBudget(cost: 1000)
        let byCost = try BlendSearch(space: space, budget: costBudget, lowCost: ["k": 16], seed: 20)
        let first = byCost.suggest()!
        byCost.report(first, objective: 1, cost: 16)
        XCTAssertEqual(byCost.remainingHorizon, 984)
    }

    func testGlobalSamplerLearnsOnlyFromItsOwnTrials() throws {
        // As FLAML's Optuna sampler: the low-cost start, random fallbacks and local threads' trials are not its own.
        // Reals: no duplicates, so every observation is a finished trial the sampler proposed.
        let space = try SearchSpace([Dimension("x1", .uniform(-5, 10)), Dimension("x2", .uniform(0, 15))])
        let budget = SearchBudget(trials: 60)
        let search = try BlendSearch(space: space, budget: budget, seed: 20)
        let outcome = search.run(budget: budget) { t in
            let x1 = t.configuration["x1"]!, x2 = t.configuration["x2"]!
            return Evaluation(objective: pow(x2 - 0.13 * x1 * x1 + 1.6 * x1 - 6, 2) + 9.6 * cos(x1) + 10, cost: 1)
        }
        let own = outcome.trials.filter { $0.proposer == "global" }.count
        XCTAssertGreaterThan(own, 0)
        XCTAssertLessThan(own, outcome.trials.count - 1, "local threads proposed too")
        XCTAssertEqual(search.global.observationCount, own)
    }

    func testProposersAreNamed() throws {
        let budget = SearchBudget(trials: 60)
        let search = try BlendSearch(space: space2D, budget: budget, lowCost: ["n": 1], seed: 27)
        let outcome = search.run(budget: budget, objective: costly)
        let names = Set(outcome.trials.map { $0.proposer.hasPrefix("local-") ? "local" : $0.proposer })
        XCTAssert(names.isSubset(of: ["init", "global", "random-fallback", "local"]), "\(names)")
        XCTAssert(names.contains("local"))
    }
}

final class BaselineTests: XCTestCase {
    func testRandomSearchIsSeededAndLogUniform() throws {
        let space = try SearchSpace([Dimension("lr", .logUniform(1e-4, 1))])
        func draw(_ seed: UInt64) -> [Double] {
            let search = RandomSearch(space: space, seed: seed)
            return search.run(budget: SearchBudget(trials: 400)) { _ in Evaluation(objective: 0, cost: 1) }
                .trials.map { $0.configuration["lr"]! }
        }
        let a = draw(1)
        XCTAssertEqual(a, draw(1))
        XCTAssertNotEqual(a, draw(2))
        XCTAssert(a.allSatisfy { (1e-4...1).contains($0) })
        // Log-uniform: about half the draws fall below 1e-2 (binomial sd 10 of 400).
        let below = a.filter { $0 < 1e-2 }.count
        XCTAssert((160...240).contains(below), "\(below) of 400 below the log midpoint")
    }
}

final class DriverTests: XCTestCase {
    private struct Boom: Error {}

    func testObjectiveErrorsStopTheSearchAndPropagate() throws {
        let space = try SearchSpace([Dimension("k", .logInteger(16, 4096))])
        let budget = SearchBudget(trials: 10)
        let search = try BlendSearch(space: space, budget: budget, lowCost: ["k": 16])
        var calls = 0
        XCTAssertThrowsError(try search.run(budget: budget) { _ in
            calls += 1
            if calls == 3 { throw Boom() }
            return Evaluation(objective: 1, cost: 1)
        }) { XCTAssert($0 is Boom) }
        XCTAssertEqual(calls, 3)
    }
}
