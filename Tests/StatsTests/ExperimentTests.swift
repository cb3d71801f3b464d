import Core
import XCTest
@testable import Stats

/// The decision procedures of the experiments, on curves whose truth is known by construction.
final class ExperimentTests: XCTestCase {
    /// `seeds` noisy measurements around each mean (seeded, so the test is deterministic).
    func measure(_ means: [Double], sd: Double, seeds: Int, stream: String) -> [[Double]] {
        var random = SeededRandom(seed: 7, stream: stream)
        return means.map { m in (0..<seeds).map { _ in m + sd * random.gaussian() } }
    }

    func testClearDoubleDescentIsFoundWithItsWitness() throws {
        let sizes: [Double] = [250, 500, 1000, 2000, 4000, 8000]
        let means = [1.20, 1.05, 0.98, 1.10, 0.95, 0.90]   // down, down, up, down, down
        let curve = try MeasuredCurve(sizes: sizes, values: measure(means, sd: 0.01, seeds: 8, stream: "dd"))
        let r = try CurveShape.test(curve)
        XCTAssertTrue(r.nonMonotone)
        XCTAssertTrue(r.doubleDescent)
        let w = try XCTUnwrap(r.witness)
        XCTAssertEqual(w.count, 6)
        XCTAssert(w[1] <= w[2] && w[3] <= w[4], "episodes out of order: \(w)")
        XCTAssertEqual(w[3], 3, "the rise should end at the 2,000 peak: \(w)")
        XCTAssertEqual(r.tests.count, 6 * 5)
    }

    func testMonotoneCurveIsNotCalledNonMonotone() throws {
        let sizes: [Double] = [250, 500, 1000, 2000, 4000]
        let curve = try MeasuredCurve(sizes: sizes, values: measure([1.2, 1.1, 1.0, 0.95, 0.93], sd: 0.01, seeds: 5, stream: "mono"))
        let r = try CurveShape.test(curve)
        XCTAssertFalse(r.nonMonotone)
        XCTAssertFalse(r.doubleDescent)
        XCTAssertFalse(r.significantFalls.isEmpty)
    }

    func testWiggleWithinSeedNoiseIsNotSignificant() throws {
        let sizes: [Double] = [250, 500, 1000, 2000]
        let curve = try MeasuredCurve(sizes: sizes, values: measure([1.00, 0.99, 1.01, 0.99], sd: 0.05, seeds: 3, stream: "wiggle"))
        let r = try CurveShape.test(curve)
        XCTAssertFalse(r.nonMonotone)
        XCTAssertFalse(r.doubleDescent)
    }

    func testCurveInputIsChecked() {
        XCTAssertThrowsError(try MeasuredCurve(sizes: [1, 2], values: [[1, 2], [3]]))
        XCTAssertThrowsError(try MeasuredCurve(sizes: [2, 1], values: [[1, 2], [3, 4]]))
    }

    func testBalancePointIsWhereEquivalenceStartsAndStays() throws {
        let sizes: [Double] = [1000, 2000, 4000, 8000, 16000]
        let random = measure([1.00, 0.98, 0.97, 0.96, 0.96], sd: 0.002, seeds: 10, stream: "random")
        let selected = measure([0.95, 0.95, 0.969, 0.96, 0.96], sd: 0.002, seeds: 10, stream: "selected")
        let r = try BalancePoint.find(sizes: sizes, selected: selected, random: random, margin: .relative(0.01))
        XCTAssertEqual(r.balanceSize, 4000)
        XCTAssertFalse(r.rows[0].equivalent)
        XCTAssertLessThan(r.rows[0].difference, 0)
        XCTAssertLessThan(r.rows[0].differenceTest.p, 0.05)
        // A gap at the largest size means there is no balance point yet.
        var late = selected
        late[4] = late[4].map { $0 - 0.05 }
        XCTAssertNil(try BalancePoint.find(sizes: sizes, selected: late, random: random).balanceSize)
    }

    func testUndefinedTestsThrow() {
        XCTAssertThrowsError(try Welch.test([1, 1, 1], [2, 2]))
        XCTAssertThrowsError(try Welch.test([1], [2, 3]))
        XCTAssertThrowsError(try Equivalence.tost([1, 2], [2, 3], margin: 0))
        XCTAssertThrowsError(try Correlation.pearson([1, 1, 1], [1, 2, 3]))
        XCTAssertThrowsError(try Correlation.spearman([1, 2], [1, 2, 3]))
    }

    func testSeedVarianceOnABalancedToyByHand() throws {
        // Two subsets, two seeds each: within SS = 0.5 + 0.5 → MS_w = 1/2; means 1.5 and 5.5, grand 3.5,
        // between SS = 2·4 + 2·4 = 16 → MS_b = 16; σ²_b = (16 − 0.5)/2 = 7.75.
        let r = try SeedVariance.analyze([[1, 2], [5, 6]])
        XCTAssertEqual(r.withinVariance, 0.5, accuracy: 1e-15)
        XCTAssertEqual(r.betweenVariance, 7.75, accuracy: 1e-15)
        XCTAssertEqual(r.intraclassCorrelation, 7.75 / 8.25, accuracy: 1e-15)
        XCTAssertEqual(try XCTUnwrap(r.f), 32, accuracy: 1e-12)
        XCTAssertEqual(r.rSquaredCeiling(seedsPerSubset: 1), r.rSquaredCeiling, accuracy: 1e-15)
        XCTAssertEqual(r.rSquaredCeiling(seedsPerSubset: 2), 7.75 / 8.0, accuracy: 1e-15)
    }
}
