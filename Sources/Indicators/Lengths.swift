/// Input and output length, in words and in tokens: the paper's two length indicators.
///
/// The input is the prompt's content (instruction, then a newline and the input when there is one); the output is
/// the response. Tokens come from whatever tokenizer the workbench finetunes with, passed as a counting closure so
/// this module does not depend on it:
///
/// ```swift
/// let lengths = LengthIndicators(tokenizerID: "bpe:\(vocabularyHash)") { tokenizer.encode($0).count }
/// let counts = lengths.measure(instruction: e.instruction, input: e.input, response: e.response)
/// ```
/// Words are ``MTLDTokenization/words`` tokens: runs of letters, marks and numbers, so punctuation, bullets and
/// markup are not words.
public struct LengthIndicators: Sendable {
    /// Names the tokenizer (and its vocabulary's hash) in the stored variants.
    public let tokenizerID: String
    private let countTokens: @Sendable (String) -> Int

    public init(tokenizerID: String, countTokens: @escaping @Sendable (String) -> Int) {
        self.tokenizerID = tokenizerID
        self.countTokens = countTokens
    }

    public struct Counts: Codable, Hashable, Sendable {
        public var inputWords: Int
        public var inputTokens: Int
        public var outputWords: Int
        public var outputTokens: Int
    }

    public func measure(instruction: String, input: String, response: String) -> Counts {
        let prompt = IndicatorVariant.text(instruction: instruction, input: input, response: response, field: .instructionInput)
        return Counts(inputWords: Self.words(in: prompt), inputTokens: countTokens(prompt),
                      outputWords: Self.words(in: response), outputTokens: countTokens(response))
    }

    /// The number of ``MTLDTokenization/words`` tokens in `text`.
    public static func words(in text: String) -> Int { MTLDTokenization.wordCount(text) }

    /// The four variants these counts are stored under (`input_length` / `output_length`, unit words or tokens).
    public var variants: (inputWords: IndicatorVariant, inputTokens: IndicatorVariant,
                          outputWords: IndicatorVariant, outputTokens: IndicatorVariant) {
        let words = MTLDTokenization.words.identifier
        return (IndicatorVariant(name: "input_length", parameters: ["unit": "words"], textField: .instructionInput, tokenizer: words),
                IndicatorVariant(name: "input_length", parameters: ["unit": "tokens"], textField: .instructionInput, tokenizer: tokenizerID),
                IndicatorVariant(name: "output_length", parameters: ["unit": "words"], textField: .response, tokenizer: words),
                IndicatorVariant(name: "output_length", parameters: ["unit": "tokens"], textField: .response, tokenizer: tokenizerID))
    }
}
