/// How much of the spread in finetune losses is the finetune seed rather than the data: from subsets that were
/// finetuned several times with different seeds, a one-way random-effects analysis.
///
/// ```swift
/// let v = try SeedVariance.analyze([[0.91, 0.93, 0.92], [1.01, 0.99, 1.00], [0.95, 0.97]])
/// v.seedShare        // share of a single loss's variance due to the seed
/// v.rSquaredCeiling  // best R² any rule of the subsets' indicators could reach against single-seed losses
/// ```
public enum SeedVariance {
    public struct Result: Sendable, Codable, Equatable {
        public var groups: Int
        public var measurements: Int
        /// Pooled within-subset variance σ²_w: the seed noise of one finetune.
        public var withinVariance: Double
        /// Between-subset variance component σ²_b = max(0, (MS_between − MS_within) / n₀).
        public var betweenVariance: Double
        /// σ²_w / (σ²_w + σ²_b).
        public var seedShare: Double
        /// ICC(1) = σ²_b / (σ²_b + σ²_w), the reliability of a single finetune's loss.
        public var intraclassCorrelation: Double
        /// 1 − seedShare: a rule regressed on single-seed losses cannot explain the seed part, so its R² is capped
        /// here (on average; sampling noise can push one fit's R² a little above).
        public var rSquaredCeiling: Double
        /// One-way ANOVA F test of "all subsets have the same mean loss" (scipy.stats.f_oneway); nil when the seeds
        /// never change a loss (σ²_w = 0), where F is infinite.
        public var f: Double?
        public var fPValue: Double?
        /// √σ²_w, in loss units: a natural absolute equivalence margin floor.
        public var seedStandardDeviation: Double

        /// The R² ceiling when each subset's loss is the mean over `seeds` finetunes: σ²_b / (σ²_b + σ²_w / seeds).
        public func rSquaredCeiling(seedsPerSubset seeds: Int) -> Double {
            betweenVariance / (betweenVariance + withinVariance / Double(max(1, seeds)))
        }
    }

    /// - Parameter groups: the repeated losses of each subset (each at least 2; sizes may differ).
    public static func analyze(_ groups: [[Double]]) throws -> Result {
        guard groups.count >= 2 else { throw StatsError.invalidInput("seed variance needs >= 2 repeated subsets, got \(groups.count)") }
        for (k, g) in groups.enumerated() {
            guard g.count >= 2 else { throw StatsError.invalidInput("subset \(k) has \(g.count) measurement(s); need >= 2 seeds") }
            if let v = g.first(where: { !$0.isFinite }) { throw StatsError.invalidInput("subset \(k) has a non-finite loss \(v)") }
        }
        let sizes = groups.map { Double($0.count) }
        let n = sizes.reduce(0, +), a = Double(groups.count)
        let means = groups.map(Sample.mean)
        let grand = groups.joined().reduce(0, +) / n
        let ssWithin = zip(groups, means).reduce(0.0) { acc, gm in acc + gm.0.reduce(0) { $0 + ($1 - gm.1) * ($1 - gm.1) } }
        let ssBetween = zip(sizes, means).reduce(0.0) { $0 + $1.0 * ($1.1 - grand) * ($1.1 - grand) }
        let msWithin = ssWithin / (n - a), msBetween = ssBetween / (a - 1)
        // n₀: the effective group size for unbalanced designs (Searle, Casella & McCulloch 1992, §3.6).
        let n0 = (n - sizes.reduce(0) { $0 + $1 * $1 } / n) / (a - 1)
        let between = max(0, (msBetween - msWithin) / n0)
        let total = between + msWithin
        guard msWithin > 0 || between > 0 else { throw StatsError.constantSample("every loss is identical") }
        let f: Double? = msWithin > 0 ? msBetween / msWithin : nil
        return Result(groups: groups.count, measurements: Int(n), withinVariance: msWithin, betweenVariance: between,
                      seedShare: msWithin / total, intraclassCorrelation: between / total, rSquaredCeiling: between / total,
                      f: f, fPValue: f.map { FDistribution(numerator: a - 1, denominator: n - a).survival($0) },
                      seedStandardDeviation: msWithin.squareRoot())
    }
}
