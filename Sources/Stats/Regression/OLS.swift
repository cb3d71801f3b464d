#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Linalg

/// Ordinary least squares with the full inference table that statsmodels' `OLS(y, X).fit()` reports.
///
/// ```swift
/// let fit = try OLS.fit(logLoss, try Design(["Rew": rew, "Nat": nat]))
/// fit.coefficient("Rew")?.p          // two-sided Student-t p-value
/// fit.rSquared, fit.fPValue, fit.bic, fit.conditionNumber
/// ```
/// The solve goes through LAPACK's column-pivoted QR (`dgeqp3`), never the normal equations. A design whose
/// columns are (numerically) dependent throws `StatsError.rankDeficient`, naming the collinear regressors and the
/// relation between them; it is never silently solved with a pseudo-inverse (statsmodels' default would).
public enum OLS {
    /// The intercept's name in every fit, as statsmodels calls it.
    public static let interceptName = "const"

    /// Default rank tolerance: after scaling every column to unit norm, a pivot below 1e-10 of the largest means the
    /// column is a combination of the others to ten digits, and any coefficient for it would be noise.
    public static let defaultRankTolerance = 1e-10

    /// Fits `y = β₀ + Σ βⱼ xⱼ + ε` (β₀ only when `intercept`).
    ///
    /// Without an intercept, R², adjusted R² and F use the uncentred total sum of squares, as statsmodels does.
    /// - Parameter confidence: level of the coefficient intervals (0.95 gives statsmodels' `conf_int()`).
    public static func fit(_ y: [Double], _ design: Design, intercept: Bool = true, confidence: Double = 0.95,
                           rankTolerance: Double = defaultRankTolerance) throws -> OLSFit {
        guard confidence > 0, confidence < 1 else { throw StatsError.invalidInput("confidence must be in (0, 1), got \(confidence)") }
        let (x, names) = matrix(design, intercept: intercept)
        let ls = try LeastSquares(x: x, names: names, y: y, hasIntercept: intercept, rankTolerance: rankTolerance)
        let n = Double(y.count), p = Double(names.count)
        let kConstant = intercept ? 1.0 : 0.0
        let dfResidual = n - p, dfModel = p - kConstant
        let ssr = ls.residualSumOfSquares
        let scale = ssr / dfResidual
        let mean = y.reduce(0, +) / n
        let tss = intercept ? y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } : y.reduce(0) { $0 + $1 * $1 }
        guard tss > 0 else { throw StatsError.constantSample("the response is constant: R² and F are undefined") }
        // Residuals at rounding level (each ≲ 1e-13 of |y|) mean an exact fit, whatever their last bits say.
        guard ssr > 1e-26 * y.reduce(0, { $0 + $1 * $1 }) else {
            throw StatsError.invalidInput("the regressors reproduce the response exactly (zero residuals): standard errors and the likelihood are undefined")
        }
        let rSquared = 1 - ssr / tss
        let adjusted = 1 - (n - kConstant) / dfResidual * (1 - rSquared)
        let fStatistic: Double? = dfModel > 0 ? ((tss - ssr) / dfModel) / scale : nil
        let fPValue = fStatistic.map { FDistribution(numerator: dfModel, denominator: dfResidual).survival($0) }
        let logLikelihood = -n / 2 * log(2 * Double.pi) - n / 2 * log(ssr / n) - n / 2

        let inverseGram = try ls.inverseGram()
        let t = StudentT(degreesOfFreedom: dfResidual)
        let critical = t.quantile(0.5 + confidence / 2)
        let vifs = try varianceInflation(design, intercept: intercept, rankTolerance: rankTolerance)
        let sdY = Sample.standardDeviation(y)
        var coefficients: [OLSFit.Coefficient] = []
        for (j, name) in names.enumerated() {
            let estimate = ls.coefficients[j]
            let se = (scale * inverseGram[j, j]).squareRoot()
            let tValue = estimate / se
            let isIntercept = intercept && j == 0
            let regressor = isIntercept ? nil : design.columns[j - Int(kConstant)]
            coefficients.append(OLSFit.Coefficient(
                name: name, estimate: estimate, standardError: se, t: tValue, p: t.twoSidedP(tValue),
                lower: estimate - critical * se, upper: estimate + critical * se,
                vif: isIntercept ? nil : vifs[j - Int(kConstant)],
                standardized: regressor.map { estimate * Sample.standardDeviation($0) / sdY }))
        }
        var covariance = inverseGram
        for k in covariance.storage.indices { covariance.storage[k] *= scale }
        return OLSFit(
            coefficients: coefficients, hasIntercept: intercept, observationCount: y.count,
            dfModel: dfModel, dfResidual: dfResidual, rSquared: rSquared, adjustedRSquared: adjusted,
            fStatistic: fStatistic, fPValue: fPValue, logLikelihood: logLikelihood,
            aic: -2 * logLikelihood + 2 * p, bic: -2 * logLikelihood + log(n) * p,
            residualSumOfSquares: ssr, residualStandardError: scale.squareRoot(),
            conditionNumber: try SingularValues.conditionNumber(x), confidence: confidence,
            residuals: ls.residuals, leverage: try ls.leverage(), covariance: covariance.storage)
    }

    /// The design matrix with the intercept column first, and its column names.
    static func matrix(_ design: Design, intercept: Bool) -> (Matrix, [String]) {
        let n = design.rowCount
        let columns = intercept ? [[Double](repeating: 1, count: n)] + design.columns : design.columns
        return (Matrix(columns: columns), intercept ? [interceptName] + design.names : design.names)
    }

    /// Variance inflation factor of every regressor: 1 / (1 − R²ⱼ), with R²ⱼ the R² of regressor j regressed on all
    /// the others, with an intercept (centred R²) when the model has one. With an intercept this equals statsmodels'
    /// `variance_inflation_factor(exog, j)` (its default standardisation does not change a centred R²); without one
    /// it is the uncentred version, which statsmodels does not define the same way.
    public static func varianceInflation(_ design: Design, intercept: Bool = true,
                                         rankTolerance: Double = defaultRankTolerance) throws -> [Double] {
        guard design.names.count > 1 || !intercept else { return design.names.map { _ in 1 } }
        return try design.names.indices.map { j in
            let others = Design(uncheckedNames: design.names.enumerated().filter { $0.offset != j }.map(\.element),
                                columns: design.columns.enumerated().filter { $0.offset != j }.map(\.element),
                                rowCount: design.rowCount)
            let column = design.columns[j]
            if others.names.isEmpty && !intercept { return 1 }
            let (x, names) = matrix(others, intercept: intercept)
            let ls = try LeastSquares(x: x, names: names, y: column, hasIntercept: intercept, rankTolerance: rankTolerance)
            let mean = intercept ? Sample.mean(column) : 0
            let tss = column.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            guard tss > 0 else {
                throw StatsError.rankDeficient(regressors: [design.names[j]], message: "'\(design.names[j])' is constant")
            }
            return 1 / (ls.residualSumOfSquares / tss)
        }
    }
}
