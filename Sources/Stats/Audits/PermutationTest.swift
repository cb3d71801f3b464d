import Core

/// Permutation test of R²: shuffle the response against the indicators and refit, to see how often an R² as high
/// as the observed one appears when there is no relation at all. With 129 subsets and a handful of indicators,
/// chance R² is far from zero, which makes this the honest baseline for the paper's R² = 0.522.
public enum PermutationTest {
    public struct Result: Sendable, Codable, Equatable {
        public var observedRSquared: Double
        /// (1 + #{permuted R² ≥ observed}) / (permutations + 1): never zero, as a Monte-Carlo p-value must not be.
        public var p: Double
        public var permutations: Int
        /// Mean and 95th percentile of the permuted R²: what "no relation" looks like for this design.
        public var nullMean: Double
        public var null95: Double
        public var seed: UInt64
    }

    public static func rSquared(_ y: [Double], _ design: Design, permutations: Int = 2000, seed: UInt64,
                                intercept: Bool = true) throws -> Result {
        guard permutations >= 10 else { throw StatsError.invalidInput("permutation test needs >= 10 permutations") }
        let observed = try OLS.fit(y, design, intercept: intercept).rSquared
        let (x, names) = OLS.matrix(design, intercept: intercept)
        let tss = intercept ? CrossValidation.totalSumOfSquares(y) : y.reduce(0) { $0 + $1 * $1 }
        var random = SeededRandom(seed: seed, stream: "stats.permutation")
        var shuffled = y
        var null: [Double] = []
        null.reserveCapacity(permutations)
        for _ in 0..<permutations {
            random.shuffle(&shuffled)
            // The design is fixed, so its rank was checked by the fit above; only y moves.
            let ls = try LeastSquares(x: x, names: names, y: shuffled, hasIntercept: intercept, rankTolerance: OLS.defaultRankTolerance)
            null.append(1 - ls.residualSumOfSquares / tss)
        }
        let exceed = null.filter { $0 >= observed }.count
        let sorted = null.sorted()
        return Result(observedRSquared: observed, p: Double(1 + exceed) / Double(permutations + 1),
                      permutations: permutations, nullMean: Sample.mean(null),
                      null95: Sample.quantile(sorted: sorted, 0.95), seed: seed)
    }
}
