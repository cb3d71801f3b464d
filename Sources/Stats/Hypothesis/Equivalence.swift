/// Two one-sided tests (TOST) for equivalence of two means: the right tool for "from which size are selected and
/// random data statistically indistinguishable", because a non-significant difference test only says the data
/// could not tell them apart, not that they are the same.
///
/// H₀: |mean(x) − mean(y)| ≥ margin against H₁: |mean(x) − mean(y)| < margin, as two Welch t tests
/// (difference > −margin and difference < +margin); the TOST p-value is the larger of the two. Matches
/// `statsmodels.stats.weightstats.ttost_ind(x, y, -margin, margin, usevar="unequal")`.
///
/// **Choosing the margin.** It is the largest loss difference that does not matter, and it must be fixed before
/// looking at the data. The workbench's default for the balance point is 1% of the random-data loss at the size in
/// question (`EquivalenceMargin.relative(0.01)`): the paper's headline gap at 1K examples is about 4% (0.958 vs
/// 1.001 self-instruct loss) and the differences it treats as ties are about 0.02–0.7% (LoRA 1.0698 vs 1.0700,
/// 13B MT-Bench 0.6531 vs 0.6589), so 1% separates "a selection effect worth having" from "noise" on the paper's
/// own scale. An absolute margin (e.g. the pooled finetune-seed standard deviation) is available too.
public enum Equivalence {
    public struct Result: Sendable, Codable, Equatable {
        /// H₁: difference > −margin.
        public var lowerTest: TTestResult
        /// H₁: difference < +margin.
        public var upperTest: TTestResult
        public var margin: Double
        /// max of the two one-sided p-values.
        public var p: Double
        public func equivalent(alpha: Double = 0.05) -> Bool { p < alpha }
    }

    public static func tost(_ x: [Double], _ y: [Double], margin: Double) throws -> Result {
        guard margin > 0, margin.isFinite else { throw StatsError.invalidInput("equivalence margin must be positive, got \(margin)") }
        let lower = try Welch.test(x, y, alternative: .greater, nullDifference: -margin)
        let upper = try Welch.test(x, y, alternative: .less, nullDifference: margin)
        return Result(lowerTest: lower, upperTest: upper, margin: margin, p: max(lower.p, upper.p))
    }
}

/// How an equivalence margin is set for each comparison.
public enum EquivalenceMargin: Sendable, Codable, Equatable {
    /// The same margin, in loss units, everywhere.
    case absolute(Double)
    /// A fraction of the reference sample's mean (the random-data loss at that size).
    case relative(Double)

    public func value(reference: [Double]) -> Double {
        switch self {
        case .absolute(let m): return m
        case .relative(let f): return f * abs(Sample.mean(reference))
        }
    }
}
