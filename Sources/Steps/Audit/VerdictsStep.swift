import Foundation
import Stats
import Workbench

/// Gathers the paper's claims and the reviewers' questions into one table with a verdict each.
enum VerdictsStep: Step {
    static let name = "audit.verdicts"
    // 4: Welch p < 0.001 printed as such, not 0.000. 5: "selected beats random" verdicts say when the difference is not
    // significant, and a balance point at the grid's smallest size is called what it is (no size where selection helps).
    static let version = 5
    static let optionalProfileKeys = [OracleSpec.key]
    static let summary = "Paper claim by paper claim: the paper's value, ours, and a verdict; plus the reviewers' audits."
    static let inputs = StepInputs.reads(PretrainStep.self, AblationStep.self, VariantsStep.self, RuleAuditsStep.self, RuleFitStep.self, SubsetSizeSearchStep.self, SelectionCompareStep.self, BalancePointStep.self, DoubleDescentStep.self)

    static func run(_ context: StepContext) throws -> StepOutput {
        let fit = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let audits = try context.input(RuleAuditsStep.self, as: RuleAuditsPayload.self)
        let selection = try context.input(SelectionCompareStep.self, as: SelectionPayload.self)
        let search = try context.input(SubsetSizeSearchStep.self, as: SearchPayload.self)
        let descent = try context.input(DoubleDescentStep.self, as: DoubleDescentPayload.self)
        let balance = try context.input(BalancePointStep.self, as: BalancePayload.self)
        let ablation = try context.input(AblationStep.self, as: AblationPayload.self)
        let variants = try context.input(VariantsStep.self, as: VariantsPayload.self)
        var rows: [Verdict] = []

        let r2 = fit.ruleFit.rSquared
        rows.append(Verdict(claim: "A linear rule of mean indicators explains log eval loss", source: "R", paper: "R² = 0.522 (v2)",
                            ours: "R² = \(Table.number(r2, digits: 3)) in-sample; LOO \(Table.number(audits.leaveOneOutR2, digits: 3)); permutation p = \(Table.number(audits.permutation.p, digits: 4))",
                            verdict: audits.permutation.p < 0.05 ? (audits.leaveOneOutR2 > 0 ? "agrees in direction" : "agrees in-sample only") : "disagrees"))
        let rewardSign = fit.rule.coefficients["reward"].map { $0 < 0 ? "negative" : "positive" } ?? "not in our rule"
        rows.append(Verdict(claim: "Higher reward → lower loss (negative reward coefficient)", source: "R", paper: "−0.1498 (v1), −0.0078 (v2)", ours: rewardSign,
                            verdict: rewardSign == "negative" ? "agrees in direction" : rewardSign == "positive" ? "disagrees" : "not comparable"))
        let maxVIF = fit.full.coefficients.compactMap(\.vif).max() ?? .nan
        rows.append(Verdict(claim: "Multicollinearity (reviewers: not checked)", source: "R", paper: "no VIF reported",
                            ours: "max VIF \(Table.number(maxVIF, digits: 1)), condition number \(Table.scientific(fit.full.conditionNumber))", verdict: maxVIF > 10 ? "a concern: coefficients unstable" : "no serious collinearity"))
        let paperChoice = fit.selection.choices[0].chosen?.regressors.joined(separator: ", ") ?? "none"
        let cvChoice = fit.selection.choices[2].chosen?.regressors.joined(separator: ", ") ?? "none"
        rows.append(Verdict(claim: "In-sample selection by p-values (reviewers)", source: "R", paper: "Rew, Und, Nat, Coh",
                            ours: "paper procedure: \(paperChoice); CV choice: \(cvChoice)", verdict: paperChoice == cvChoice ? "in-sample choice survives CV" : "in-sample choice differs from CV choice"))
        rows.append(Verdict(claim: "Single seed (reviewers)", source: "R", paper: "one finetune per subset",
                            ours: "seed share of loss variance \(Table.number(audits.seedVariance.seedShare, digits: 3)); R² ceiling \(Table.number(audits.seedVariance.rSquaredCeiling, digits: 3))",
                            verdict: audits.seedVariance.seedShare > 0.3 ? "seed noise is material" : "seed noise is small"))
        let top = selection.conditions[0], random = selection.conditions[1]
        let topWins = [Finetunes.mainSet, Finetunes.heldOutSet].filter { top.meanLoss($0) < random.meanLoss($0) }.count
        let p = try Welch.test(top.outcomes.losses(Finetunes.mainSet), random.outcomes.losses(Finetunes.mainSet)).p
        rows.append(Verdict(claim: "Selected top k beats random k", source: "R", paper: "0.958 vs 1.001; 0.711 vs 0.746",
                            ours: "\(Table.number(top.meanLoss(Finetunes.mainSet))) vs \(Table.number(random.meanLoss(Finetunes.mainSet))) (\(welchText(p))); \(Table.number(top.meanLoss(Finetunes.heldOutSet))) vs \(Table.number(random.meanLoss(Finetunes.heldOutSet)))",
                            verdict: topWins == 2 ? significance("agrees in direction", p) : topWins == 1 ? "agrees on one set only" : "disagrees"))
        let bestTrial = search.trials.firstIndex { $0.integer("k") == search.bestK } ?? 0
        let heldBest = search.heldOutLoss.enumerated().min { $0.element < $1.element }
        rows.append(Verdict(claim: "Search objective = evaluation set (reviewers)", source: "R", paper: "BlendSearch on the eval loss, k = 2,532 (P)",
                            ours: "best k on objective \(search.bestK); best k on held-out set \(heldBest.map { search.trials[$0.offset].integer("k")! } ?? 0)",
                            verdict: heldBest?.offset == bestTrial ? "objective and held-out agree" : "objective and held-out disagree"))
        let dd = descent.tests.values.contains { $0.doubleDescent }
        let nm = descent.tests.values.contains { $0.nonMonotone }
        rows.append(Verdict(claim: "Double descent of loss against data size", source: "P", paper: "observed (single seed, by eye)",
                            ours: dd ? "shown by the test on at least one curve" : nm ? "a significant rise, no full double descent" : "not shown (Holm-corrected Welch tests)",
                            verdict: dd ? "agrees" : nm ? "partly" : "not shown at our scale"))
        rows.append(Verdict(claim: "Balance point: past some size random = selected", source: "P", paper: "claimed",
                            ours: balance.main.balanceSize.map { "from \(Int($0)) examples (TOST, ±\(Table.number(balance.marginFraction * 100, digits: 1))%)" } ?? "not reached in the grid",
                            verdict: balanceVerdict(balance)))
        let full = ablation.conditions[0]
        let worst = ablation.conditions.dropFirst().max { $0.meanLoss(Finetunes.mainSet) < $1.meanLoss(Finetunes.mainSet) }
        rows.append(Verdict(claim: "Removing the reward hurts most (ablation)", source: "R", paper: "+0.030 / +0.051",
                            ours: worst.map { "\($0.name): \(Table.number($0.meanLoss(Finetunes.mainSet) - full.meanLoss(Finetunes.mainSet)))" } ?? "no indicator to drop",
                            verdict: worst == nil ? "not comparable" : worst!.name == "without reward" ? "agrees" : fit.rule.indicators.contains("reward") ? "disagrees" : "not comparable"))
        for v in variants.variants {
            let selected = v.selected.losses(Finetunes.mainSet), random = v.random.losses(Finetunes.mainSet)
            let wins = Sample.mean(selected) < Sample.mean(random)
            let p = try Welch.test(selected, random).p
            rows.append(Verdict(claim: "Selected beats random: \(v.name)", source: "R", paper: "holds for LLaMA-1-7B, 13B; tiny for LoRA",
                                ours: "\(wins ? "selected lower" : "random lower or equal") (\(welchText(p)))",
                                verdict: wins ? significance("agrees in direction", p) : "disagrees"))
        }
        return try StepOutput(payload: rows)
            .table(Table(title: "Paper vs workbench, claim by claim", columns: ["claim", "source", "paper", "ours", "verdict"],
                         rows: rows.map { [$0.claim, $0.source, $0.paper, $0.ours, $0.verdict] },
                         note: "Source P: the paper's abstract; R: quoted by reviews (approximate). Our base model is \(try baseModelDescription(context)), not LLaMA-2-7B: absolute losses are never comparable, directions and shapes are."))
    }

