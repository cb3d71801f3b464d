/// The Mann–Whitney U (Wilcoxon rank-sum) test: a location test that needs no normality, for loss samples over a
/// handful of seeds where one diverged run would dominate a t test.
///
/// Follows `scipy.stats.mannwhitneyu(x, y, use_continuity=True, method="auto")`: the exact null distribution when
/// a sample has at most 8 values and there are no ties, otherwise the normal approximation with tie correction and
/// continuity correction.
public enum MannWhitney {
    public enum Method: String, Sendable, Codable { case exact, asymptotic }

    public struct Result: Sendable, Codable, Equatable {
        /// U of `x`: the number of pairs (xᵢ, yⱼ) with xᵢ > yⱼ, ties counting one half (scipy's `statistic`).
        public var u: Double
        public var p: Double
        public var method: Method
    }

    public static func test(_ x: [Double], _ y: [Double], alternative: Alternative = .twoSided) throws -> Result {
        guard !x.isEmpty, !y.isEmpty else { throw StatsError.invalidInput("Mann–Whitney needs two non-empty samples") }
        if let v = (x + y).first(where: { !$0.isFinite }) { throw StatsError.invalidInput("Mann–Whitney got a non-finite value \(v)") }
        let n1 = x.count, n2 = y.count
        let ranks = Ranks.average(x + y)
        let r1 = ranks.prefix(n1).reduce(0, +)
        let u1 = r1 - Double(n1 * (n1 + 1)) / 2
        let u2 = Double(n1 * n2) - u1
        let (u, factor): (Double, Double)
        switch alternative {
        case .greater: (u, factor) = (u1, 1)
        case .less: (u, factor) = (u2, 1)
        case .twoSided: (u, factor) = (max(u1, u2), 2)
        }
        let tieSizes = tieGroupSizes(x + y)
        let hasTies = tieSizes.contains { $0 > 1 }
        if (n1 <= 8 || n2 <= 8) && !hasTies {
            return Result(u: u1, p: min(1, factor * exactSurvival(Int(u), n1, n2)), method: .exact)
        }
        let n = Double(n1 + n2)
        let tieTerm = tieSizes.reduce(0.0) { $0 + Double($1 * $1 * $1 - $1) }
        let variance = Double(n1 * n2) / 12 * ((n + 1) - tieTerm / (n * (n - 1)))
        guard variance > 0 else { throw StatsError.constantSample("all values are tied: U has no spread") }
        let z = (u - Double(n1 * n2) / 2 - 0.5) / variance.squareRoot()
        return Result(u: u1, p: min(1, factor * Normal.survival(z)), method: .asymptotic)
    }

    /// P(U ≥ u) under the null, from the Gaussian binomial coefficient [n1+n2 choose n1]_q, whose coefficient of qᵏ
    /// counts the rank arrangements with U = k.
    static func exactSurvival(_ u: Int, _ n1: Int, _ n2: Int) -> Double {
        let counts = arrangementCounts(n1, n2)
        let total = counts.reduce(0, +)
        // Sum the smaller tail, using the symmetry P(U ≥ u) = P(U ≤ n1·n2 − u).
        let mirrored = n1 * n2 - u
        if u >= mirrored { return counts[0...mirrored].reduce(0, +) / total }
        return counts[u...].reduce(0, +) / total
    }

    /// Coefficients of ∏_{i=1}^{m} (1 − q^{n+i}) / (1 − q^i), m = min(n1, n2), n = max(n1, n2).
    static func arrangementCounts(_ n1: Int, _ n2: Int) -> [Double] {
        let m = min(n1, n2), n = max(n1, n2)
        var c = [Double](repeating: 0, count: m * n + 1)
        c[0] = 1
        for i in 1...m {
            let up = n + i
            for k in stride(from: c.count - 1, through: up, by: -1) { c[k] -= c[k - up] }   // × (1 − q^{n+i})
            for k in i..<c.count { c[k] += c[k - i] }                                          // ÷ (1 − q^i)
        }
        return c
    }

    static func tieGroupSizes(_ v: [Double]) -> [Int] {
        let sorted = v.sorted()
        var sizes: [Int] = []
        var start = 0
        for k in 1...sorted.count where k == sorted.count || sorted[k] != sorted[start] {
            sizes.append(k - start)
            start = k
        }
        return sizes
    }
}
