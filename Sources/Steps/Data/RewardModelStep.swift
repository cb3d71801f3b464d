import Core
import Corpus
import Foundation
import Indicators
import Neural
import Workbench

/// Adapter between the steps and the reward model of the `indicators.reward-model` cell a step uses.
struct RewardRef {
    let variant: IndicatorVariant
    init(_ context: StepContext) throws {
        throw StepError.failed(step: context.stepName, "reward model not wired yet")
    }
    func score(_ examples: [Example], embeddings: EmbeddingMatrix, encoder: MiniLMEncoder) throws -> [Double] { [] }
}
