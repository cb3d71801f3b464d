import Core
import XCTest
@testable import Search

final class FLOW2Tests: XCTestCase {
    /// Drives one FLOW2 thread alone on `f` until it converges or `limit` proposals were made.
    private func descend(_ flow: FLOW2, _ f: ([Double]) -> Double, limit: Int) -> (proposals: Int, converged: Bool) {
        var n = 0
        while n < limit {
            n += 1
            guard let values = flow.suggest(trial: n) else { return (n, flow.converged) }
            flow.complete(trial: n, objective: f(values), cost: 1)
            if flow.converged { return (n, true) }
        }
        return (n, false)
    }

    func testApproachesTheMinimumOfAConvexFunction() throws {
        let space = try SearchSpace([Dimension("x", .uniform(-5, 10)), Dimension("y", .uniform(0, 15))])
        let f: ([Double]) -> Double = { v in pow(v[0] - 2, 2) + 0.5 * pow(v[1] - 7, 2) }
        let start = [-4.0, 1.0]
        let flow = FLOW2(space: space, start: start, objective: f(start), random: SeededRandom(seed: 7, stream: "t"))
        let initialStep = flow.step
        // FLOW2 is fast far from the optimum and slow close to it (δ decays like 1/√K and every improvement
        // undoes a shrink): from f = 54, 400 proposals reach f < 0.05 with δ down by more than 3×.
        _ = descend(flow, f, limit: 400)
        XCTAssertLessThan(flow.bestObjective, 0.05)
        XCTAssertEqual(flow.bestValues[0], 2, accuracy: 0.1)
        XCTAssertEqual(flow.bestValues[1], 7, accuracy: 0.4)
        XCTAssertLessThan(flow.step, initialStep / 3)
    }

    func testConvergesOnAConvexIntegerFunction() throws {
        // Real dims converge only once δ < 1e-4, which takes ~10^6 proposals; integer dims stop at one unit.
        let space = try SearchSpace([Dimension("a", .integer(0, 50)), Dimension("b", .integer(0, 50))])
        let f: ([Double]) -> Double = { v in pow(v[0] - 31, 2) + 2 * pow(v[1] - 12, 2) }
        let flow = FLOW2(space: space, start: [0, 0], objective: f([0, 0]), random: SeededRandom(seed: 5, stream: "t"))
        let (proposals, converged) = descend(flow, f, limit: 3000)
        XCTAssertTrue(converged, "no convergence after \(proposals) proposals")
        XCTAssertEqual(flow.bestValues, [31, 12])
        XCTAssertLessThan(flow.step, flow.stepLowerBound)
    }

    func testInitialStepAndMirrorProposal() throws {
        let space = try SearchSpace([Dimension("x", .uniform(0, 1)), Dimension("y", .uniform(0, 1))])
        let flow = FLOW2(space: space, start: [0.5, 0.5], objective: 1, random: SeededRandom(seed: 3, stream: "t"))
        XCTAssertEqual(flow.step, 0.1 * 2.0.squareRoot(), accuracy: 1e-15)
        XCTAssertEqual(flow.patience, 4)
        let plus = flow.suggest(trial: 1)!, minus = flow.suggest(trial: 2)!
        // The second proposal mirrors the first through the incumbent, at distance δ.
        XCTAssertEqual(plus[0] + minus[0], 1, accuracy: 1e-12)
        XCTAssertEqual(plus[1] + minus[1], 1, accuracy: 1e-12)
        XCTAssertEqual(hypot(plus[0] - 0.5, plus[1] - 0.5), flow.step, accuracy: 1e-12)
    }

    func testStepShrinksWithoutImprovementAndThreadStopsAtTwoDOutstanding() throws {
        let space = try SearchSpace([Dimension("x", .uniform(0, 1))])
        let flow = FLOW2(space: space, start: [0.5], objective: 0, random: SeededRandom(seed: 3, stream: "t"))
        let initial = flow.step
        XCTAssertNotNil(flow.suggest(trial: 1))
        XCTAssertNotNil(flow.suggest(trial: 2))
        // 2d proposals are out and none came back: the thread waits.
        XCTAssertFalse(flow.canSuggest)
        // In 1-D N = 2: the second proposal from the incumbent triggered δ ← δ·√(K_prev/K) = δ·√(1/4).
        XCTAssertEqual(flow.step, initial / 2, accuracy: 1e-15)
        flow.complete(trial: 1, objective: 1, cost: 1)
        flow.complete(trial: 2, objective: 1, cost: 1)
        XCTAssertTrue(flow.canSuggest)
    }
    func testImprovementUndoesTheLatestShrinkOnce() throws {
        // 1-D, N = 2. From 0.5 on f(x) = −x: the first probe goes one way, its mirror the other, and the mirror
        // triggers the first shrink (K_prev = 1, K = 4: δ halves). Whichever probe went up improves.
        let space = try SearchSpace([Dimension("x", .uniform(0, 1))])
        let f: ([Double]) -> Double = { -$0[0] }
        let flow = FLOW2(space: space, start: [0.5], objective: f([0.5]), random: SeededRandom(seed: 1, stream: "t"))
        let initial = flow.step
        let first = flow.suggest(trial: 1)!, mirror = flow.suggest(trial: 2)!
        XCTAssertEqual(flow.step, initial / 2, accuracy: 1e-15)
        let (up, down) = first[0] > mirror[0] ? (1, 2) : (2, 1)
        flow.complete(trial: down, objective: f(down == 1 ? first : mirror), cost: 1)
        flow.complete(trial: up, objective: f(up == 1 ? first : mirror), cost: 1)
        // The improvement undoes that shrink once, from the step as it is now: back to the initial step, whichever
        // probe improved (FLAML doubles it when the improving probe was made before the shrink).
        XCTAssertEqual(flow.step, initial, accuracy: 1e-15)
        XCTAssertEqual(flow.bestValues[0], 0.5 + initial, accuracy: 1e-12)
        // The next probe is a fresh direction (the pair was used up) and pays off at once, with no shrink since it
        // was made: the step widens by the latest shrink's factor, √(K/K_prev) = 2.
        let probe = flow.suggest(trial: 3)!
        XCTAssertEqual(abs(probe[0] - flow.bestValues[0]), initial, accuracy: 1e-12)
        flow.complete(trial: 3, objective: flow.bestObjective - 1, cost: 1)
        XCTAssertEqual(flow.step, 2 * initial, accuracy: 1e-15)
        XCTAssertEqual(flow.bestValues, probe)
    }
}
