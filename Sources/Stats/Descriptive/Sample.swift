/// Descriptive statistics of one sample of numbers.
public enum Sample {
    /// The arithmetic mean; NaN for no values, so a table shows the gap instead of failing.
    public static func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(v.count) }

    /// The unbiased (n − 1) standard deviation; NaN for fewer than two values.
    public static func standardDeviation(_ v: [Double]) -> Double {
        guard v.count > 1 else { return .nan }
        let m = mean(v)
        return (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
    }

    /// Mean and unbiased (n − 1) variance; at least two finite values.
    public static func meanAndVariance(_ v: [Double], _ label: String = "sample") throws -> (mean: Double, variance: Double) {
        guard v.count >= 2 else { throw StatsError.invalidInput("\(label) needs at least 2 values, got \(v.count)") }
        if let i = v.firstIndex(where: { !$0.isFinite }) { throw StatsError.invalidInput("\(label)[\(i)] is not finite") }
        let mean = mean(v)
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
