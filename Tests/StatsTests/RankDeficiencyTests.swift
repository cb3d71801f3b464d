import XCTest
@testable import Stats

/// A rank-deficient design must be refused with the collinear regressors named, never solved.
final class RankDeficiencyTests: XCTestCase {
    let a: [Double] = [1, 2, 3, 4, 5, 6, 7, 8]
    let b: [Double] = [2, 1, 4, 3, 6, 5, 8, 9]
    let noise: [Double] = [0.3, -0.1, 0.2, 0.5, -0.4, 0.1, 0.0, -0.2]
    var y: [Double] { zip(a, noise).map { 1 + 0.5 * $0 + $1 } }

    func refusal(_ design: Design, intercept: Bool = true) throws -> (names: [String], message: String) {
        do {
            let fit = try OLS.fit(y, design, intercept: intercept)
            XCTFail("a rank-deficient design was solved: \(fit.coefficients.map(\.estimate))")
            return ([], "")
        } catch StatsError.rankDeficient(let names, let message) {
            return (names, message)
        }
    }

    func testExactCombinationIsNamedWithItsRelation() throws {
        let c = zip(a, b).map { $0 + 2 * $1 }
        let r = try refusal(try Design(names: ["a", "b", "c"], columns: [a, b, c]))
        XCTAssertEqual(Set(r.names), ["a", "b", "c"])
        XCTAssert(r.message.contains("c ≈ 1.000"), r.message)
        XCTAssert(r.message.contains("·a + 2.000·b"), r.message)
    }

    func testDuplicateColumnIsNamed() throws {
        let r = try refusal(try Design(names: ["a", "b", "a_again"], columns: [a, b, a]))
        XCTAssertEqual(Set(r.names), ["a", "a_again"])
    }

    func testConstantRegressorCollidesWithTheIntercept() throws {
        let r = try refusal(try Design(names: ["a", "flat"], columns: [a, Array(repeating: 3.5, count: 8)]))
        XCTAssertEqual(Set(r.names), [OLS.interceptName, "flat"])
        // Without an intercept the same column is fine.
        XCTAssertNoThrow(try OLS.fit(y, try Design(names: ["a", "flat"], columns: [a, Array(repeating: 3.5, count: 8)]), intercept: false))
    }

    func testZeroColumnIsNamed() throws {
        let r = try refusal(try Design(names: ["a", "zero"], columns: [a, Array(repeating: 0, count: 8)]))
        XCTAssertEqual(r.names, ["zero"])
    }

    func testNearCollinearityBeyondTheToleranceIsRefusedButAModerateOneIsFitted() throws {
        let tiny = zip(a, noise).map { $0 + 1e-13 * $1 }
        XCTAssertEqual(Set(try refusal(try Design(names: ["a", "a_jitter"], columns: [a, tiny])).names), ["a", "a_jitter"])
        let small = zip(a, noise).map { $0 + 1e-4 * $1 }
        XCTAssertNoThrow(try OLS.fit(y, try Design(names: ["a", "a_jitter"], columns: [a, small])))
    }

    func testBadInputIsReportedNotFitted() throws {
        XCTAssertThrowsError(try Design(names: ["a", "b"], columns: [a, Array(b.prefix(7))]))
        XCTAssertThrowsError(try Design(names: ["a"], columns: [[1, .nan, 3]]))
        XCTAssertThrowsError(try Design(names: ["a", "a"], columns: [a, b]))
        XCTAssertThrowsError(try Design(names: [OLS.interceptName], columns: [a]))
        let design = try Design(names: ["a"], columns: [a])
        XCTAssertThrowsError(try OLS.fit(Array(y.prefix(7)), design))
        XCTAssertThrowsError(try OLS.fit(Array(repeating: 2, count: 8), design)) { error in
            guard case StatsError.constantSample = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try OLS.fit(a.map { 2 * $0 + 1 }, design))  // exact fit: no residual variance
        XCTAssertThrowsError(try OLS.fit(y, design, confidence: 1))
        let wide = try Design(names: (0..<8).map { "x\($0)" }, columns: (0..<8).map { k in a.map { pow($0, Double(k) / 3) } })
        XCTAssertThrowsError(try OLS.fit(y, wide))  // 9 parameters, 8 rows
    }
}

#if canImport(Glibc)
import Glibc
#endif
