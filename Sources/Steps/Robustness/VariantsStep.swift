import Core
import Corpus
import Foundation
import Stats
import Workbench

struct VariantsPayload: Codable {
    struct Variant: Codable {
        var name: String
        var selected: [FinetuneOutcome]
        var random: [FinetuneOutcome]
    }
    /// MicroLM's larger base model (nil under a GGUF oracle, whose `model_large` is a file).
    var largeBase: BaseModelPayload?
    var variants: [Variant]
}

/// Selected vs random under a larger base model (the 7B/13B analogue), a partial finetune of the last block only
/// (the LoRA analogue), and on another evaluation set (text-davinci-003's answers to the 252 instructions).
enum VariantsStep: FinetuningStep {
    static let name = "robustness.variants"
    static let version = 1
    static let summary = "Rule top k vs random k under a larger base model, a partial finetune and another evaluation set."
    static let inputs = StepInputs.reads(PoolsStep.self, IndicatorsStep.self, PretrainStep.self, TokenizerStep.self, RuleFitStep.self)
    static let profileKeys = ["model", "model_large", "pretrain", "selection", "sweep.seeds", "finetune"]
    static let otherSet = "eval-text-davinci-003"

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let fitted = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let pool = try SelectionPool(context, pools: pools)
        let k = try context.profile.int("selection.top_k"), seeds = try context.profile.int("sweep.seeds")
        let top = Array(try pool.ranked(by: fitted.rule, table: try IndicatorTable(context)).prefix(k))
        let probes = try pools.pool("probes").examples.filter { $0.source.contains("text-davinci-003") }
        guard !probes.isEmpty else { throw StepError.failed(step: name, "the probes pool has no text-davinci-003 answers") }
        let base = try context.input(PretrainStep.self, as: BaseModelPayload.self)
        let oracle = try OracleSpec(context.profile, models: context.modelsDirectory)
        var large: BaseModelPayload?
        // (label, larger base?, MicroLM blocks to train, oracle): a GGUF oracle's larger base is its `model_large`
        // and its partial finetune is real LoRA; MicroLM pretrains its larger base and trains its last block.
        let settings: [(String, Bool, [Int]?, OracleSpec)]
        if let gguf = try oracle.gguf(), let lora = try oracle.replacingGGUFMode(.lora(rank: 8, alpha: 16)) {
            guard let largeModel = try oracle.gguf(large: true) else { throw oracle.missingLarge }
            settings = [("base model (reference, \(gguf.model), \(gguf.mode))", false, nil, oracle),
                        ("larger base model (\(largeModel.model), \(largeModel.mode))", true, nil, oracle),
                        ("LoRA finetune (\(gguf.model), r = 8, alpha = 16)", false, nil, lora)]
        } else {
            let (pretrained, _) = try PretrainStep.pretrain(context, section: "model_large")
            large = pretrained
            settings = [("base model (reference)", false, nil, oracle),
                        ("larger base model (\(pretrained.config.layers) layers, d = \(pretrained.config.dModel))", true, nil, oracle),
                        ("partial finetune: last block only (LoRA analogue)", false, [base.config.layers - 1], oracle)]
        }
        var variants: [VariantsPayload.Variant] = []
        for (label, isLarge, trainable, oracle) in settings {
            let finetunes = try Finetunes(context, pools: pools, baseDigest: isLarge ? large?.checkpoint : nil, large: isLarge,
                                          extraSets: [otherSet: probes], oracle: oracle)
            let selected = try finetunes.run((0..<seeds).map { FinetuneRequest(label: label, subset: top, seed: context.seed &+ UInt64($0), trainableLayers: trainable) },
                                             label: "\(label): selected")
            let random = try finetunes.run((0..<seeds).map { s in
                FinetuneRequest(label: label, subset: pool.random(k, seed: context.seed &+ UInt64(s), stream: "random-\(k)"), seed: context.seed &+ UInt64(s),
                                trainableLayers: trainable)
            }, label: "\(label): random")
            variants.append(.init(name: label, selected: selected, random: random))
        }
        let sets = [Finetunes.mainSet, Finetunes.heldOutSet, otherSet]
        let rows = variants.map { v in
            [v.name] + sets.map { set in
                Table.number(Sample.mean(v.selected.losses(set))) + " vs " + Table.number(Sample.mean(v.random.losses(set)))
            }
        }
        let agreements = variants.map { v in sets.filter { set in Sample.mean(v.selected.losses(set)) < Sample.mean(v.random.losses(set)) }.count }
        var output = try StepOutput(payload: VariantsPayload(largeBase: large, variants: variants))
            .table(Table(title: "Selected top \(k) vs random \(k) (mean over \(seeds) seeds; lower is better)",
                         columns: ["setting", "self-instruct", "MT-Bench + Vicuna", "text-davinci-003 answers"], rows: rows,
                         note: "The paper (R), selected vs random 1K: LLaMA-1-7B 1.013 vs 1.056; LLaMA-2-13B 0.8748 vs 0.8983; LoRA 1.0698 vs 1.0700 (self-instruct). The Koala, WizardLM and LIMA test sets have prompts but no reference answers, so no loss can be computed on them."))
            .text("Selected beats random on \(agreements.map(String.init).joined(separator: ", ")) of \(sets.count) evaluation sets for the settings above, in order.")
        if let large { output = output.modelHash("large-base-microlm", large.checkpoint) }
        return output
    }
}
