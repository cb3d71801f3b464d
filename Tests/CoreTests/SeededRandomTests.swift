import Core
import XCTest

final class SeededRandomTests: XCTestCase {
    func testSameSeedSameStream() {
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let xs = (0..<5).map { _ in a.next() }
        XCTAssertEqual(xs, (0..<5).map { _ in b.next() })
        XCTAssertNotEqual(xs, (0..<5).map { _ in c.next() })
    }

    func testUniformAndBelowStayInRange() {
        var rng = SeededRandom(seed: 7)
        for _ in 0..<10_000 {
            let u = rng.uniform()
            XCTAssert(u >= 0 && u < 1)
            XCTAssert((0..<13).contains(rng.below(13)))
        }
    }

    func testSampleIsDistinct() {
        var rng = SeededRandom(seed: 1)
        let s = rng.sample(50, from: 60)
        XCTAssertEqual(Set(s).count, 50)
    }

    func testGaussianMoments() {
        var rng = SeededRandom(seed: 3)
        let xs = (0..<100_000).map { _ in rng.gaussian() }
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(variance, 1, accuracy: 0.02)
    }
}
