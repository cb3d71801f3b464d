/// Input length: tokens of the prompt's content (instruction, then a newline and the input when there is one),
/// under the finetuned model's tokenizer.
public struct InputLengthIndicator: Indicator {
    public let name = "input_length"
    public let needs: Set<IndicatorNeed> = [.tokens]
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let tokens = try inputs.required(inputs.tokens, .tokens, by: name)
        let lengths = LengthIndicators(tokenizerID: tokens.id, countTokens: tokens.count)
        return IndicatorColumn(variant: lengths.variants.inputTokens, description: "tokens of instruction + input",
                               values: tokens.counts(inputs.examples.map {
                                   IndicatorVariant.text(instruction: $0.instruction, input: $0.input, response: $0.response, field: .instructionInput)
                               }).map(Double.init))
    }
}
