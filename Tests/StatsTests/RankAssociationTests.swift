import Core
import XCTest
@testable import Stats

final class RankAssociationTests: XCTestCase {
    /// Every permutation of the tiers of six items, enumerated: the exact two-sided p that the Monte-Carlo p
    /// estimates. With 20,000 shuffles its standard error is at most 0.0036; the tolerance is four of those.
    func testPermutationPMatchesTheEnumeratedDistribution() throws {
        let values = [3.1, 1.2, 5.5, 4.0, 2.2, 6.3]
        let tiers = [0, 0, 1, 1, 2, 2]
        let rho = try Correlation.spearman(values, tiers.map(Double.init))
        var exceed = 0, total = 0
        func permute(_ rest: [Int], _ prefix: [Int]) throws {
            if rest.isEmpty {
                total += 1
                if abs(try Correlation.spearman(values, prefix.map(Double.init))) >= abs(rho) - 1e-12 { exceed += 1 }
                return
            }
            for i in rest.indices {
                var r = rest
                let t = r.remove(at: i)
                try permute(r, prefix + [t])
            }
        }
        try permute(tiers, [])
        XCTAssertEqual(total, 720)
        let exact = Double(exceed) / Double(total)
        let a = try RankAssociation.measure(values: values, tiers: tiers, permutations: 20_000, replicates: 200, seed: 3)
        XCTAssertEqual(a.rho, rho)
        XCTAssertEqual(a.permutationP, exact, accuracy: 0.0144, "exact \(exact)")
        XCTAssertGreaterThan(exact, 0.05, "the test needs a p the Monte-Carlo estimate can miss")
    }

    /// With 300 items in three tiers, ρ√(n − 1) is close to standard normal under no association: the permutation
    /// p agrees with the normal approximation's two-sided p.
    func testPermutationPAgreesWithTheNormalApproximationForLargeSamples() throws {
        var random = SeededRandom(seed: 11)
        let tiers = (0..<300).map { $0 % 3 }
        let values = tiers.map { 0.08 * Double($0) + random.gaussian() }
        let a = try RankAssociation.measure(values: values, tiers: tiers, permutations: 20_000, replicates: 200, seed: 4)
        let normalP = 2 * Normal.survival(abs(a.rho) * (299.0).squareRoot())
        XCTAssertGreaterThan(normalP, 0.005, "ρ = \(a.rho): the comparison needs a p away from the floor")
        XCTAssertEqual(a.permutationP, normalP, accuracy: 0.015, "ρ = \(a.rho)")
    }

    /// The stratified bootstrap interval: it holds ρ, excludes 0 for a strong association and includes it for none;
    /// the same seed gives the same numbers, and p is never zero.
    func testIntervalAndDeterminism() throws {
        var random = SeededRandom(seed: 12)
        let tiers = (0..<120).map { $0 % 4 }
        let strong = tiers.map { Double($0) + 0.8 * random.gaussian() }
        let none = tiers.map { _ in random.gaussian() }
        let s = try RankAssociation.measure(values: strong, tiers: tiers, permutations: 500, replicates: 1000, seed: 5)
        XCTAssertLessThanOrEqual(s.lower, s.rho)
        XCTAssertGreaterThanOrEqual(s.upper, s.rho)
        XCTAssertGreaterThan(s.lower, 0.5)
        XCTAssertEqual(s.permutationP, 1.0 / 501, "no shuffle reaches ρ = \(s.rho): the floor, not zero")
        let n = try RankAssociation.measure(values: none, tiers: tiers, permutations: 500, replicates: 1000, seed: 5)
        XCTAssertLessThan(n.lower, 0)
        XCTAssertGreaterThan(n.upper, 0)
        XCTAssertGreaterThan(n.permutationP, 0.05)
        XCTAssertEqual(try RankAssociation.measure(values: none, tiers: tiers, permutations: 500, replicates: 1000, seed: 5), n)
        XCTAssertThrowsError(try RankAssociation.measure(values: [1, 1, 1], tiers: [0, 1, 2], seed: 1))
    }
}
