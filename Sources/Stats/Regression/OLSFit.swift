/// The result of `OLS.fit`: the statsmodels summary as plain values (Codable, so a step can store it as an artifact).
public struct OLSFit: Sendable, Codable, Equatable {
    /// One row of the coefficient table.
    public struct Coefficient: Sendable, Codable, Equatable {
        public var name: String
        public var estimate: Double
        public var standardError: Double
        public var t: Double
        /// Two-sided p-value of t under Student's t with the residual degrees of freedom.
        public var p: Double
        /// Confidence interval at `OLSFit.confidence`.
        public var lower: Double
        public var upper: Double
        /// Variance inflation factor (nil for the intercept).
        public var vif: Double?
        /// βⱼ · sd(xⱼ) / sd(y): the change in y, in its standard deviations, per standard deviation of xⱼ.
        public var standardized: Double?
    }

    /// Intercept first (named `OLS.interceptName`) when there is one, then the regressors in design order.
    public var coefficients: [Coefficient]
    public var hasIntercept: Bool
    public var observationCount: Int
    public var dfModel: Double
    public var dfResidual: Double
    public var rSquared: Double
    public var adjustedRSquared: Double
    /// Overall F statistic and its p-value; nil for an intercept-only model, where it is undefined.
    public var fStatistic: Double?
    public var fPValue: Double?
    public var logLikelihood: Double
    public var aic: Double
    public var bic: Double
    public var residualSumOfSquares: Double
    /// √(SSR / df_resid), statsmodels' `np.sqrt(scale)`.
    public var residualStandardError: Double
    /// σ_max/σ_min of the design matrix including the intercept column, as statsmodels' `condition_number`.
    public var conditionNumber: Double
    public var confidence: Double
    public var residuals: [Double]
    /// Diagonal of the hat matrix; leave-one-out residuals are `residuals[i] / (1 − leverage[i])`.
    public var leverage: [Double]
    /// Covariance of the estimates, column-major `p × p`, in `coefficients` order.
    public var covariance: [Double]

    public func coefficient(_ name: String) -> Coefficient? { coefficients.first { $0.name == name } }

    /// Names of the regressors (without the intercept).
    public var regressorNames: [String] { coefficients.map(\.name).filter { !hasIntercept || $0 != OLS.interceptName } }

    /// Predictions for new rows given as a design with (at least) this fit's regressors.
    public func predict(_ design: Design) throws -> [Double] {
        let picked = try design.selecting(regressorNames)
        let offset = hasIntercept ? 1 : 0
        return (0..<picked.rowCount).map { i in
            var value = hasIntercept ? coefficients[0].estimate : 0
            for (j, column) in picked.columns.enumerated() { value += coefficients[j + offset].estimate * column[i] }
            return value
        }
    }

    /// The fitted rule as text, e.g. `log L = 1.0694 − 0.1498·Rew + 8.257e-05·Len`.
    public func equation(response: String = "y", digits: Int = 4) -> String {
        var text = "\(response) = "
        for (k, c) in coefficients.enumerated() {
            let magnitude = Formatting.significant(abs(c.estimate), digits: digits)
            let sign = c.estimate < 0 ? "−" : "+"
            let term = c.name == OLS.interceptName && hasIntercept ? magnitude : "\(magnitude)·\(c.name)"
            text += k == 0 ? (c.estimate < 0 ? "−" : "") + term : " \(sign) \(term)"
        }
        return text
    }

    /// The statsmodels-like coefficient table plus the fit statistics, as Markdown.
    public func markdownTable() -> String {
        let f = { (v: Double) in Formatting.significant(v, digits: 4) }
        let level = { (v: Double) in Formatting.trimmed(Formatting.fixed(v, decimals: 4)) }
        var lines = ["| term | coef | std err | t | P>\\|t\\| | [\(level((1 - confidence) / 2)) | \(level((1 + confidence) / 2))] | VIF | std. coef |",
                     "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for c in coefficients {
            lines.append("| \(c.name) | \(f(c.estimate)) | \(f(c.standardError)) | \(f(c.t)) | \(f(c.p)) | \(f(c.lower)) | \(f(c.upper)) | "
                + "\(c.vif.map(f) ?? "") | \(c.standardized.map(f) ?? "") |")
        }
        lines.append("")
        lines.append("n = \(observationCount), R² = \(f(rSquared)), adj. R² = \(f(adjustedRSquared)), "
            + "F = \(fStatistic.map(f) ?? "n/a") (p = \(fPValue.map(f) ?? "n/a")), log-lik = \(f(logLikelihood)), "
            + "AIC = \(f(aic)), BIC = \(f(bic)), resid. SE = \(f(residualStandardError)), cond. no. = \(f(conditionNumber))")
        return lines.joined(separator: "\n")
    }
}

/// Number formatting shared by the tables (deterministic, locale-free).
enum Formatting {
    /// `digits` significant digits, plain notation for moderate magnitudes and exponent notation otherwise.
    static func significant(_ v: Double, digits: Int) -> String {
        guard v.isFinite else { return "\(v)" }
        if v == 0 { return "0" }
        let magnitude = abs(v)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            let exponent = Int((magnitude).log10Floor)
            let decimals = max(0, digits - 1 - exponent)
            return fixed(v, decimals: decimals)
        }
        let exponent = Int(magnitude.log10Floor)
        let mantissa = v / pow10(exponent)
        return "\(fixed(mantissa, decimals: digits - 1))e\(exponent)"
    }

    /// Drops trailing zeros after a decimal point ("0.0250" → "0.025", "2.000" → "2").
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.hasSuffix("0") { t = t.dropLast() }
        if t.hasSuffix(".") { t = t.dropLast() }
        return String(t)
    }

    static func fixed(_ v: Double, decimals: Int) -> String {
        let factor = pow10(decimals)
        let rounded = (abs(v) * factor).rounded() / factor
        var text = "\(Int64((abs(v) * factor).rounded()))"
        if decimals > 0 {
            while text.count <= decimals { text = "0" + text }
            text.insert(".", at: text.index(text.endIndex, offsetBy: -decimals))
        }
        return (v < 0 && rounded != 0 ? "-" : "") + text
    }

    static func pow10(_ k: Int) -> Double {
        var r = 1.0
        for _ in 0..<abs(k) { r *= 10 }
        return k >= 0 ? r : 1 / r
    }
}

extension Double {
    /// ⌊log₁₀ x⌋ for x > 0, exact at powers of ten.
    var log10Floor: Double {
        var e = 0.0, v = self
        while v >= 10 { v /= 10; e += 1 }
        while v < 1 { v *= 10; e -= 1 }
        return e
    }
}
