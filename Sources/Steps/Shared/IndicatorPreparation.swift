import Core
import Corpus
import Foundation
import Indicators
import Neural
import Workbench

extension IndicatorInputs {
    /// What `catalog` needs for `examples`, prepared once from the cell's inputs: token counts under the base
    /// model's BPE, MiniLM embeddings, the `indicators.lm` scorer's response losses, and the reward model.
    ///
    /// The first `referenceCount` examples are KNN-i's reference pool, called `referenceLabel` in descriptions.
    static func prepare(_ catalog: IndicatorCatalog, examples: [Example], referenceCount: Int, referenceLabel: String,
                        context: StepContext) throws -> IndicatorInputs {
        let needs = catalog.needs
        var inputs = IndicatorInputs(examples: examples)
        let tokenizerID = "bpe:\(try context.input(TokenizerStep.self, as: TokenizerPayload.self).digest)"
        let base = try context.input(PretrainStep.self, as: BaseModelPayload.self)
        if needs.contains(.tokens) {
            let tokenizer = try context.checkpoint(base.checkpoint).tokenizer
            inputs.tokens = Tokens(id: tokenizerID) { tokenizer.encode($0).count }
        }
        let encoder = needs.isDisjoint(with: [.embeddings, .reward]) ? nil : try SentenceEncoder.load(context)
        if needs.contains(.embeddings), let encoder {
            let texts = examples.map { EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response) }
            let progress = context.progress("MiniLM embeddings", total: texts.count)
            let matrix = encoder.embed(texts, progress: progress)
            progress.finish()
            let referenceIDs = examples.prefix(referenceCount).map(\.id).joined(separator: "\n")
            inputs.embeddings = Embeddings(matrix: matrix, encoderDigest: try encoder.weightsDigest, maxTokens: encoder.maxSequenceLength,
                                           referenceCount: referenceCount, referencePool: "\(referenceLabel) sample \(SHA256.hex(referenceIDs))",
                                           referenceLabel: referenceLabel)
        }
        if needs.contains(.languageModel) {
            let backend = try ScoringLMs.backendName(try context.profile.value("indicators.lm"), file: context.profile.profile.file)
            let scorer = try ScoringLMs.scorer(context, base: base)
            inputs.languageModel = LanguageModelScores(scores: scorer.scores(examples), modelHash: scorer.modelHash, tokenizer: tokenizerID,
                                                       template: "alpaca", modelLabel: backend == "microlm" ? "base model" : "indicators.lm \(backend)")
        }
        if needs.contains(.judge) { inputs.judge = try ScoringLMs.judge(context) }
        let reward = needs.isDisjoint(with: [.reward, .rewardLM]) ? nil : try RewardRef(context)
        if needs.contains(.reward), let encoder, let reward {
            inputs.reward = Reward(model: reward.model, digest: reward.digest, encoder: encoder)
        }
        if needs.contains(.rewardLM), let reward {
            guard let trained = reward.languageModel, let backbone = try ScoringLMs.rewardBackbone(context.profile, models: context.modelsDirectory) else {
                throw StepError.failed(step: context.stepName, "reward_lm needs the reward-model cell's language-model head, which it trains only when indicators.lm is a GGUF model")
            }
            inputs.rewardLM = RewardLM(model: trained.model, digest: trained.digest, backbone: backbone)
        }
        return inputs
    }
}
