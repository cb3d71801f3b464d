/// Correlation coefficients between two equally long samples.
///
/// ```swift
/// let r = try Correlation.pearson(x, y)     // linear association
/// let rho = try Correlation.spearman(x, y)  // Pearson of the ranks; ties get their average rank, like scipy
/// ```
/// Both throw `StatsError` when the samples differ in length, have fewer than two values, contain a non-finite
/// value or are constant (the coefficient is undefined there; scipy returns NaN, we refuse).
public enum Correlation {
    /// Pearson's product-moment correlation, computed on centred values (two passes) so that large offsets such as
    /// token counts around 1e4 do not cancel digits.
    public static func pearson(_ x: [Double], _ y: [Double]) throws -> Double {
        try checkPair(x, y)
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n
        let my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in x.indices {
            let dx = x[i] - mx, dy = y[i] - my
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy
        }
        guard sxx > 0 else { throw StatsError.constantSample("first sample of the correlation is constant") }
        guard syy > 0 else { throw StatsError.constantSample("second sample of the correlation is constant") }
        // Clamp: rounding can push |r| a hair above 1 for perfectly collinear samples.
        return max(-1, min(1, sxy / (sxx.squareRoot() * syy.squareRoot())))
    }

    /// Spearman's rank correlation: Pearson's r of the average ranks (scipy.stats.spearmanr's definition).
    public static func spearman(_ x: [Double], _ y: [Double]) throws -> Double {
        try checkPair(x, y)
        return try pearson(Ranks.average(x), Ranks.average(y))
    }

    static func checkPair(_ x: [Double], _ y: [Double]) throws {
        guard x.count == y.count else {
            throw StatsError.invalidInput("correlation needs samples of equal length, got \(x.count) and \(y.count)")
        }
        guard x.count >= 2 else { throw StatsError.invalidInput("correlation needs at least 2 pairs, got \(x.count)") }
        if let i = x.firstIndex(where: { !$0.isFinite }) { throw StatsError.invalidInput("x[\(i)] is not finite") }
        if let i = y.firstIndex(where: { !$0.isFinite }) { throw StatsError.invalidInput("y[\(i)] is not finite") }
    }
}

/// Ranking with ties.
public enum Ranks {
    /// 1-based ranks where tied values share the mean of the ranks they span (scipy.stats.rankdata "average").
    public static func average(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end (0-based) hold ranks start+1 ... end; their mean is (start + 1 + end) / 2.
            let shared = Double(start + 1 + end) / 2
            for k in start..<end { ranks[order[k]] = shared }
            start = end
        }
        return ranks
    }
}
