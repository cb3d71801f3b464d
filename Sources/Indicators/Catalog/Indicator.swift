import Corpus

/// One per-example quality indicator: its short name, what it reads, and how it computes its values.
///
/// Every indicator the workbench knows is one file that conforms to this protocol, plus one line in
/// ``IndicatorCatalog``. The indicators cell, the indicator audit and the rule all iterate the catalog, so a new
/// indicator needs nothing else:
///
/// ```swift
/// struct ResponseWords: Indicator {
///     let name = "response_words"
///     let needs: Set<IndicatorNeed> = []                  // the examples' text is always there
///     func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn {
///         IndicatorColumn(variant: IndicatorVariant(name: name, textField: .response, tokenizer: "imine-words-1"),
///                         description: "words of the response",
///                         values: inputs.examples.map { Double(LengthIndicators.words(in: $0.response)) })
///     }
/// }
/// let catalog = IndicatorCatalog.paper(knnI: 6).adding(ResponseWords())
/// ```
public protocol Indicator: Sendable {
    /// The short name the rule uses as a regressor and tables show: `input_length`, `knn6`, `ifd`.
    var name: String { get }
    /// What the cell must prepare besides the examples' text (the union over the catalog is prepared once).
    var needs: Set<IndicatorNeed> { get }
    /// The value stored, flagged, for an example the indicator defines no value for (MTLD of a response without
    /// words: 0). Nil, the default: such an example is an error when values are stored.
    var storedWhenUndefined: Double? { get }
    /// The direction in which the indicator's source claims quality goes; nil (the default) for none claimed.
    var qualityDirection: QualityDirection? { get }
    /// One value per example of `inputs`, in order, with the exact variant they are stored under.
    func compute(_ inputs: IndicatorInputs) throws -> IndicatorColumn
}

extension Indicator {
    public var storedWhenUndefined: Double? { nil }
    public var qualityDirection: QualityDirection? { nil }
}

/// What an indicator reads besides the text, shared by every indicator in one computation.
public enum IndicatorNeed: String, Sendable, CaseIterable {
    /// Token counts under the tokenizer of the model that is finetuned.
    case tokens
    /// all-MiniLM-L6-v2 embeddings of instruction + input + response, and the reference rows KNN-i searches.
    case embeddings
    /// Response losses with and without the prompt under a language-model scorer (``ResponseScore``).
    case languageModel
    /// A trained reward model and the sentence encoder it reads through.
    case reward
    /// A reward model trained on a real language model's hidden states, and that model (``IndicatorInputs/RewardLM``).
    case rewardLM
    /// An instruction-tuned language model that answers Boolean questions (``IndicatorInputs/Judge``).
    case judge
}

/// One indicator's values over a batch of examples.
public struct IndicatorColumn: Sendable {
    /// Exactly which indicator the values are: a change of tokenizer, model or parameter is a new variant.
    public var variant: IndicatorVariant
    /// What the value is, in words (tables show it; it must say exactly what was computed).
    public var description: String
    /// One per example; nil where the indicator defines no value.
    public var values: [Double?]
    /// A caveat per example (e.g. MTLD's `short`), or nil for none.
    public var flags: [String?]

    public init(variant: IndicatorVariant, description: String, values: [Double?], flags: [String?]? = nil) {
        precondition(flags == nil || flags!.count == values.count, "one flag per value")
        (self.variant, self.description, self.values) = (variant, description, values)
        self.flags = flags ?? Array(repeating: nil, count: values.count)
    }
}
