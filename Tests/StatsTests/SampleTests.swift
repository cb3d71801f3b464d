import Stats
import XCTest

final class SampleTests: XCTestCase {
    func testMeanAndStandardDeviationUseTheUnbiasedDenominator() throws {
        let v: [Double] = [2, 4, 4, 4, 5, 5, 7, 9]
        XCTAssertEqual(Sample.mean(v), 5)
        // Sum of squares 32 over n − 1 = 7 (numpy: np.std(v, ddof=1) = 2.1380899352993950).
        XCTAssertEqual(Sample.standardDeviation(v), 2.1380899352993950, accuracy: 1e-15)
        let (mean, variance) = try Sample.meanAndVariance(v)
        XCTAssertEqual(mean, 5)
        XCTAssertEqual(variance, 32.0 / 7.0, accuracy: 1e-15)
    }

    func testTooFewValuesGiveNaNOrAnError() {
        XCTAssertTrue(Sample.mean([]).isNaN)
        XCTAssertTrue(Sample.standardDeviation([3]).isNaN)
        XCTAssertEqual(Sample.mean([3]), 3)
        XCTAssertThrowsError(try Sample.meanAndVariance([1]))
        XCTAssertThrowsError(try Sample.meanAndVariance([1, .nan]))
    }

    func testQuantileInterpolatesLikeNumpysDefault() {
        let sorted: [Double] = [1, 2, 3, 4]
        XCTAssertEqual(Sample.quantile(sorted: sorted, 0.5), 2.5)   // np.quantile([1,2,3,4], 0.5)
        XCTAssertEqual(Sample.quantile(sorted: sorted, 0.25), 1.75) // np.quantile([1,2,3,4], 0.25)
        XCTAssertEqual(Sample.quantile(sorted: sorted, 1), 4)
    }
}
