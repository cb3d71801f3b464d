import XCTest
@testable import Stats

/// Welch, TOST, Holm, correlations, one-way ANOVA and predictive R² against scipy/statsmodels
/// (Fixtures/hypothesis.json). Tolerance 1e-10 relative: a little looser than the distributions' 1e-12 because the
/// statistics pass through sums of a few values first.
final class HypothesisTests: XCTestCase {
    let relative = 1e-10
    var fixture: [String: Any] = [:]
    var samples: [String: [Double]] = [:]

    override func setUpWithError() throws {
        fixture = try Fixture.load("hypothesis.json")
        let raw = try fixture.object("samples")
        for (k, v) in raw { samples[k] = try XCTUnwrap((v as? [NSNumber])?.map(\.doubleValue)) }
    }

    func alternative(_ c: [String: Any]) throws -> Alternative {
        try XCTUnwrap(Alternative(rawValue: try XCTUnwrap(c["alternative"] as? String)))
    }

    func pair(_ c: [String: Any]) throws -> ([Double], [Double], String) {
        let x = try XCTUnwrap(c["x"] as? String), y = try XCTUnwrap(c["y"] as? String)
        return (try XCTUnwrap(samples[x]), try XCTUnwrap(samples[y]), "\(x) vs \(y)")
    }

    func testWelchMatchesScipy() throws {
        for c in try fixture.objects("welch") {
            let (x, y, label) = try pair(c)
            let alt = try alternative(c)
            let r = try Welch.test(x, y, alternative: alt)
            assertClose(r.t, try c.double("t"), relative: relative, "Welch t \(label)")
            assertClose(r.degreesOfFreedom, try c.double("df"), relative: relative, "Welch df \(label)")
            assertClose(r.p, try c.double("p"), relative: relative, "Welch p \(label) \(alt)")
        }
    }

    func testTOSTMatchesStatsmodels() throws {
        for c in try fixture.objects("tost") {
            let (x, y, label) = try pair(c)
            let margin = try c.double("margin")
            let r = try Equivalence.tost(x, y, margin: margin)
            let what = "TOST \(label) ±\(margin)"
            assertClose(r.p, try c.double("p"), relative: relative, "\(what) p")
            assertClose(r.lowerTest.t, try c.double("lowerT"), relative: relative, "\(what) lower t")
            assertClose(r.lowerTest.p, try c.double("lowerP"), relative: relative, "\(what) lower p")
            assertClose(r.upperTest.t, try c.double("upperT"), relative: relative, "\(what) upper t")
            assertClose(r.upperTest.p, try c.double("upperP"), relative: relative, "\(what) upper p")
            assertClose(r.lowerTest.degreesOfFreedom, try c.double("df"), relative: relative, "\(what) df")
        }
    }

    func testCorrelationsAndRanksMatchScipy() throws {
        let c = try fixture.object("correlation")
        let x = try c.doubles("x"), y = try c.doubles("y")
        assertClose(try Correlation.pearson(x, y), try c.double("pearson"), relative: 1e-13, "Pearson")
        assertClose(try Correlation.spearman(x, y), try c.double("spearman"), relative: 1e-13, "Spearman (with ties)")
        XCTAssertEqual(Ranks.average(x), try c.doubles("ranksX"))
    }

    func testHolmMatchesStatsmodels() throws {
        let c = try fixture.object("holm")
        for (a, e) in zip(Holm.adjust(try c.doubles("p")), try c.doubles("adjusted")) {
            assertClose(a, e, relative: 1e-14, "Holm-adjusted p")
        }
    }

    func testSeedVarianceFTestMatchesScipyOneWayANOVA() throws {
        let c = try fixture.object("seedVariance")
        let groups = try XCTUnwrap(c["groups"] as? [[NSNumber]]).map { $0.map(\.doubleValue) }
        let r = try SeedVariance.analyze(groups)
        assertClose(try XCTUnwrap(r.f), try c.double("f"), relative: relative, "one-way F")
        assertClose(try XCTUnwrap(r.fPValue), try c.double("p"), relative: relative, "one-way F p")
        XCTAssertEqual(r.seedShare + r.intraclassCorrelation, 1, accuracy: 1e-15)
    }

    func testPredictiveR2MatchesBruteForceRefits() throws {
        let c = try fixture.object("crossValidation")
        let y = try c.doubles("y")
        let design = try Design(names: ["a", "b"], columns: [try c.doubles("a"), try c.doubles("b")])
        let fold = try XCTUnwrap(c["fold"] as? [Int])
        assertClose(try CrossValidation.leaveOneOutR2(try OLS.fit(y, design), y: y), try c.double("looR2"),
                    relative: 1e-12, "LOO R² (closed form vs refits)")
        assertClose(try CrossValidation.kFoldR2(y, design, fold: fold), try c.double("kFoldR2"), relative: 1e-12, "4-fold R²")
    }
}
