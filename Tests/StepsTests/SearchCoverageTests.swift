import XCTest
@testable import Steps

final class SearchCoverageTests: XCTestCase {
    private let sizes = [50, 100, 200, 400, 800, 1600]
    /// A falling curve with small seed noise: 3 seeds per size, means 5.40 … 5.15.
    private let falling: [[Double]] = [5.40, 5.35, 5.30, 5.25, 5.20, 5.15].map { m in [m - 0.002, m, m + 0.002] }

    func testAStalledSearchIsCalledOut() throws {
        // The quick run of issue #19: trials between 50 and 102, reported 102, while the sweep keeps falling.
        let c = try SearchCoverage(triedK: [50, 71, 60, 102, 88], reportedK: 102, kMin: 50, kMax: 1600, sweepSizes: sizes, sweepLosses: falling)
        XCTAssertEqual(c.largestTried, 102)
        XCTAssertEqual(c.logRangeShare, log(102.0 / 50) / log(1600.0 / 50), accuracy: 1e-12)
        XCTAssertEqual(c.sweepBestSize, 1600)
        XCTAssertEqual(c.sweepSizeNearReported, 100)
        XCTAssertEqual(c.sweepDifference, 5.15 - 5.35, accuracy: 1e-12)
        XCTAssertTrue(c.sweepShowsBetterK)
        XCTAssertTrue(c.verdict.hasPrefix("Did not explore the range"), c.verdict)
    }

    func testASearchThatReachedTheBestSizeAgreesWithTheSweep() throws {
        let c = try SearchCoverage(triedK: [50, 100, 200, 400, 800, 1600], reportedK: 1600, kMin: 50, kMax: 1600, sweepSizes: sizes, sweepLosses: falling)
        XCTAssertEqual(c.logRangeShare, 1, accuracy: 1e-12)
        XCTAssertFalse(c.sweepShowsBetterK)
        XCTAssertTrue(c.verdict.hasPrefix("The sweep shows no k better"), c.verdict)
    }

    func testDifferencesWithinTwoStandardErrorsAreNotABetterK() throws {
        // Means 5.30 and 5.29 with seed sd 0.01 (3 seeds): a gap of 0.01 against a standard error of 0.0082.
        let noisy = [[5.29, 5.30, 5.31], [5.28, 5.29, 5.30]]
        let c = try SearchCoverage(triedK: [50, 60], reportedK: 60, kMin: 50, kMax: 100, sweepSizes: [50, 100], sweepLosses: noisy)
        XCTAssertEqual(c.sweepBestSize, 100)
        XCTAssertFalse(c.sweepShowsBetterK)
        XCTAssertTrue(c.verdict.contains("only 26% of the log range"), c.verdict)
    }

    func testSweepSizesOutsideTheSearchRangeAreLeftOut() throws {
        let c = try SearchCoverage(triedK: [100, 200], reportedK: 200, kMin: 100, kMax: 400, sweepSizes: sizes, sweepLosses: falling)
        XCTAssertEqual(c.sweepSizes, [100, 200, 400])
        XCTAssertThrowsError(try SearchCoverage(triedK: [16], reportedK: 16, kMin: 16, kMax: 32, sweepSizes: sizes, sweepLosses: falling))
        XCTAssertThrowsError(try SearchCoverage(triedK: [], reportedK: 50, kMin: 50, kMax: 1600, sweepSizes: sizes, sweepLosses: falling))
    }
}
