import Linalg

/// The numerical core shared by `OLS.fit`, the subset searches and the resampling audits: a least-squares solve
/// through column-pivoted Householder QR (LAPACK `dgeqp3`) that refuses a rank-deficient design.
///
/// Every column is scaled to unit norm first, so units do not decide which column looks collinear (token counts in
/// thousands beside fractions): the rank decision measures collinearity only. Columns are deliberately *not*
/// centred: that helps the solve little (pivoted QR already handles the near-parallel constant column) but makes
/// the intercept's variance a difference of huge terms when slopes are collinear (tried; it cost 3 digits).
struct LeastSquares {
    let names: [String]
    /// The design as given (intercept column first when `hasIntercept`).
    let x: Matrix
    let hasIntercept: Bool
    /// Norms the columns were divided by.
    let scales: [Double]
    let qr: PivotedQR
    let coefficients: [Double]
    let residuals: [Double]

    /// - Parameters:
    ///   - hasIntercept: column 0 of `x` is the all-ones intercept.
    ///   - rankTolerance: a column whose pivoted `|R[k,k]|` falls below `rankTolerance · |R[0,0]|` (after
    ///     scaling) is treated as a combination of the others, and the fit is refused.
    init(x: Matrix, names: [String], y: [Double], hasIntercept: Bool, rankTolerance: Double) throws {
        precondition(names.count == x.columnCount)
        guard y.count == x.rowCount else {
            throw StatsError.invalidInput("response has \(y.count) values, the design has \(x.rowCount) rows")
        }
        if let i = y.firstIndex(where: { !$0.isFinite }) { throw StatsError.invalidInput("response row \(i) is not finite (\(y[i]))") }
        guard x.rowCount > x.columnCount else {
            throw StatsError.invalidInput("\(x.rowCount) observations cannot fit \(x.columnCount) parameters with residual degrees of freedom left")
        }
        let n = x.rowCount, p = x.columnCount
        var work = x
        var scales = [Double](repeating: 1, count: p)
        for j in 0..<p {
            let norm = x.column(j).reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else {
                throw StatsError.rankDeficient(regressors: [names[j]], message: "'\(names[j])' is zero in every row")
            }
            scales[j] = norm
            for i in 0..<n { work[i, j] /= norm }
        }
        let qr = try PivotedQR(work)
        let rank = qr.rank(relativeTolerance: rankTolerance)
        if rank < p {
            throw try LeastSquares.collinearity(qr: qr, rank: rank, names: names, scales: scales,
                                                hasIntercept: hasIntercept, tolerance: rankTolerance)
        }
        let gamma = try qr.solve(y)
        let beta = (0..<p).map { gamma[$0] / scales[$0] }
        let fitted = x.multiply(beta)
        (self.names, self.x, self.hasIntercept, self.scales, self.qr) = (names, x, hasIntercept, scales, qr)
        coefficients = beta
        residuals = zip(y, fitted).map { $0 - $1 }
    }

    var residualSumOfSquares: Double { residuals.reduce(0) { $0 + $1 * $1 } }

    /// (XᵀX)⁻¹ in the original column order and units: for W = X·S⁻¹ it is P·R⁻¹R⁻ᵀ·Pᵀ, then unscaled by S.
    func inverseGram() throws -> Matrix {
        let rInv = try qr.rInverse()
        let pivoted = Matrix.product(rInv, rInv, transposeB: true)
        let p = x.columnCount
        var g = Matrix(rowCount: p, columnCount: p)
        for a in 0..<p {
            for b in 0..<p {
                let i = qr.pivot[a], j = qr.pivot[b]
                g[i, j] = pivoted[a, b] / (scales[i] * scales[j])
            }
        }
        return g
    }

    /// Diagonal of the hat matrix: squared row norms of Q₁ = W·P·R⁻¹ (scaling keeps the column space).
    func leverage() throws -> [Double] {
        var w = x.columns(qr.pivot)
        for k in 0..<x.columnCount {
            let j = qr.pivot[k]
            for i in 0..<x.rowCount { w[i, k] /= scales[j] }
        }
        let q1 = w * (try qr.rInverse())
        return (0..<x.rowCount).map { i in (0..<x.columnCount).reduce(0) { $0 + q1[i, $1] * q1[i, $1] } }
    }

    /// The error that names the collinear regressors: each dependent column written, in original units, as an
    /// intercept plus a combination of the others.
    static func collinearity(qr: PivotedQR, rank: Int, names: [String], scales: [Double],
                             hasIntercept: Bool, tolerance: Double) throws -> StatsError {
        var involved = Set<Int>()
        var relations: [String] = []
        for (dependent, combination) in try qr.dependentColumns(rank: rank) {
            involved.insert(dependent)
            let largest = combination.map { abs($0.coefficient) }.max() ?? 0
            // w_dep ≈ Σ c·w_i with w = x/s  ⇒  x_dep ≈ Σ (c·s_dep/s_i)·x_i ; the intercept column gives the constant.
            var constant = 0.0
            var terms: [(Int, Double)] = []
            for (column, c) in combination where abs(c) > 1e-6 * largest {
                let b = c * scales[dependent] / scales[column]
                if hasIntercept && column == 0 { constant += b; involved.insert(0); continue }
                terms.append((column, b))
                involved.insert(column)
            }
            var rhs = terms.sorted { $0.0 < $1.0 }.map { "\(format($0.1))·\(names[$0.0])" }
            if hasIntercept && abs(constant) > 0 { rhs.insert(format(constant), at: 0) }
            relations.append("\(names[dependent]) ≈ \(rhs.isEmpty ? "0" : rhs.joined(separator: " + "))")
        }
        let named = involved.sorted().map { names[$0] }
        return .rankDeficient(regressors: named,
                              message: "numerical rank \(rank) of \(names.count) columns (relative tolerance \(tolerance)); "
                                  + relations.joined(separator: "; ") + ". Drop or combine one of them.")
    }

    static func format(_ v: Double) -> String { Formatting.significant(v, digits: 4) }
}
