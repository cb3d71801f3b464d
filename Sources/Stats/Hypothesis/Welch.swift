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
