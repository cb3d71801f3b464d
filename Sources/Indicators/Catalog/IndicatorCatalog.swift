/// The indicators a computation runs, in the order tables and the rule's design list them.
///
/// ``paper(knnI:)`` is the reproduction's catalog, one line per indicator. Adding an indicator is one file (a type
/// conforming to ``Indicator``) and one line here, or ``adding(_:)`` for a catalog of one's own.
public struct IndicatorCatalog: Sendable {
    public let entries: [any Indicator]

    /// A catalog of `entries`; names must be unique (they are the rule's regressors).
    public init(_ entries: [any Indicator]) {
        var seen: Set<String> = []
        for entry in entries { precondition(seen.insert(entry.name).inserted, "two indicators are named '\(entry.name)'") }
        self.entries = entries
    }

    /// InstructMining's indicators as the workbench computes them, in the order its tables and rule use; with
    /// `judge`, also the v2 rule's naturalness, coherence and understandability as a language-model judge answers
    /// UniEval's questions (``JudgeIndicator``), and with `rewardLM` the reward head on a real language model's
    /// hidden states (``RewardLMIndicator``, listed after `reward`). Both need a real instruction-tuned model, so a
    /// caller asks for them only when it has one.
    public static func paper(knnI: Int, judge: Bool = false, rewardLM: Bool = false) -> IndicatorCatalog {
        IndicatorCatalog([
            InputLengthIndicator(),
            OutputLengthIndicator(),
            MTLDIndicator(),
            KNNIndicator(i: knnI),
            ResponsePerplexityIndicator(),
            IFDIndicator(),
            RewardIndicator(),
        ] + (rewardLM ? [RewardLMIndicator()] : []) + (judge ? JudgeIndicator.all : []))
    }

    /// This catalog with `indicator` appended.
    public func adding(_ indicator: any Indicator) -> IndicatorCatalog { IndicatorCatalog(entries + [indicator]) }

    /// The entries' names, in order.
    public var names: [String] { entries.map(\.name) }

    /// Everything some entry needs: what a computation over this catalog must prepare.
    public var needs: Set<IndicatorNeed> { entries.reduce(into: []) { $0.formUnion($1.needs) } }
}
