import XCTest
@testable import Search

/// Hand-built thread states with hand-computed priorities (priority = H·s − f1).
final class PriorityTests: XCTestCase {
    func testTiesGoToTheGlobalThread() {
        // Nobody has a speed yet and the local thread sits at the global thread's best: equal priorities.
        let global = ThreadStats(best: 1, previousBest: 1, cost: 1, costAtBest: 1, costAtPreviousBest: 0, running: 0)
        let local = ThreadStats(seedObjective: 1, seedCost: 1)
        let choice = chooseThread(global: global, locals: [(local, true)], remaining: 10, globalBest: 1)
        XCTAssertNil(choice.proposer)
        XCTAssertEqual(choice.backup, 0)
        XCTAssertEqual(choice.globalPriority, choice.priorities[0])
    }

    func testFasterLocalThreadWinsAndBorrowedSpeedIsReported() {
        // Global: f1 = 1.0, s = 0.05. Local A: f1 = 0.9, s = 0.2. Local B: f1 = 0.8, s = 0 (borrows 0.2).
        let global = ThreadStats(best: 1.0, previousBest: 1.5, cost: 10, costAtBest: 10, costAtPreviousBest: 0, running: 0, speed: 0.05)
        let a = ThreadStats(best: 0.9, previousBest: 1.3, cost: 4, costAtBest: 3, costAtPreviousBest: 1, running: 0, speed: 0.2)
        let b = ThreadStats(best: 0.8, previousBest: 0.8, cost: 2, costAtBest: 2, costAtPreviousBest: 0, running: 0)
        let choice = chooseThread(global: global, locals: [(a, true), (b, true)], remaining: 100, globalBest: 0.8)
        // ECIs: global max(0, 10, 2·0.2/0.05 = 8) = 10; A max(1, 2, 2·0.1/0.2 = 1) = 2; B max(0, 2) = 2 → H = 2.
        XCTAssertEqual(choice.speeds, [0.05, 0.2, 0.2])
        XCTAssertEqual(choice.globalPriority, 2 * 0.05 - 1.0, accuracy: 1e-12)
        XCTAssertEqual(choice.priorities[0], 2 * 0.2 - 0.9, accuracy: 1e-12)
        XCTAssertEqual(choice.priorities[1], 2 * 0.2 - 0.8, accuracy: 1e-12)
        XCTAssertEqual(choice.proposer, 1)
        XCTAssertEqual(choice.backup, 1)
    }

    func testAThreadThatCannotSuggestIsSkipped() {
        let global = ThreadStats(best: 1.0, previousBest: 1.0, cost: 1, costAtBest: 1, costAtPreviousBest: 0, running: 0)
        let good = ThreadStats(best: 0.1, previousBest: 0.5, cost: 3, costAtBest: 3, costAtPreviousBest: 1, running: 2, speed: 0.1)
        let worse = ThreadStats(best: 0.5, previousBest: 0.6, cost: 3, costAtBest: 3, costAtPreviousBest: 1, running: 0, speed: 0.01)
        let choice = chooseThread(global: global, locals: [(good, false), (worse, true)], remaining: 5, globalBest: 0.1)
        XCTAssertEqual(choice.proposer, 1)
        XCTAssertEqual(choice.backup, 1)
        let none = chooseThread(global: global, locals: [(good, false)], remaining: 5, globalBest: 0.1)
        XCTAssertNil(none.proposer)
        XCTAssertNil(none.backup)
    }

    func testRemainingBudgetCapsTheHorizon() {
        let global = ThreadStats(best: 2, previousBest: 3, cost: 100, costAtBest: 100, costAtPreviousBest: 0, running: 0, speed: 0.01)
        let choice = chooseThread(global: global, locals: [], remaining: 7, globalBest: 2)
        XCTAssertEqual(choice.globalPriority, 7 * 0.01 - 2, accuracy: 1e-12)
    }

    func testRecordComputesSpeedFromImprovementPerCost() {
        var stats = ThreadStats(seedObjective: 1.0, seedCost: 2)
        stats.running = 1
        stats.record(objective: 0.6, cost: 3, epsilon: 1)
        // f2 = 1.0, f1 = 0.6, C = 5, C2 = 2 (cost when the seed was best): s = 0.4 / 1 / 3.
        XCTAssertEqual(stats.best, 0.6)
        XCTAssertEqual(stats.previousBest, 1.0)
        XCTAssertEqual(stats.costAtBest, 5)
        XCTAssertEqual(stats.costAtPreviousBest, 2)
        XCTAssertEqual(stats.speed, 0.4 / 3, accuracy: 1e-15)
        XCTAssertEqual(stats.running, 0)
        XCTAssertEqual(stats.estimatedCostForImprovement(globalBest: 0.6, speed: stats.speed), 3)
    }
}
