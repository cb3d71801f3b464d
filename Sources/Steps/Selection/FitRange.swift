import Corpus
import Stats
import Workbench

/// Where a selected subset sits against the subsets the rule was fitted on. The rule is fitted on the mean
/// indicators of mixed random subsets, which cluster near the pool's average; ranking single examples and keeping
/// the top k pushes the means far out along the rule's coefficients, where the fit has seen no data. A rule that
/// explains the fitted subsets well can still pick badly there, and this table shows whether it had to extrapolate.
enum FitRange {
    struct Check {
        var table: Table
        /// Indicators whose mean over the first subset lies outside the fitted subsets' range.
        var outside: [String]
    }

    /// Compares each of `subsets` (label, examples) with the range of the fitted subset means, indicator by indicator,
    /// in standard deviations of those means, and the rule's predicted log loss with the observed range.
    static func check(_ subsets: [(label: String, examples: [Example])], rule: Rule, fitted: RuleFitPayload,
                      table: IndicatorTable) throws -> Check {
        var rows: [[String]] = []
        var outside: [String] = []
        let means = try subsets.map { try table.means($0.examples.map(\.id), names: rule.indicators) }
        for (i, name) in rule.indicators.enumerated() {
            guard let column = fitted.indicators.firstIndex(of: name) else {
                throw StepError.failed(step: SelectionCompareStep.name, "the rule's indicator '\(name)' is not among the fitted regressors \(fitted.indicators)")
            }
            let fittedMeans = fitted.means.map { $0[column] }
            let lo = fittedMeans.min()!, hi = fittedMeans.max()!, sd = Sample.standardDeviation(fittedMeans)
            if means[0][i] < lo || means[0][i] > hi { outside.append(name) }
            rows.append([name, Table.scientific(rule.coefficients[name]!, digits: 2), "\(Table.number(lo)) – \(Table.number(hi))"]
                        + means.map { "\(Table.number($0[i])) (\(distance($0[i], lo, hi, sd)))" })
        }
        let predicted = means.map { row in rule.predict { name in row[rule.indicators.firstIndex(of: name)!] } }
        let lo = fitted.logLoss.min()!, hi = fitted.logLoss.max()!, sd = Sample.standardDeviation(fitted.logLoss)
        rows.append(["predicted log loss", "", "\(Table.number(lo)) – \(Table.number(hi)) (observed)"]
                    + predicted.map { "\(Table.number($0)) (\(distance($0, lo, hi, sd)))" })
        return Check(table: Table(title: "Does the selection lie where the rule was fitted? (\(fitted.means.count) fitted subsets)",
                                  columns: ["indicator", "coefficient", "fitted subset means: range"] + subsets.map(\.label),
                                  rows: rows,
                                  note: "In brackets: how far outside the fitted range, in standard deviations of the fitted subset means (0 = inside)."),
                     outside: outside)
    }

    private static func distance(_ x: Double, _ lo: Double, _ hi: Double, _ sd: Double) -> String {
        let beyond = x < lo ? lo - x : x > hi ? x - hi : 0
        return beyond == 0 ? "inside" : (x < lo ? "−" : "+") + Table.number(beyond / sd, digits: 1) + " sd"
    }
}
