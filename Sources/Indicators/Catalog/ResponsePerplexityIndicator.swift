import Foundation

/// Response perplexity given the prompt: exp(mean NLL of the response tokens given the prompt in the template)
/// under the language-model scorer (by default the workbench's base model).
public struct ResponsePerplexityIndicator: Indicator {
    public let name = "ppl"
    public let needs: Set<IndicatorNeed> = [.languageModel]
    /// Perplexity filters keep the responses a language model finds most predictable (the fluent ones).
    public let qualityDirection: QualityDirection? = .lowerIsBetter
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let lm = try inputs.required(inputs.languageModel, .languageModel, by: name)
        return IndicatorColumn(variant: lm.variant(named: "ppl_conditional"),
                               description: "response perplexity given the prompt (\(lm.modelLabel))",
                               values: lm.scores.map(\.conditionalPerplexity))
    }
}

extension IndicatorInputs.LanguageModelScores {
    /// The variant of a value computed from these scores: the template, the scorer's tokenizer and model.
    public func variant(named name: String, parameters: [String: String] = [:]) -> IndicatorVariant {
        IndicatorVariant(name: name, parameters: parameters.merging(["template": template]) { a, _ in a },
                         textField: .instructionInputResponse, tokenizer: tokenizer, modelHash: modelHash)
    }
}
