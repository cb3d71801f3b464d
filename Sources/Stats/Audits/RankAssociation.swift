import Core

/// Does a value order items of known quality? Spearman's ρ between the values and the items' quality tiers, with a
/// permutation test of "no association" and a bootstrap interval for ρ.
///
/// ```swift
/// let a = try RankAssociation.measure(values: scores, tiers: tiers, permutations: 2000, replicates: 2000, seed: 7)
/// a.rho              // Spearman's ρ (average ranks, scipy's definition)
/// a.permutationP     // two-sided: how often shuffled tiers give |ρ| at least as large
/// a.lower, a.upper   // 95% percentile interval, resampling within each tier
/// ```
/// Why a permutation test and not the t approximation: tiers are few distinct values with many ties, and the
/// permutation distribution of ρ under those exact ties is what "no association" means here. The bootstrap resamples
/// items within each tier, so that every replicate keeps the design's tier sizes (a replicate without one tier would
/// measure a different question).
public struct RankAssociation: Sendable, Codable, Hashable {
    public var rho: Double
    /// (1 + #{|ρ of shuffled tiers| ≥ |ρ|}) / (permutations + 1): never zero, as a Monte-Carlo p-value must not be.
    public var permutationP: Double
    public var lower: Double
    public var upper: Double
    public var confidence: Double
    public var permutations: Int
    public var replicates: Int
    /// Bootstrap replicates in which the values or the tiers were constant (ρ undefined), left out and counted.
    public var undefinedReplicates: Int
    public var seed: UInt64

    public init(rho: Double, permutationP: Double, lower: Double, upper: Double, confidence: Double, permutations: Int,
                replicates: Int, undefinedReplicates: Int, seed: UInt64) {
        (self.rho, self.permutationP, self.lower) = (rho, permutationP, lower)
        (self.upper, self.confidence, self.permutations) = (upper, confidence, permutations)
        (self.replicates, self.undefinedReplicates, self.seed) = (replicates, undefinedReplicates, seed)
    }

    /// - Parameters:
    ///   - values: one value per item.
    ///   - tiers: each item's known quality (higher = better); at least two distinct tiers.
    public static func measure(values: [Double], tiers: [Int], permutations: Int = 2000, replicates: Int = 2000,
                               confidence: Double = 0.95, seed: UInt64) throws -> RankAssociation {
        guard permutations >= 10, replicates >= 10 else {
            throw StatsError.invalidInput("rank association needs >= 10 permutations and replicates, got \(permutations) and \(replicates)")
        }
        let tierValues = tiers.map(Double.init)
        try Correlation.checkPair(values, tierValues)
        // Spearman's ρ is Pearson's r of the ranks (``Correlation/spearman(_:_:)``); the ranks also drive the test.
        let valueRanks = Ranks.average(values), tierRanks = Ranks.average(tierValues)
        let rho = try Correlation.pearson(valueRanks, tierRanks)
        let p = permutationP(rho: rho, valueRanks: valueRanks, tierRanks: tierRanks, permutations: permutations, seed: seed)
        let (lower, upper, undefined) = try stratifiedInterval(values: values, tiers: tiers, replicates: replicates,
                                                               confidence: confidence, seed: seed)
        return RankAssociation(rho: rho, permutationP: p, lower: lower, upper: upper, confidence: confidence,
                               permutations: permutations, replicates: replicates, undefinedReplicates: undefined, seed: seed)
    }

    /// Shuffling the tiers permutes fixed rank vectors, so each shuffled ρ is one dot product: the ranks' means and
    /// spreads do not change under a permutation.
    static func permutationP(rho: Double, valueRanks: [Double], tierRanks: [Double], permutations: Int, seed: UInt64) -> Double {
        let n = Double(valueRanks.count)
        let mean = (n + 1) / 2
        let centredValues = valueRanks.map { $0 - mean }, centredTiers = tierRanks.map { $0 - mean }
        let norm = (centredValues.reduce(0) { $0 + $1 * $1 } * centredTiers.reduce(0) { $0 + $1 * $1 }).squareRoot()
        var random = SeededRandom(seed: seed, stream: "stats.rank-association.permutation")
        var shuffled = centredTiers
        // A shuffled |ρ| equal to the observed one counts as "at least as large"; the tolerance keeps rounding in
        // the dot product from splitting exact ties (small n has many).
        let threshold = abs(rho) - 1e-12
        var exceed = 0
        for _ in 0..<permutations {
            random.shuffle(&shuffled)
            var dot = 0.0
            for i in shuffled.indices { dot += centredValues[i] * shuffled[i] }
            if abs(dot / norm) >= threshold { exceed += 1 }
        }
        return Double(1 + exceed) / Double(permutations + 1)
    }

    static func stratifiedInterval(values: [Double], tiers: [Int], replicates: Int, confidence: Double,
                                   seed: UInt64) throws -> (Double, Double, Int) {
        let strata = Dictionary(grouping: values.indices, by: { tiers[$0] }).sorted { $0.key < $1.key }.map(\.value)
        var random = SeededRandom(seed: seed, stream: "stats.rank-association.bootstrap")
        var draws: [Double] = []
        draws.reserveCapacity(replicates)
        var undefined = 0
        for _ in 0..<replicates {
            var v: [Double] = [], t: [Double] = []
            for stratum in strata {
                for _ in stratum.indices {
                    let i = stratum[random.below(stratum.count)]
                    v.append(values[i]); t.append(Double(tiers[i]))
                }
            }
            do {
                draws.append(try Correlation.spearman(v, t))
            } catch StatsError.constantSample {
                undefined += 1
            }
        }
        guard undefined * 2 < replicates else {
            throw StatsError.invalidInput("\(undefined) of \(replicates) bootstrap resamples had constant values; ρ has no interval")
        }
        draws.sort()
        let tail = (1 - confidence) / 2
        return (Sample.quantile(sorted: draws, tail), Sample.quantile(sorted: draws, 1 - tail), undefined)
    }
}
