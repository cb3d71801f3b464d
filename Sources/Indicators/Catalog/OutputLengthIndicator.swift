/// Output length: tokens of the response under the finetuned model's tokenizer.
public struct OutputLengthIndicator: Indicator {
    public let name = "output_length"
    public let needs: Set<IndicatorNeed> = [.tokens]
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let tokens = try inputs.required(inputs.tokens, .tokens, by: name)
        let lengths = LengthIndicators(tokenizerID: tokens.id, countTokens: tokens.count)
        return IndicatorColumn(variant: lengths.variants.outputTokens, description: "tokens of the response",
                               values: tokens.counts(inputs.examples.map(\.response)).map(Double.init))
    }
}
