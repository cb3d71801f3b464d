import Core
import Foundation
import Stats
import Workbench

/// Fits the quality rule: OLS of log eval loss on the subsets' mean indicators, with model selection.
enum RuleFitStep: Step {
    static let name = "rule.fit"
    static let version = 1
    static let summary = "Regresses log finetuned loss on mean indicators; compares the paper's selection with BIC and CV."
    static let inputs = StepInputs.reads(IndicatorsStep.self, RuleFinetunesStep.self, SubsetsStep.self)
    static let parameters = [
        ParameterSpec("procedure", .string, default: "paper", "which selection picks the rule: paper, bic, cv or all"),
        ParameterSpec("alpha", .double, default: 0.05, "significance level of the paper's procedure", range: 1e-9...0.5),
        ParameterSpec("folds", .int, default: 10, "k of the cross-validated selection", range: 2...1_000),
    ]

    static func run(_ context: StepContext) throws -> StepOutput {
        let data = try RuleData(context)
        let alpha = try context.parameters.double("alpha")
        let design = try Design(names: data.indicators, columns: data.columns)
        let full = try OLS.fit(data.logLoss, design)
        let selection = try ModelSelection.compare(data.logLoss, design, alpha: alpha,
                                                   folds: min(try context.parameters.int("folds"), data.logLoss.count), seed: context.seed)
        let procedure = try context.parameters.string("procedure")
        let index = ["paper": 0, "bic": 1, "cv": 2, "all": 3]
        guard let pick = index[procedure] else { throw StepError.failed(step: name, "procedure must be paper, bic, cv or all, not '\(procedure)'") }
        var chosen = selection.choices[pick]
        var note = "The rule below is the \(chosen.procedure) choice (\(chosen.criterion))."
        if chosen.chosen == nil || chosen.chosen!.regressors.isEmpty {
            // Stated, not silent: the paper's procedure can qualify no subset on small designs.
            note = "The \(chosen.procedure) procedure (\(chosen.criterion)) kept no indicator, so the rule below is the BIC choice; the paper's procedure is reported as it came out."
            chosen = selection.choices[1]
            if chosen.chosen?.regressors.isEmpty ?? true { chosen = selection.choices[3]; note += " BIC also kept none: the full model is used." }
        }
        let names = chosen.chosen!.regressors
        let ruleFit = try OLS.fit(data.logLoss, try design.selecting(names))
        let heldOutFit = try OLS.fit(data.logLossHeldOut, try design.selecting(names))
        let rule = Rule(fit: ruleFit, procedure: chosen.procedure + " (" + chosen.criterion + ")")
        let payload = RuleFitPayload(indicators: data.indicators, means: data.rows, logLoss: data.logLoss, logLossHeldOut: data.logLossHeldOut,
                                     full: full, selection: selection, rule: rule, ruleFit: ruleFit, heldOutFit: heldOutFit)
        let reference = try PaperReference.load()
        let predicted = try ruleFit.predict(try design.selecting(names))
        let figure = FigureSpec(name: "rule-fit", title: "Rule prediction against measured log loss",
                                xLabel: "predicted log loss", yLabel: "measured log loss (self-instruct)",
                                series: [.init("subsets", kind: .points, points: zip(predicted, data.logLoss).map { .init(x: $0, y: $1) }),
                                         .init("y = x", kind: .line, points: [predicted.min() ?? 0, predicted.max() ?? 0].map { .init(x: $0, y: $0) })])
        return try StepOutput(payload: payload)
            .table(RegressionTables.coefficients(full, title: "All indicators: OLS of log self-instruct loss (n = \(data.logLoss.count) subsets)"))
            .table(RegressionTables.summary(full))
            .table(RegressionTables.selection(selection))
            .text(note)
            .table(RegressionTables.coefficients(ruleFit, title: "The rule"))
            .text("**Our rule:** `\(rule.equation())`  (R² = \(Table.number(ruleFit.rSquared, digits: 3)); on the held-out MT-Bench loss the same indicators give R² = \(Table.number(heldOutFit.rSquared, digits: 3)))")
            .table(reference.rulesTable(ours: rule))
            .figure(figure)
    }
}

struct RuleFitPayload: Codable {
    /// Regressor names in design order.
    var indicators: [String]
    /// Per subset: mean indicators (design rows) and the two log losses.
    var means: [[Double]]
    var logLoss: [Double]
    var logLossHeldOut: [Double]
    var full: OLSFit
    var selection: ModelSelection.Comparison
    /// The rule the later notebooks use, from the procedure named in the cell.
    var rule: Rule
    var ruleFit: OLSFit
    var heldOutFit: OLSFit
}

/// The rule-fitting data: one row per finetuned subset.
struct RuleData {
    var indicators: [String]
    var rows: [[Double]]
    var logLoss: [Double]
    var logLossHeldOut: [Double]
    var columns: [[Double]] { indicators.indices.map { j in rows.map { $0[j] } } }

    init(_ context: StepContext) throws {
        let design = try context.input(SubsetsStep.self, as: SubsetsPayload.self)
        let finetunes = try context.input(RuleFinetunesStep.self, as: RuleFinetunesPayload.self)
        let table = try IndicatorTable(context)
        guard design.subsets.count == finetunes.outcomes.count else {
            throw StepError.failed(step: context.stepName, "\(design.subsets.count) subsets but \(finetunes.outcomes.count) finetunes")
        }
        indicators = table.names
        rows = try design.subsets.map { try table.means($0.exampleIDs) }
        logLoss = try finetunes.outcomes.map { try RuleData.logLoss($0, Finetunes.mainSet) }
        logLossHeldOut = try finetunes.outcomes.map { try RuleData.logLoss($0, Finetunes.heldOutSet) }
    }

    static func logLoss(_ outcome: FinetuneOutcome, _ set: String) throws -> Double {
        guard let loss = outcome.losses[set], loss > 0, loss.isFinite else {
            throw StepError.failed(step: "rule", "finetune \(outcome.label) has no finite loss on \(set)")
        }
        return log(loss)
    }
}
