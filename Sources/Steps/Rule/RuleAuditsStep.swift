import Core
import Corpus
import Foundation
import Stats
import Workbench

struct RuleAuditsPayload: Codable {
    var bootstrap: Bootstrap.Result
    var leaveOneOutR2: Double
    var kFoldR2: Double
    var permutation: PermutationTest.Result
    var seedVariance: SeedVariance.Result
    var repeats: [[Double]]
    /// Fresh subsets the rule never saw: predicted and measured log loss.
    var freshPredicted: [Double]
    var freshMeasured: [Double]
    var freshR2: Double
    var freshSpearman: Double?
}

/// The reviewers' audits of the fitted rule.
enum RuleAuditsStep: FinetuningStep {
    static let name = "rule.audits"
    static let version = 1
    static let summary = "Bootstrap, predictive R², permutation test, seed variance and fresh-subset check of the rule."
    static let inputs = StepInputs.reads(PoolsStep.self, IndicatorsStep.self, PretrainStep.self, RuleFinetunesStep.self, RuleFitStep.self, SubsetsStep.self)
    static let profileKeys = ["audits", "finetune", "rule_fit.subset_size", "rule_fit.pool_size"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let fitted = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let design = try context.input(SubsetsStep.self, as: SubsetsPayload.self)
        let names = fitted.rule.indicators
        let all = try Design(names: fitted.indicators, columns: fitted.indicators.indices.map { j in fitted.means.map { $0[j] } })
        let ruleDesign = try all.selecting(names)
        let y = fitted.logLoss
        let bootstrap = try Bootstrap.coefficients(y, ruleDesign, replicates: try context.profile.int("audits.bootstrap"), seed: context.seed)
        let loo = try CrossValidation.leaveOneOutR2(fitted.ruleFit, y: y)
        let kfold = try CrossValidation.kFoldR2(y, ruleDesign, fold: try CrossValidation.folds(count: y.count, k: min(10, y.count), seed: context.seed))
        let permutation = try PermutationTest.rSquared(y, ruleDesign, permutations: try context.profile.int("audits.permutations"), seed: context.seed)

        // Seed variance: the first subsets finetuned again with new seeds.
        let pools = try PoolsRef(context)
        let poolExamples = try SelectionPool.ruleFit(context, pools: pools).examples
        let byID = Dictionary(poolExamples.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let finetunes = try Finetunes(context, pools: pools)
        let repeatCount = min(try context.profile.int("audits.seed_repeats"), design.subsets.count)
        let extraSeeds = 2
        var requests: [FinetuneRequest] = []
        for subset in design.subsets.prefix(repeatCount) {
            for r in 1...extraSeeds {
                requests.append(FinetuneRequest(label: "subset \(subset.index) seed \(r)", subset: subset.exampleIDs.compactMap { byID[$0] },
                                                seed: context.seed &+ UInt64(subset.index) &+ UInt64(1000 * r)))
            }
        }
        let repeated = try finetunes.run(requests, label: "seed repeats")
        let repeats = try (0..<repeatCount).map { i in
            [y[i]] + (try repeated[(i * extraSeeds)..<((i + 1) * extraSeeds)].map { try RuleData.logLoss($0, Finetunes.mainSet) })
        }
        let seedVariance = try SeedVariance.analyze(repeats)

        // Fresh subsets, drawn from the same pool with another stream, never used in the fit.
        let freshCount = try context.profile.int("audits.fresh_subsets")
        var random = context.random("fresh-subsets")
        let size = try context.profile.int("rule_fit.subset_size")
        let fresh = try (0..<freshCount).map { try MixtureSampler.draw(from: poolExamples, size: size, random: &random, index: 10_000 + $0) }
        let freshOutcomes = try finetunes.run(fresh.map { subset in
            FinetuneRequest(label: "fresh \(subset.index)", subset: subset.exampleIDs.compactMap { byID[$0] }, seed: context.seed &+ UInt64(subset.index))
        }, label: "fresh subsets")
        let table = try IndicatorTable(context)
        let freshRows = try fresh.map { try table.means($0.exampleIDs, names: names) }
        let freshDesign = try Design(names: names, columns: names.indices.map { j in freshRows.map { $0[j] } })
        let predicted = try fitted.ruleFit.predict(freshDesign)
        let measured = try freshOutcomes.map { try RuleData.logLoss($0, Finetunes.mainSet) }
        let heldOut = try HeldOut.evaluate(fitted.ruleFit, y: measured, design: freshDesign)
        let freshR2 = heldOut.rSquared
        let freshSpearman = heldOut.spearman
        let payload = RuleAuditsPayload(bootstrap: bootstrap, leaveOneOutR2: loo, kFoldR2: kfold, permutation: permutation,
                                        seedVariance: seedVariance, repeats: repeats, freshPredicted: predicted, freshMeasured: measured,
                                        freshR2: freshR2, freshSpearman: freshSpearman)
        let bootRows = bootstrap.intervals.map { [$0.name, RegressionTables.significant($0.estimate), RegressionTables.significant($0.lower),
                                                  RegressionTables.significant($0.upper), Table.number($0.signAgreement, digits: 3)] }
        let figure = FigureSpec(name: "fresh-subsets", title: "The rule on subsets it never saw", xLabel: "predicted log loss", yLabel: "measured log loss",
                                series: [.init("fresh subsets", kind: .points, points: zip(predicted, measured).map { .init(x: $0, y: $1) })])
        return try StepOutput(payload: payload)
            .table(Table(title: "Bootstrap intervals (\(bootstrap.replicates) case resamples, \(Int(bootstrap.confidence * 100))%)",
                         columns: ["", "estimate", "lower", "upper", "sign agreement"], rows: bootRows,
                         note: "Sign agreement: share of resamples whose coefficient has the full-data sign. Below ~0.95 the sign itself is not established."))
            .table(Table(title: "How well does the rule predict?", columns: ["measure", "value"], rows: [
                ["in-sample R² (what the paper reports)", Table.number(fitted.ruleFit.rSquared, digits: 3)],
                ["leave-one-out predictive R²", Table.number(loo, digits: 3)],
                ["10-fold predictive R²", Table.number(kfold, digits: 3)],
                ["permutation p of R² (\(permutation.permutations) permutations)", Table.number(permutation.p, digits: 4)],
                ["R² under no relation: mean / 95th percentile", Table.number(permutation.nullMean, digits: 3) + " / " + Table.number(permutation.null95, digits: 3)],
                ["fresh subsets (\(freshCount)): out-of-sample R²", Table.number(freshR2, digits: 3)],
                ["fresh subsets: Spearman(predicted, measured)", freshSpearman.map { Table.number($0, digits: 3) } ?? "undefined"],
            ]))
            .table(Table(title: "Finetune-seed variance (\(repeatCount) subsets × \(extraSeeds + 1) seeds)", columns: ["measure", "value"], rows: [
                ["seed share of a single loss's variance", Table.number(seedVariance.seedShare, digits: 3)],
                ["seed standard deviation (log loss)", RegressionTables.significant(seedVariance.seedStandardDeviation)],
                ["R² ceiling for any rule on single-seed losses", Table.number(seedVariance.rSquaredCeiling, digits: 3)],
                ["ANOVA p (subsets differ beyond seed noise)", seedVariance.fPValue.map { Table.number($0, digits: 4) } ?? "—"],
            ], note: "The paper finetuned each subset once; this is the part of its R² that single seeds cannot support."))
            .figure(figure)
    }
}
