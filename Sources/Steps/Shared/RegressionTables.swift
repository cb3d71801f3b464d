import Foundation
import Stats
import Workbench

/// statsmodels-style tables for the rendered notebooks.
enum RegressionTables {
    static func coefficients(_ fit: OLSFit, title: String) -> Table {
        Table(title: title, columns: ["", "coef", "std err", "t", "P>|t|", "[0.025", "0.975]", "VIF", "std. coef"],
              rows: fit.coefficients.map { c in
                  [c.name, significant(c.estimate), significant(c.standardError), Table.number(c.t, digits: 3), Table.number(c.p, digits: 3),
                   significant(c.lower), significant(c.upper), c.vif.map { Table.number($0, digits: 2) } ?? "",
                   c.standardized.map { Table.number($0, digits: 3) } ?? ""]
              })
    }

    static func summary(_ fit: OLSFit) -> Table {
        Table(title: "Fit statistics", columns: ["n", "R²", "adj. R²", "F", "Prob (F)", "log-lik", "AIC", "BIC", "resid. SE", "cond. no."],
              rows: [["\(fit.observationCount)", Table.number(fit.rSquared, digits: 3), Table.number(fit.adjustedRSquared, digits: 3),
                      fit.fStatistic.map { Table.number($0, digits: 3) } ?? "", fit.fPValue.map { Table.scientific($0) } ?? "",
                      Table.number(fit.logLikelihood, digits: 2), Table.number(fit.aic, digits: 2), Table.number(fit.bic, digits: 2),
                      significant(fit.residualStandardError), Table.scientific(fit.conditionNumber)]],
              note: "A condition number above ~1e3 on raw indicator scales, or a VIF above 10, means the coefficients are unstable (multicollinearity), which the paper did not check.")
    }

    static func selection(_ comparison: ModelSelection.Comparison) -> Table {
        Table(title: "Which indicators? Three selection procedures", columns: ["procedure", "criterion", "indicators", "R²", "BIC", "CV R² (\(comparison.folds)-fold)", "max p"],
              rows: comparison.choices.map { choice in
                  guard let m = choice.chosen else { return [choice.procedure, choice.criterion, "(none qualifies)", "", "", "", ""] }
                  return [choice.procedure, choice.criterion, m.regressors.isEmpty ? "(intercept only)" : m.regressors.joined(separator: ", "),
                          Table.number(m.rSquared, digits: 3), Table.number(m.bic, digits: 2), Table.number(m.crossValidatedR2, digits: 3),
                          m.maxP.map { Table.number($0, digits: 3) } ?? ""]
              },
              note: "The paper chose in-sample (R², then p-values). Cross-validated R² is the honest measure of how well a rule predicts new subsets; a negative value means worse than predicting the mean.")
    }

    static func significant(_ value: Double) -> String {
        if !value.isFinite { return Table.number(value) }
        if value == 0 { return "0" }
        return abs(value) >= 1e-3 && abs(value) < 1e5 ? String(format: "%.4f", value) : Table.scientific(value, digits: 3)
    }
}
