import Core
import Corpus

/// One indicator's values for a batch of examples, ready for ``Store/putIndicatorValues(_:variant:)``, and the
/// examples it defines no value for (reported, never dropped silently).
public struct IndicatorBatch: Sendable {
    public var variant: IndicatorVariant
    public var values: [IndicatorValue]
    /// Examples without a value (e.g. MTLD of a response with no word), by id.
    public var undefined: [String]
}

extension MTLD {
    /// MTLD of every example's `textField`, flagged `short` under ``shortTextTokens`` tokens.
    public func batch(_ examples: [Example], textField: IndicatorVariant.TextField = .response,
                      progress: Progress? = nil) -> IndicatorBatch {
        let meter = MTLDMeter(self)
        var values: [IndicatorValue] = [], undefined: [String] = []
        values.reserveCapacity(examples.count)
        for example in examples {
            let text = IndicatorVariant.text(instruction: example.instruction, input: example.input, response: example.response,
                                             field: textField)
            let result = meter.measure(text)
            if let value = result.value {
                values.append(IndicatorValue(exampleID: example.id, value: value, flag: result.flag))
            } else {
                undefined.append(example.id)
            }
            progress?.advance()
        }
        return IndicatorBatch(variant: .mtld(self, textField: textField), values: values, undefined: undefined)
    }
}

extension LengthIndicators {
    /// The four length indicators of every example (input/output × words/tokens).
    public func batches(_ examples: [Example], progress: Progress? = nil) -> [IndicatorBatch] {
        var inputWords: [IndicatorValue] = [], inputTokens: [IndicatorValue] = []
        var outputWords: [IndicatorValue] = [], outputTokens: [IndicatorValue] = []
        for example in examples {
            let counts = measure(instruction: example.instruction, input: example.input, response: example.response)
            inputWords.append(IndicatorValue(exampleID: example.id, value: Double(counts.inputWords)))
            inputTokens.append(IndicatorValue(exampleID: example.id, value: Double(counts.inputTokens)))
            outputWords.append(IndicatorValue(exampleID: example.id, value: Double(counts.outputWords)))
            outputTokens.append(IndicatorValue(exampleID: example.id, value: Double(counts.outputTokens)))
            progress?.advance()
        }
        let v = variants
        return [IndicatorBatch(variant: v.inputWords, values: inputWords, undefined: []),
                IndicatorBatch(variant: v.inputTokens, values: inputTokens, undefined: []),
                IndicatorBatch(variant: v.outputWords, values: outputWords, undefined: []),
                IndicatorBatch(variant: v.outputTokens, values: outputTokens, undefined: [])]
    }
}