    /// "Welch p = 0.090" or "Welch p < 0.001": the two-sided test of the main set's losses over the seeds.
    private static func welchText(_ p: Double) -> String { "Welch " + Table.pStatement(p) }

    /// A verdict in the claim's direction, qualified when the difference is not significant at 0.05.
    private static func significance(_ verdict: String, _ p: Double) -> String {
        p < 0.05 ? verdict : verdict + ", not significant"
    }

    /// A balance point at the grid's largest size is weak evidence; at its smallest, selected and random are
    /// equivalent everywhere, so there is no size below it where selection helped, which the claim presumes.
    private static func balanceVerdict(_ balance: BalancePayload) -> String {
        guard let size = balance.main.balanceSize else { return "not shown" }
        if Int(size) == balance.largestSize { return "only at the largest size tested" }
        if size == balance.main.rows.first?.size { return "vacuous: equivalent from the smallest size tested" }
        return "agrees"
    }

    /// What the profile's oracle finetunes, in words: the note under the table must name the model the verdicts rest on.
    private static func baseModelDescription(_ context: StepContext) throws -> String {
        let oracle = try OracleSpec(context.profile, models: context.modelsDirectory)
        return try oracle.finetunesWorkbenchModel(context)
            ? "MicroLM, a small GPT pretrained here (oracle backend \(oracle.backend))"
            : "\(oracle.fields["model"]?.stringValue ?? "the model") (oracle backend \(oracle.backend))"
    }
}

/// One row of the paper-vs-ours table.
struct Verdict: Codable {
    var claim: String
    var source: String
    var paper: String
    var ours: String
    /// agrees in direction, disagrees, not comparable (or a qualified form of these).
    var verdict: String
}
