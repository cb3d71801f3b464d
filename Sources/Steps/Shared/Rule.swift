import Foundation
import Stats

/// A fitted rule: predicted log eval loss = intercept + Σ coefficient · indicator. Lower is better data.
struct Rule: Codable, Hashable {
    var intercept: Double
    /// Regressor name → coefficient, for the indicators the rule kept.
    var coefficients: [String: Double]
    var procedure: String

    init(fit: OLSFit, procedure: String) {
        intercept = fit.coefficient(OLS.interceptName)?.estimate ?? 0
        var coefficients: [String: Double] = [:]
        for c in fit.coefficients where c.name != OLS.interceptName { coefficients[c.name] = c.estimate }
        self.coefficients = coefficients
        self.procedure = procedure
    }

    init(intercept: Double, coefficients: [String: Double], procedure: String) {
        self.intercept = intercept
        self.coefficients = coefficients
        self.procedure = procedure
    }

    var indicators: [String] { coefficients.keys.sorted() }

    /// The rule without one indicator (for the ablation): the same coefficients, one dropped.
    func dropping(_ name: String) -> Rule {
        var copy = self
        copy.coefficients[name] = nil
        copy.procedure += " − \(name)"
        return copy
    }

    func predict(_ value: (String) throws -> Double) rethrows -> Double {
        try indicators.reduce(intercept) { $0 + coefficients[$1]! * (try value($1)) }
    }

    func equation(digits: Int = 4) -> String {
        var text = "log L = " + String(format: "%.\(digits)g", intercept)
        for name in indicators {
            let b = coefficients[name]!
            text += (b < 0 ? " − " : " + ") + String(format: "%.\(digits)g", abs(b)) + " · " + name
        }
        return text
    }
}
