import Core
import Corpus
import Foundation
import Stats
import Workbench

struct SelectionCondition: Codable {
    var name: String
    var size: Int
    /// One finetune per seed.
    var outcomes: [FinetuneOutcome]

    /// The mean loss over seeds on one evaluation set.
    func meanLoss(_ set: String) -> Double { Sample.mean(outcomes.losses(set)) }
}

struct SelectionPayload: Codable {
    var poolSize: Int
    var conditions: [SelectionCondition]
    /// Artifact digest of the rule's top k as Alpaca JSON.
    var topKExport: String
}

/// The analogue of the paper's Table 2: the rule's top k against random data and the baselines, over seeds.
enum SelectionCompareStep: FinetuningStep {
    static let name = "selection.compare"
    static let version = 7  // 6: the paper's v2 rule beside v1 when the judge indicators exist; 7: p < 0.001 printed as such, not 0.000
    static let summary = "Finetunes the rule's top k, random k, larger random sets, the searched k and baselines over seeds."
    static let inputs = StepInputs.reads(PoolsStep.self, IndicatorsStep.self, PretrainStep.self, RuleFitStep.self, SubsetSizeSearchStep.self)
    static let profileKeys = ["selection", "sweep.seeds", "finetune"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let fitted = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let search = try? context.input(SubsetSizeSearchStep.self, as: SearchPayload.self)
        let table = try IndicatorTable(context)
        let pool = try SelectionPool(context, pools: pools)
        let ranking = try pool.ranked(by: fitted.rule, table: table)
        let k = try context.profile.int("selection.top_k")
        let seeds = try context.profile.int("sweep.seeds")
        let n = pool.examples.count

        // Each condition: how to pick the subset for a given seed.
        var conditions: [(String, (UInt64) throws -> [Example])] = [
            ("rule top \(k)", { _ in Array(ranking.prefix(k)) }),
            ("random \(k)", { seed in pool.random(k, seed: seed, stream: "random-\(k)") }),
            ("random \(n / 5) (20%)", { seed in pool.random(n / 5, seed: seed, stream: "random-\(n / 5)") }),
            ("random \(n * 9 / 10) (90%)", { seed in pool.random(n * 9 / 10, seed: seed, stream: "random-\(n * 9 / 10)") }),
        ]
        if let search { conditions.append(("\(search.searcherLabel) k = \(search.bestK)", { _ in Array(ranking.prefix(search.bestK)) })) }
        let reference = try PaperReference.load()
        var notes: [String] = []
        if let v1 = reference.rule("v1", available: table.names) {
            let ranked = try pool.ranked(by: v1, table: table)
            conditions.append(("paper v1 rule top \(k)", { _ in Array(ranked.prefix(k)) }))
            notes.append("The paper's v1 rule is applied with its published coefficients to our indicators (our reward model's scale differs from OpenAssistant's, so this tests the rule as published, not as refitted).")
        }
        if let v2 = reference.rule("v2", available: table.names) {
            let ranked = try pool.ranked(by: v2, table: table)
            conditions.append(("paper v2 rule top \(k)", { _ in Array(ranked.prefix(k)) }))
            notes.append("The paper's v2 rule (Rew, Und, Nat, Coh) is applied with its published coefficients; its naturalness, coherence and understandability are \(v2.coefficients.keys.contains { $0.hasPrefix("judge_") } ? "our judge_* indicators (UniEval's questions put to the indicators.lm model, not UniEval's T5)" : "UniEval's")).")
        } else {
            notes.append("The paper's v2 rule was not computed: it needs naturalness, coherence and understandability, which come from indicators.lm as judge (set indicators.lm to a real GGUF model, as the real profiles do).")
        }
        if table.names.contains("output_length") {
            let longest = try pool.ranked { -(try table.value("output_length", $0.id)) }
            conditions.append(("longest \(k) (length only)", { _ in Array(longest.prefix(k)) }))
        }
        if table.names.contains("reward") {
            let rewarded = try pool.ranked { -(try table.value("reward", $0.id)) }
            conditions.append(("top \(k) by reward only", { _ in Array(rewarded.prefix(k)) }))
        }
        for (label, marker) in [("AlpaGasus-filtered", "alpagasus"), ("Cherry-filtered", "cherry")] {
            let members = pool.examples.filter { $0.source.lowercased().contains(marker) }
            if members.count >= k {
                conditions.append(("\(label) random \(k)", { seed in
                    var random = SeededRandom(seed: seed, stream: "\(marker)-\(k)")
                    return random.sample(k, from: members.count).sorted().map { members[$0] }
                }))
            }
        }
        let finetunes = try Finetunes(context, pools: pools)
        var requests: [FinetuneRequest] = []
        for (label, pick) in conditions {
            for s in 0..<seeds {
                let seed = context.seed &+ UInt64(s)
                requests.append(FinetuneRequest(label: label, subset: try pick(seed), seed: seed))
            }
        }
        let outcomes = try finetunes.run(requests, label: "selection finetunes")
        let grouped = conditions.enumerated().map { i, condition in
            SelectionCondition(name: condition.0, size: requests[i * seeds].subset.count, outcomes: Array(outcomes[(i * seeds)..<((i + 1) * seeds)]))
        }
        // The rule's top k, ready for LLaMA-Factory, axolotl or TRL: stored as an artifact and written under out/.
        let topK = Array(ranking.prefix(k))
        let export = try Export.data(topK, as: .alpaca)
        let exportDigest = try context.store.putArtifact(export, kind: "export.alpaca")
        let exportURL = URL(fileURLWithPath: "out/\(context.notebook)/rule-top-\(k).alpaca.json")
        try FileManager.default.createDirectory(at: exportURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        try export.write(to: exportURL, options: .atomic)
        let payload = SelectionPayload(poolSize: n, conditions: grouped, topKExport: exportDigest)
        let randomMain = grouped[1].outcomes.losses(Finetunes.mainSet)
        let rows = try grouped.map { condition -> [String] in
            let main = condition.outcomes.losses(Finetunes.mainSet)
            let held = condition.outcomes.losses(Finetunes.heldOutSet)
            let p = condition.name.hasPrefix("random \(k)") ? "—" : Table.pValue(try Welch.test(main, randomMain).p)
            return [condition.name, "\(condition.size)", Table.meanSD(main), Table.meanSD(held), p]
        }
        let paperRows: [[String]] = [("selected top 1K", "selected_top_1k"), ("random 1K", "random_1k"), ("random 20K", "random_20k"),
                                     ("random 90K", "random_90k"), ("BlendSearch (2,532)", "blendsearch_2532")].map { label, key in
            let values = reference.value("selection.losses.\(key)") as? [Any] ?? []
            let numbers = values.compactMap { ($0 as? Double) ?? ($0 as? Int).map(Double.init) }
            return [label, numbers.count == 2 ? Table.number(numbers[0], digits: 3) : "—", numbers.count == 2 ? Table.number(numbers[1], digits: 3) : "—"]
        }
        let ruleMain = grouped[0].meanLoss(Finetunes.mainSet)
        let ruleHeld = grouped[0].meanLoss(Finetunes.heldOutSet)
        let randomHeld = grouped[1].meanLoss(Finetunes.heldOutSet)
        let verdict = (ruleMain < Sample.mean(randomMain) && ruleHeld < randomHeld) ? "agrees in direction" :
            (ruleMain < Sample.mean(randomMain) || ruleHeld < randomHeld) ? "agrees on one evaluation set only" : "disagrees"
        let range = try FitRange.check([("rule top \(k)", topK), ("random \(k) (first seed)", pool.random(k, seed: context.seed, stream: "random-\(k)"))],
                                       rule: fitted.rule, fitted: fitted, table: table)
        let extrapolation = range.outside.isEmpty
            ? "The rule's top \(k) lies inside the range of the fitted subsets on every indicator of the rule."
            : "The rule's top \(k) lies outside the range of the fitted subsets on \(range.outside.joined(separator: ", ")): there the rule extrapolates, and its fit on mixed subsets does not vouch for its ranking."
        let bars = FigureSpec(name: "selection", title: "Eval loss by selection (mean ± sd over \(seeds) seeds)", xLabel: "", yLabel: "self-instruct loss",
                              series: [.init("self-instruct", kind: .bars, points: grouped.enumerated().map { i, c in
                                  let xs = c.outcomes.losses(Finetunes.mainSet)
                                  return .init(x: Double(i), y: Sample.mean(xs), error: Sample.standardDeviation(xs))
                              })],
                              xTickLabels: grouped.enumerated().map { .init(at: Double($0), label: $1.name) })
        return try StepOutput(payload: payload)
            .table(Table(title: "Selection from an unseen pool of \(n) (mean ± sd over \(seeds) finetune seeds)",
                         columns: ["data", "examples", "self-instruct loss", "MT-Bench + Vicuna loss", "Welch p vs random \(k)"], rows: rows,
                         note: "Random rows draw a new random subset for each seed, so their spread includes the data draw."))
            .table(Table(title: "The paper's Table 2 (LLaMA-2-7B, OpenOrca pool of 100,000; source R)", columns: ["data", "self-instruct loss", "MT-Bench loss"],
                         rows: paperRows))
            .text("**Claim: the rule's top \(k) beats random \(k) on both evaluation sets — \(verdict).** Ours: \(Table.number(ruleMain)) vs \(Table.number(Sample.mean(randomMain))) (self-instruct), \(Table.number(ruleHeld)) vs \(Table.number(randomHeld)) (held out).")
            .table(range.table)
            .text(extrapolation)
            .text(notes.joined(separator: " "))
            .text("The rule's top \(k) is exported as Alpaca JSON to `\(exportURL.path)` (artifact `\(exportDigest.prefix(12))`).")
            .figure(bars)
    }
}
