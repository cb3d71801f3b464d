/// Which side of the null hypothesis a test looks at, stated for `mean(x) − mean(y)` (or the statistic of `x`).
public enum Alternative: String, Sendable, Codable {
    case twoSided = "two-sided"
    /// H₁: x tends to be smaller than y.
    case less
    /// H₁: x tends to be larger than y.
    case greater
}

/// A two-sample t test result.
public struct TTestResult: Sendable, Codable, Equatable {
    public var meanDifference: Double
    public var standardError: Double
    public var t: Double
    /// Welch–Satterthwaite degrees of freedom (not an integer in general).
    public var degreesOfFreedom: Double
    public var p: Double
    public var alternative: Alternative
    /// The difference under the null hypothesis (0 for the usual test; a margin in a TOST).
    public var nullDifference: Double
}

/// Welch's two-sample t test: does not assume equal variances, which matters here because finetune losses at
/// different data sizes have visibly different spreads across seeds.
///
/// ```swift
/// let r = try Welch.test(selectedLosses, randomLosses, alternative: .less)   // H₁: selected has lower loss
/// r.p
/// ```
/// Matches `scipy.stats.ttest_ind(x, y, equal_var=False, alternative=...)`.
public enum Welch {
    public static func test(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided,
                            nullDifference: Double = 0) throws -> TTestResult {
        let (mx, vx) = try Sample.meanAndVariance(x, "x")
        let (my, vy) = try Sample.meanAndVariance(y, "y")
        let nx = Double(x.count), ny = Double(y.count)
        let ax = vx / nx, ay = vy / ny
        let se2 = ax + ay
        guard se2 > 0 else { throw StatsError.constantSample("both samples are constant: the t statistic is undefined") }
        let df = se2 * se2 / (ax * ax / (nx - 1) + ay * ay / (ny - 1))
        let t = (mx - my - nullDifference) / se2.squareRoot()
        let dist = StudentT(degreesOfFreedom: df)
        let p: Double
        switch alternative {
        case .twoSided: p = dist.twoSidedP(t)
        case .greater: p = dist.survival(t)
        case .less: p = dist.cdf(t)
        }
        return TTestResult(meanDifference: mx - my, standardError: se2.squareRoot(), t: t, degreesOfFreedom: df, p: p,
                           alternative: alternative, nullDifference: nullDifference)
    }
}

/// Small descriptive helpers with input checks.
public enum Sample {
    /// Mean and unbiased (n − 1) variance; at least two finite values.
    public static func meanAndVariance(_ v: [Double], _ label: String = "sample") throws -> (mean: Double, variance: Double) {
        guard v.count >= 2 else { throw StatsError.invalidInput("\(label) needs at least 2 values, got \(v.count)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) { throw StatsError.invalidInput("\(label)[\(i)] is not finite") }
        let mean = v.reduce(0, +) / Double(v.count)
        let ss = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        return (mean, ss / Double(v.count - 1))
    }

    /// The q-quantile (0 ≤ q ≤ 1) with linear interpolation between order statistics (numpy's default, type 7).
    public static func quantile(sorted v: [Double], _ q: Double) -> Double {
        precondition(!v.isEmpty && q >= 0 && q <= 1)
        let h = Double(v.count - 1) * q
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, v.count - 1)
        return v[lo] + (h - Double(lo)) * (v[hi] - v[lo])
    }
}
