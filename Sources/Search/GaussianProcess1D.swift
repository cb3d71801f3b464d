import Foundation

/// A Gaussian process over one normalised coordinate x ∈ [0, 1], the surrogate of ``LadderBO``.
///
/// The objective values are standardised (mean 0, standard deviation 1) and modelled with a Matérn 5/2 kernel of
/// unit variance plus a nugget. The length scale and the nugget are chosen by type-II maximum likelihood over a
/// fixed grid, not by a gradient optimiser, so the fit is deterministic and never fails to converge: with at most
/// a few dozen points in one dimension the grid costs microseconds. The grid's nuggets let the fit explain a noisy
/// objective (a finetune's loss moves with its seed) without interpolating every wiggle.
struct GaussianProcess1D {
    static let lengthScales = [0.03, 0.05, 0.08, 0.12, 0.18, 0.25]
    static let nuggets = [1e-6, 1e-3, 1e-2]

    let xs: [Double]
    let lengthScale: Double
    let nugget: Double
    /// Standardisation of the objective: z = (y − offset) / scale.
    let offset: Double
    let scale: Double
    /// The smallest standardised observation (EI's incumbent).
    let bestZ: Double
    private let lower: [[Double]]     // Cholesky factor of K + nugget·I
    private let weights: [Double]     // (K + nugget·I)⁻¹ z

    /// Fits the process to observations at distinct coordinates; nil when no grid point gives a positive-definite
    /// covariance (only possible for coincident coordinates).
    init?(xs: [Double], ys: [Double]) {
        precondition(xs.count == ys.count && !xs.isEmpty)
        let n = Double(ys.count)
        let mean = ys.reduce(0, +) / n
        let sd = (ys.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n).squareRoot()
        let scale = sd > 0 ? sd : 1
        let z = ys.map { ($0 - mean) / scale }
        var best: (logLikelihood: Double, lengthScale: Double, nugget: Double, lower: [[Double]], weights: [Double])?
        for l in Self.lengthScales {
            for nugget in Self.nuggets {
                let k = xs.indices.map { i in xs.indices.map { j in Self.matern(xs[i] - xs[j], l) + (i == j ? nugget : 0) } }
                guard let factor = cholesky(k) else { continue }
                let w = solveUpper(factor, solveLower(factor, z))
                let ll = -0.5 * zip(z, w).map(*).reduce(0, +) - factor.indices.map { Foundation.log(factor[$0][$0]) }.reduce(0, +)
                if best == nil || ll > best!.logLikelihood { best = (ll, l, nugget, factor, w) }
            }
        }
        guard let fit = best else { return nil }
        self.xs = xs
        lengthScale = fit.lengthScale
        nugget = fit.nugget
        offset = mean
        self.scale = scale
        bestZ = z.min()!
        lower = fit.lower
        weights = fit.weights
    }

    /// Posterior mean and standard deviation at x, in standardised units.
    func predictStandardised(_ x: Double) -> (mean: Double, sd: Double) {
        let k = xs.map { Self.matern(x - $0, lengthScale) }
        let mean = zip(k, weights).map(*).reduce(0, +)
        let v = solveLower(lower, k)
        let variance = max(1 - v.map { $0 * $0 }.reduce(0, +), 1e-12)
        return (mean, variance.squareRoot())
    }

    /// Expected improvement over the best observation at x (Jones, Schonlau & Welch 1998), in objective units.
    func expectedImprovement(at x: Double) -> Double {
        let (mu, sigma) = predictStandardised(x)
        let gap = bestZ - mu
        let u = gap / sigma
        let cdf = 0.5 * erfc(-u / 2.0.squareRoot())
        let pdf = Foundation.exp(-0.5 * u * u) / (2 * Double.pi).squareRoot()
        return max(gap * cdf + sigma * pdf, 0) * scale
    }

    static func matern(_ d: Double, _ l: Double) -> Double {
        let r = 5.0.squareRoot() * abs(d) / l
        return (1 + r + r * r / 3) * Foundation.exp(-r)
    }
}

/// The lower Cholesky factor of a symmetric matrix, or nil when it is not positive definite.
private func cholesky(_ a: [[Double]]) -> [[Double]]? {
    let n = a.count
    var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
    for i in 0..<n {
        for j in 0...i {
            var s = a[i][j]
            for k in 0..<j { s -= l[i][k] * l[j][k] }
            if i == j {
                guard s > 0 else { return nil }
                l[i][i] = s.squareRoot()
            } else {
                l[i][j] = s / l[j][j]
            }
        }
    }
    return l
}

/// Solves L y = b for lower-triangular L.
private func solveLower(_ l: [[Double]], _ b: [Double]) -> [Double] {
    var y = b
    for i in y.indices {
        for k in 0..<i { y[i] -= l[i][k] * y[k] }
        y[i] /= l[i][i]
    }
    return y
}

/// Solves Lᵀ x = y for lower-triangular L.
private func solveUpper(_ l: [[Double]], _ y: [Double]) -> [Double] {
    var x = y
    for i in x.indices.reversed() {
        for k in (i + 1)..<x.count { x[i] -= l[k][i] * x[k] }
        x[i] /= l[i][i]
    }
    return x
}
