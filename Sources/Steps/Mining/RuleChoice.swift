import Core
import Corpus
import Foundation
import Indicators
import Stats
import Store

/// Which rule ranks the data (`--rule fitted|paper-v1|paper-v2|RULE.yaml`), resolved against what the workbench
/// can compute: every indicator a rule names must be one the ``ExampleScorer`` computes under the same variant, or
/// one whose values were imported into the store (`imine indicators import`); anything else is an error naming it.
public struct RuleChoice {
    public let rule: MiningRule
    /// Terms whose values come from the store as imported (by variant key), not from the scorer.
    let imported: [String: String]

    public static let names = ["fitted", "paper-v1", "paper-v2"]

    public init(_ spec: String, setup: MiningSetup, scorer: ExampleScorer) throws {
        var rule: MiningRule
        switch spec {
        case "fitted": rule = try Self.fitted(setup, scorer: scorer)
        case "paper-v1", "paper-v2": rule = try Self.paper(String(spec.dropFirst(6)), store: setup.store, scorer: scorer)
        default:
            guard spec.hasSuffix(".yaml") || spec.hasSuffix(".yml") else {
                throw InputError(file: "--rule", "expected fitted, paper-v1, paper-v2 or a RULE.yaml file, not '\(spec)'")
            }
            rule = try MiningRule.load(path: spec)
        }
        var imported: [String: String] = [:]
        var unknown: [String] = []
        for (i, term) in rule.terms.enumerated() {
            if let variant = scorer.variants[term.name], term.variant == nil || term.variant == variant.key {
                rule.terms[i].variant = variant.key
            } else if let key = term.variant, (try? setup.store.indicatorVariant(key: key)) != nil {
                imported[term.name] = key
            } else {
                unknown.append(term.variant.map { "\(term.name) (variant \($0.prefix(12)))" } ?? term.name)
            }
        }
        guard unknown.isEmpty else {
            throw InputError(file: spec == "fitted" || spec.hasPrefix("paper-") ? "--rule \(spec)" : spec, field: "indicators",
                             "the rule needs indicators this workbench cannot compute under that variant and the store does not hold: \(unknown.joined(separator: ", ")); computable here: \(scorer.names.joined(separator: ", ")); import other scores with `imine indicators import`\(unknown.contains { $0.hasPrefix("unieval_") } ? " (the judge_* stand-ins for UniEval's scores are computed when the profile's indicators.lm is a real GGUF model)" : "")")
        }
        self.rule = rule
        self.imported = imported
    }

    /// Each term's value for each example: computed (cached) by the scorer or read from imported values.
    public func values(_ examples: [Example], scorer: ExampleScorer, store: Store, log: (String) -> Void) throws -> [String: [Double]] {
        var columns = try scorer.score(examples, indicators: rule.names.filter { imported[$0] == nil }, log: log)
        for (name, key) in imported.sorted(by: { $0.key < $1.key }) {
            let values = Dictionary(try store.indicatorValues(variantKey: key).map { ($0.exampleID, $0.value) }, uniquingKeysWith: { a, _ in a })
            let missing = examples.filter { values[$0.id] == nil }
            guard missing.isEmpty else {
                throw InputError(file: "--rule", field: name, "\(missing.count) of \(examples.count) examples have no imported '\(name)' value (e.g. \(missing[0].id.prefix(12))); import them with `imine indicators import`")
            }
            columns[name] = examples.map { values[$0.id]! }
        }
        return columns
    }

    /// The rule notebook 02 fitted, with the fitted subsets' range of means per indicator.
    static func fitted(_ setup: MiningSetup, scorer: ExampleScorer) throws -> MiningRule {
        let fit = try setup.context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let terms = try fit.rule.indicators.map { name -> MiningRule.Term in
            guard let column = fit.indicators.firstIndex(of: name) else {
                throw InputError(file: "--rule fitted", field: name, "the fitted rule's indicator is not among the fitted regressors \(fit.indicators)")
            }
            let means = fit.means.map { $0[column] }
            return MiningRule.Term(name: name, variant: scorer.variants[name]?.key, coefficient: fit.rule.coefficients[name]!,
                                   fitRange: [means.min()!, means.max()!], fitSD: Sample.standardDeviation(means))
        }
        let record = setup.context.inputs.first { $0.step == RuleFitStep.name }!
        return MiningRule(procedure: fit.rule.procedure, intercept: fit.rule.intercept, terms: terms,
                          provenance: ["profile": setup.profile.name, "cell": record.cellID, "cell_output": record.digest,
                                       "fitted_subsets": "\(fit.means.count)", "r_squared": "\(fit.ruleFit.rSquared)"])
    }

    /// A published rule of the paper (`paper-repro/reference/paper-values.yaml`). Its fit range is not published.
    static func paper(_ version: String, store: Store, scorer: ExampleScorer) throws -> MiningRule {
        let reference = try PaperReference.load()
        guard let intercept = reference.double("rules.\(version).intercept"),
              let coefficients = reference.value("rules.\(version).coefficients") as? [String: Any] else {
            throw InputError(file: PaperReference.path, field: "rules.\(version)", "no intercept and coefficients for rule \(version)")
        }
        var terms: [MiningRule.Term] = []
        for key in coefficients.keys.sorted() {
            // UniEval's own scores when they were imported, else their judge stand-ins when this workbench computes them.
            let own = PaperReference.indicatorNames[key] ?? key
            let hasOwn = try scorer.variants[own] != nil || !store.indicatorVariants(named: own).isEmpty
            let name = hasOwn ? own : PaperReference.workbenchName(paperKey: key, available: scorer.names)
            guard let beta = reference.double("rules.\(version).coefficients.\(key)") else {
                throw InputError(file: PaperReference.path, field: "rules.\(version).coefficients.\(key)", "expected a number")
            }
            // An indicator computed elsewhere (UniEval) is used when exactly one variant of it was imported.
            let importedVariants = scorer.variants[name] == nil ? try store.indicatorVariants(named: name) : [:]
            terms.append(MiningRule.Term(name: name, variant: scorer.variants[name]?.key ?? (importedVariants.count == 1 ? importedVariants.keys.first : nil),
                                         coefficient: beta, fitRange: nil, fitSD: nil))
        }
        return MiningRule(procedure: "paper \(version) (published coefficients, LLaMA-2-7B; source class \(reference.value("rules.\(version).source") ?? "?"))",
                          intercept: intercept, terms: terms, provenance: ["source": PaperReference.path])
    }
}
