import Core
import Foundation

/// BlendSearch's global thread: a Tree-structured Parzen Estimator over the normalised unit cube
/// (Bergstra et al., NeurIPS 2011), in the independent (per-dimension) form Optuna's default `TPESampler` uses.
///
/// The first `startupTrials` proposals are uniform. After that, observations are split into the best
/// γ(n) = min(⌈0.1·n⌉, 25) ("good") and the rest ("bad"); each group becomes a mixture of truncated Gaussians
/// on [0, 1] plus a wide prior component; `candidates` points are drawn from the good mixture and the one with
/// the largest log l(x) − log g(x) is proposed.
final class TPESampler {
    let dimensions: Int
    let startupTrials: Int
    let candidates: Int
    private var random: SeededRandom
    private var observations: [(point: [Double], objective: Double)] = []

    init(dimensions: Int, random: SeededRandom, startupTrials: Int = 10, candidates: Int = 24) {
        (self.dimensions, self.random) = (dimensions, random)
        (self.startupTrials, self.candidates) = (startupTrials, candidates)
    }

    var observationCount: Int { observations.count }

    func observe(point: [Double], objective: Double) {
        guard objective.isFinite else { return }
        observations.append((point, objective))
    }

    /// A uniform point of the cube.
    func uniformPoint() -> [Double] { (0..<dimensions).map { _ in random.uniform() } }

    func suggest() -> [Double] {
        guard observations.count >= startupTrials else { return uniformPoint() }
        // Stable order: ties keep observation order so the split is deterministic.
        let ranked = observations.enumerated().sorted {
            $0.element.objective != $1.element.objective ? $0.element.objective < $1.element.objective : $0.offset < $1.offset
        }.map(\.element.point)
        let goodCount = min(Int((0.1 * Double(ranked.count)).rounded(.up)), 25)
        let good = ranked.prefix(goodCount), bad = ranked.dropFirst(goodCount)
        var point = [Double](repeating: 0, count: dimensions)
        for dim in 0..<dimensions {
            let l = Parzen(centres: good.map { $0[dim] })
            let g = Parzen(centres: bad.map { $0[dim] })
            var bestScore = -Double.infinity
            for _ in 0..<candidates {
                let x = l.sample(&random)
                let score = l.logDensity(x) - g.logDensity(x)
                if score > bestScore { bestScore = score; point[dim] = x }
            }
        }
        return point
    }
}

/// A 1-D mixture of Gaussians truncated to [0, 1], one per observation plus a prior N(0.5, 1), with Optuna's
/// neighbour-distance bandwidths clipped to [1/min(100, n+1), 1].
private struct Parzen {
    var means: [Double]
    var sigmas: [Double]

    init(centres: [Double]) {
        var mus = centres + [0.5]
        mus.sort()
        let n = centres.count
        let minSigma = 1 / Double(min(100, n + 1))
        var sig = [Double](repeating: 1, count: mus.count)
        for i in mus.indices {
            if mus.count == 1 { break }
            let left = i > 0 ? mus[i] - mus[i - 1] : mus[i]       // distance to the lower edge at the ends
            let right = i + 1 < mus.count ? mus[i + 1] - mus[i] : 1 - mus[i]
            sig[i] = min(1, max(minSigma, max(left, right)))
        }
        // The prior keeps its full width.
        if let p = mus.firstIndex(of: 0.5) { sig[p] = 1 }
        means = mus
        sigmas = sig
    }

    func sample(_ random: inout SeededRandom) -> Double {
        let i = random.below(means.count)
        while true {
            let x = means[i] + sigmas[i] * random.gaussian()
            if x >= 0, x <= 1 { return x }
        }
    }

    func logDensity(_ x: Double) -> Double {
        var total = 0.0
        for (m, s) in zip(means, sigmas) {
            let mass = Self.phi((1 - m) / s) - Self.phi((0 - m) / s)
            let z = (x - m) / s
            total += Foundation.exp(-0.5 * z * z) / (s * (2 * Double.pi).squareRoot() * max(mass, 1e-12))
        }
        return Foundation.log(max(total / Double(means.count), 1e-300))
    }

    static func phi(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }
}
