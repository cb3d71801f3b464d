import Core

/// Case-resampling (pairs) bootstrap of OLS coefficients: rows are drawn with replacement, the model is refitted,
/// and each coefficient's interval is read off the percentiles of its replicates. Unlike the t interval it does not
/// lean on normal, equal-variance errors, which is the point of an audit.
public enum Bootstrap {
    public struct Interval: Sendable, Codable, Equatable {
        public var name: String
        public var estimate: Double
        public var lower: Double
        public var upper: Double
        /// Standard deviation of the replicates (the bootstrap standard error).
        public var standardError: Double
        /// Share of replicates with the same sign as the full-data estimate: how stable the sign is.
        public var signAgreement: Double
    }

    public struct Result: Sendable, Codable, Equatable {
        public var intervals: [Interval]
        public var confidence: Double
        public var replicates: Int
        /// Resamples whose design was rank-deficient (e.g. too few distinct rows) and could not be refitted; they
        /// are excluded, and counted here so that a reader sees how many.
        public var refused: Int
        public var seed: UInt64
    }

    /// - Parameter replicates: resamples to draw (1,000–10,000 is usual; more gives steadier interval ends).
    public static func coefficients(_ y: [Double], _ design: Design, replicates: Int = 2000, confidence: Double = 0.95,
                                    seed: UInt64, intercept: Bool = true) throws -> Result {
        guard replicates >= 10 else { throw StatsError.invalidInput("bootstrap needs >= 10 replicates, got \(replicates)") }
        let full = try OLS.fit(y, design, intercept: intercept)
        var random = SeededRandom(seed: seed, stream: "stats.bootstrap")
        let n = y.count
        var draws: [[Double]] = Array(repeating: [], count: full.coefficients.count)
        var refused = 0
        for _ in 0..<replicates {
            let rows = (0..<n).map { _ in random.below(n) }
            let (x, names) = OLS.matrix(design.rows(rows), intercept: intercept)
            do {
                let ls = try LeastSquares(x: x, names: names, y: rows.map { y[$0] }, hasIntercept: intercept,
                                          rankTolerance: OLS.defaultRankTolerance)
                for (j, b) in ls.coefficients.enumerated() { draws[j].append(b) }
            } catch StatsError.rankDeficient {
                refused += 1
            }
        }
        guard refused * 2 < replicates else {
            throw StatsError.invalidInput("\(refused) of \(replicates) bootstrap resamples were rank-deficient; the design is too thin to resample")
        }
        let tail = (1 - confidence) / 2
        var intervals: [Interval] = []
        for (j, c) in full.coefficients.enumerated() {
            let sorted = draws[j].sorted()
            let variance = try Sample.meanAndVariance(sorted, "bootstrap replicates of \(c.name)").variance
            let agree = Double(sorted.filter { ($0 > 0) == (c.estimate > 0) && $0 != 0 }.count) / Double(sorted.count)
            intervals.append(Interval(name: c.name, estimate: c.estimate, lower: Sample.quantile(sorted: sorted, tail),
                                      upper: Sample.quantile(sorted: sorted, 1 - tail), standardError: variance.squareRoot(),
                                      signAgreement: agree))
        }
        return Result(intervals: intervals, confidence: confidence, replicates: replicates, refused: refused, seed: seed)
    }
}
