import Core
import XCTest
@testable import Stats

/// Model selection and the resampling audits on a synthetic rule-fitting design whose true rule is known:
/// 129 "subsets", 5 candidate indicators, log loss driven by two of them.
final class SelectionAndAuditTests: XCTestCase {
    struct Data { var y: [Double]; var design: Design }

    func synthetic(n: Int = 129, signal: Double = 1, seed: UInt64 = 3) throws -> Data {
        var r = SeededRandom(seed: seed, stream: "synthetic")
        let names = ["Rew", "Len", "KNN_6", "MTLD", "PPL"]
        var columns = names.map { _ in (0..<n).map { _ in r.gaussian() } }
        columns[1] = columns[1].map { 300 + 80 * $0 }  // token-count scale
        let y = (0..<n).map { i in 0.1 + signal * (-0.08 * columns[0][i] + 0.0004 * columns[1][i]) + 0.03 * r.gaussian() }
        return Data(y: y, design: try Design(names: names, columns: columns))
    }

    func testSelectionProceduresSideBySide() throws {
        let d = try synthetic()
        let c = try ModelSelection.compare(d.y, d.design, folds: 10, seed: 1)
        XCTAssertEqual(c.candidates.count, 32)
        XCTAssertTrue(c.refused.isEmpty)
        XCTAssertEqual(c.choices.map(\.procedure), ["paper", "best subset", "best subset", "reference"])
        XCTAssertEqual(c.choices[1].chosen?.regressors, ["Rew", "Len"], "BIC should find the true rule")
        let paper = try XCTUnwrap(c.choices[0].chosen)
        XCTAssert(paper.maxP! < 0.05)
        XCTAssert(Set(paper.regressors).isSuperset(of: ["Rew", "Len"]), "\(paper.regressors)")
        let cv = try XCTUnwrap(c.choices[2].chosen)
        XCTAssert(Set(cv.regressors).isSuperset(of: ["Rew", "Len"]), "\(cv.regressors)")
        XCTAssertEqual(c.choices[3].chosen?.regressors, d.design.names)
        // The full model has the highest in-sample R² of all: why R² alone cannot select.
        XCTAssertEqual(c.candidates.map(\.rSquared).max(), c.choices[3].chosen?.rSquared)
        let table = c.markdownTable()
        XCTAssert(table.contains("| paper |") && table.contains("lowest BIC") && table.contains("Rew, Len"), table)
        // Same seed, same folds, same answer.
        XCTAssertEqual(c, try ModelSelection.compare(d.y, d.design, folds: 10, seed: 1))
    }

    func testRankDeficientSubsetsAreListedAsRefused() throws {
        let d = try synthetic(n: 60)
        let doubled = try Design(names: d.design.names + ["Rew_x2"], columns: d.design.columns + [d.design.columns[0].map { 2 * $0 }])
        let c = try ModelSelection.compare(d.y, doubled, folds: 5, seed: 1)
        XCTAssertEqual(c.candidates.count + c.refused.count, 64)
        XCTAssertEqual(c.refused.count, 16, "every subset holding both Rew and Rew_x2")
        XCTAssert(c.refused.allSatisfy { $0.regressors.contains("Rew") && $0.regressors.contains("Rew_x2") })
        XCTAssertNil(c.choices[3].chosen, "the full set is rank-deficient")
    }

    func testBootstrapIsSeededAndBracketsTheEstimate() throws {
        let d = try synthetic()
        let a = try Bootstrap.coefficients(d.y, d.design, replicates: 400, seed: 11)
        XCTAssertEqual(a, try Bootstrap.coefficients(d.y, d.design, replicates: 400, seed: 11))
        XCTAssertNotEqual(a, try Bootstrap.coefficients(d.y, d.design, replicates: 400, seed: 12))
        let fit = try OLS.fit(d.y, d.design)
        for (interval, c) in zip(a.intervals, fit.coefficients) {
            XCTAssert(interval.lower < c.estimate && c.estimate < interval.upper, "\(interval)")
            // With normal homoscedastic errors the bootstrap SE should be near the model SE.
            XCTAssertEqual(interval.standardError / c.standardError, 1, accuracy: 0.25, interval.name)
        }
        XCTAssertEqual(a.intervals.first { $0.name == "Rew" }?.signAgreement, 1)
        XCTAssertEqual(a.refused, 0)
    }

    func testPermutationTestSeparatesSignalFromNoise() throws {
        let strong = try synthetic()
        let s = try PermutationTest.rSquared(strong.y, strong.design, permutations: 300, seed: 5)
        XCTAssertEqual(s.p, 1.0 / 301, accuracy: 1e-15)
        XCTAssertLessThan(s.null95, s.observedRSquared)
        let none = try synthetic(signal: 0)
        let n = try PermutationTest.rSquared(none.y, none.design, permutations: 300, seed: 5)
        XCTAssertGreaterThan(n.p, 0.05)
        // Five noise indicators on 129 rows: chance R² averages about 5/128.
        XCTAssertEqual(n.nullMean, 5.0 / 128, accuracy: 0.01)
    }

    func testPredictiveR2IsBelowInSampleR2() throws {
        let d = try synthetic()
        let fit = try OLS.fit(d.y, d.design)
        let loo = try CrossValidation.leaveOneOutR2(fit, y: d.y)
        let fold = try CrossValidation.folds(count: d.y.count, k: 10, seed: 2)
        let kf = try CrossValidation.kFoldR2(d.y, d.design, fold: fold)
        XCTAssertLessThan(loo, fit.rSquared)
        XCTAssertLessThan(kf, fit.rSquared)
        XCTAssertEqual(Dictionary(grouping: fold, by: { $0 }).values.map(\.count).sorted(), [12, 13, 13, 13, 13, 13, 13, 13, 13, 13])
        XCTAssertEqual(fold, try CrossValidation.folds(count: d.y.count, k: 10, seed: 2))
    }

    func testHeldOutCheckOnUnseenSubsets() throws {
        let train = try synthetic(seed: 3), unseen = try synthetic(n: 40, seed: 4)
        let fit = try OLS.fit(train.y, try train.design.selecting(["Rew", "Len"]))
        let r = try HeldOut.evaluate(fit, y: unseen.y, design: unseen.design)
        XCTAssertEqual(r.count, 40)
        XCTAssertGreaterThan(r.rSquared, 0.5)
        XCTAssertGreaterThan(try XCTUnwrap(r.spearman), 0.7)
        // A rule fitted on pure noise does not carry over.
        let noise = try synthetic(signal: 0, seed: 5)
        let noiseFit = try OLS.fit(noise.y, noise.design)
        XCTAssertLessThan(try HeldOut.evaluate(noiseFit, y: unseen.y, design: unseen.design).rSquared, 0)
    }

    func testFitReportsAndEquationRead() throws {
        let d = try synthetic()
        let fit = try OLS.fit(d.y, try d.design.selecting(["Rew", "Len"]))
        let eq = fit.equation(response: "log L")
        XCTAssert(eq.hasPrefix("log L = ") && eq.contains("·Rew") && eq.contains("·Len"), eq)
        XCTAssert(eq.contains("− 0.07"), eq)  // true slope −0.08, estimated −0.076
        XCTAssert(fit.markdownTable().contains("| Rew |"))
        let predicted = try fit.predict(d.design)
        for (p, (y, e)) in zip(predicted, zip(d.y, fit.residuals)) { XCTAssertEqual(p, y - e, accuracy: 1e-12) }
        let roundTrip = try JSONDecoder().decode(OLSFit.self, from: try CanonicalJSON.encode(fit))
        XCTAssertEqual(roundTrip, fit)
    }
}
