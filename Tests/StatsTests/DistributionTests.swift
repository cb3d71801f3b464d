import XCTest
@testable import Stats

/// Distributions against scipy (bench/stats/make_test_fixtures.py → Fixtures/distributions.json).
/// Tolerance 1e-12 relative everywhere, tails included (a p-value of 1e-40 must be right to 12 digits too,
/// since every tail is computed directly); values below 1e-300 are compared absolutely.
final class DistributionTests: XCTestCase {
    let relative = 1e-12
    var fixture: [String: Any] = [:]

    override func setUpWithError() throws { fixture = try Fixture.load("distributions.json") }

    func testStudentT() throws {
        for c in try fixture.objects("t") {
            let d = StudentT(degreesOfFreedom: try c.double("df"))
            let t = try c.double("t"), label = "t(\(d.degreesOfFreedom)) at \(t)"
            assertClose(d.cdf(t), try c.double("cdf"), relative: relative, absolute: 1e-300, "\(label) cdf")
            assertClose(d.survival(t), try c.double("sf"), relative: relative, absolute: 1e-300, "\(label) sf")
            assertClose(d.twoSidedP(t), try c.double("twoSided"), relative: relative, absolute: 1e-300, "\(label) two-sided")
            assertClose(d.pdf(t), try c.double("pdf"), relative: relative, absolute: 1e-300, "\(label) pdf")
        }
    }

    func testStudentTQuantile() throws {
        for c in try fixture.objects("tQuantile") {
            let d = StudentT(degreesOfFreedom: try c.double("df"))
            let p = try c.double("p")
            assertClose(d.quantile(p), try c.double("q"), relative: relative, absolute: 1e-300, "t(\(d.degreesOfFreedom)) quantile \(p)")
        }
    }

    func testF() throws {
        for c in try fixture.objects("f") {
            let d = FDistribution(numerator: try c.double("d1"), denominator: try c.double("d2"))
            let x = try c.double("f"), label = "F(\(d.numerator), \(d.denominator)) at \(x)"
            assertClose(d.cdf(x), try c.double("cdf"), relative: relative, absolute: 1e-300, "\(label) cdf")
            assertClose(d.survival(x), try c.double("sf"), relative: relative, absolute: 1e-300, "\(label) sf")
        }
    }

    func testChiSquared() throws {
        for c in try fixture.objects("chi2") {
            let d = ChiSquared(degreesOfFreedom: try c.double("k"))
            let x = try c.double("x"), label = "χ²(\(d.degreesOfFreedom)) at \(x)"
            assertClose(d.cdf(x), try c.double("cdf"), relative: relative, absolute: 1e-300, "\(label) cdf")
            assertClose(d.survival(x), try c.double("sf"), relative: relative, absolute: 1e-300, "\(label) sf")
        }
    }

    func testNormal() throws {
        for c in try fixture.objects("normal") {
            let z = try c.double("z")
            assertClose(Normal.cdf(z), try c.double("cdf"), relative: relative, absolute: 1e-300, "Φ(\(z))")
            assertClose(Normal.survival(z), try c.double("sf"), relative: relative, absolute: 1e-300, "1 − Φ(\(z))")
        }
        for c in try fixture.objects("normalQuantile") {
            let p = try c.double("p")
            assertClose(Normal.quantile(p), try c.double("q"), relative: relative, absolute: 1e-300, "Φ⁻¹(\(p))")
        }
    }

    func testIncompleteBetaAndGamma() throws {
        for c in try fixture.objects("beta") {
            let (a, b, x) = (try c.double("a"), try c.double("b"), try c.double("x"))
            let r = SpecialFunctions.incompleteBeta(a: a, b: b, x: x)
            // The complement is formed as 1 − I when I is the directly computed small side, so compare it
            // absolutely at 1e-15 when it is the larger tail.
            assertClose(r.lower, try c.double("lower"), relative: relative, absolute: 1e-15, "I_\(x)(\(a), \(b))")
            assertClose(r.upper, try c.double("upper"), relative: relative, absolute: 1e-15, "1 − I_\(x)(\(a), \(b))")
        }
        for c in try fixture.objects("gamma") {
            let (a, x) = (try c.double("a"), try c.double("x"))
            let r = SpecialFunctions.incompleteGamma(a: a, x: x)
            assertClose(r.lower, try c.double("lower"), relative: relative, absolute: 1e-15, "P(\(a), \(x))")
            assertClose(r.upper, try c.double("upper"), relative: relative, absolute: 1e-15, "Q(\(a), \(x))")
        }
    }
}
