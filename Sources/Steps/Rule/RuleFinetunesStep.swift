import Core
import Corpus
import Foundation
import Stats
import Workbench

struct RuleFinetunesPayload: Codable {
    var outcomes: [FinetuneOutcome]
}

/// Finetunes the base model on every rule-fitting subset and measures its loss on both evaluation sets.
enum RuleFinetunesStep: FinetuningStep {
    static let name = "rule.finetunes"
    static let version = 1
    static let summary = "Finetunes the base model on each mixed subset (resumable: finished jobs are read back)."
    static let inputs = StepInputs.reads(PoolsStep.self, PretrainStep.self, SubsetsStep.self)
    static let profileKeys = ["finetune", "rule_fit.pool_size"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let design = try context.input(SubsetsStep.self, as: SubsetsPayload.self)
        let byID = Dictionary(try SelectionPool.ruleFit(context, pools: pools).examples.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let finetunes = try Finetunes(context, pools: pools)
        let requests = try design.subsets.map { subset in
            FinetuneRequest(label: "subset \(subset.index)", subset: try subset.exampleIDs.map { id in
                guard let example = byID[id] else { throw StepError.failed(step: name, "subset \(subset.index) names an example not in \(design.pool)") }
                return example
            }, seed: context.seed &+ UInt64(subset.index))
        }
        let outcomes = try finetunes.run(requests, label: "rule-fit finetunes")
        let main = outcomes.map { $0.losses[Finetunes.mainSet] ?? .nan }
        let held = outcomes.map { $0.losses[Finetunes.heldOutSet] ?? .nan }
        func describe(_ xs: [Double]) -> [String] {
            [Table.number(xs.min() ?? .nan), Table.number(Sample.mean(xs)), Table.number(xs.max() ?? .nan), Table.number(Sample.standardDeviation(xs))]
        }
        let figure = FigureSpec(name: "subset-losses", title: "Eval loss of each rule-fitting finetune",
                                xLabel: "self-instruct loss (main target)", yLabel: "MT-Bench + Vicuna loss (held out)",
                                series: [.init("subsets", kind: .points, points: zip(main, held).map { .init(x: $0, y: $1) })])
        return try StepOutput(payload: RuleFinetunesPayload(outcomes: outcomes))
            .table(Table(title: "Finetuned eval loss over \(outcomes.count) subsets", columns: ["set", "min", "mean", "max", "sd"],
                         rows: [[Finetunes.mainSet] + describe(main), [Finetunes.heldOutSet] + describe(held)]))
            .figure(figure)
    }
}
