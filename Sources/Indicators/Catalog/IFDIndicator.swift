/// Instruction-following difficulty (Cherry LLM, Li et al. 2023), as `docs/indicators.md` defines it: the mean
/// response loss given the prompt over the mean response loss alone (``ResponseScore/ifd``); above 1 the prompt does
/// not help the model predict the response.
///
/// Its variant carries `ratio: mean_loss`: values stored before this indicator existed were the ratio of the
/// perplexities under a variant without it, so the two can never be mixed up.
public struct IFDIndicator: Indicator {
    public let name = "ifd"
    public let needs: Set<IndicatorNeed> = [.languageModel]
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let lm = try inputs.required(inputs.languageModel, .languageModel, by: name)
        return IndicatorColumn(variant: lm.variant(named: "ifd", parameters: ["ratio": "mean_loss"]),
                               description: "IFD: mean conditional / mean unconditional response loss (\(lm.modelLabel))",
                               values: lm.scores.map(\.ifd))
    }
}
