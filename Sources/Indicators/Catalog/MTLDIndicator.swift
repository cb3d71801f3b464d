/// MTLD of the response as lexicalrichness 0.5.1 computes it (the paper's package).
///
/// A response with no word tokens (code, numbers only) has no MTLD: it is stored as 0 flagged `no-words`, and the
/// description counts such examples, so they are visible rather than silently dropped.
public struct MTLDIndicator: Indicator {
    public let name = "mtld"
    public let needs: Set<IndicatorNeed> = []
    public let storedWhenUndefined: Double? = 0
    public init() {}

    public func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
        let meter = MTLDMeter(.lexicalRichness)
        let measured = inputs.examples.map { meter.measure($0.response) }
        let undefined = measured.filter { $0.value == nil }.count
        return IndicatorColumn(variant: .mtld(.lexicalRichness),
                               description: "MTLD of the response (lexicalrichness); \(undefined) without words stored as 0",
                               values: measured.map(\.value), flags: measured.map { $0.value == nil ? "no-words" : $0.flag })
    }
}
