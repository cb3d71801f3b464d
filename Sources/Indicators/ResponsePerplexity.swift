import Foundation

/// Response perplexity under the base language model, with and without the prompt, and IFD (Cherry LLM), from
/// whatever model scores token losses.
///
/// The model side is a closure, so this module does not depend on it: given the prompt (already in the finetuning
/// template, or empty for the unconditional case) and the response, it returns the summed negative log-likelihood
/// (natural log) of the response tokens and how many there are.
///
/// ```swift
/// let ppl = ResponsePerplexity(modelHash: microLM.weightsHash) { prompt, response in
///     microLM.responseNLL(prompt: prompt, response: response)      // (sum: Double, tokens: Int)
/// }
/// let scores = try ppl.measure(prompt: template.prompt(for: example), response: example.response)
/// scores.conditionalPerplexity; scores.ifd
/// ```
public struct ResponsePerplexity: Sendable {
    /// Summed NLL (nats) of the response tokens and their count.
    public struct NLL: Codable, Hashable, Sendable {
        public var sum: Double
        public var tokens: Int
        public init(sum: Double, tokens: Int) { self.sum = sum; self.tokens = tokens }
        /// Mean loss per token.
        public var mean: Double { sum / Double(tokens) }
    }

    public typealias Scorer = @Sendable (_ prompt: String, _ response: String) throws -> NLL

    public let modelHash: String
    private let conditional: Scorer
    private let unconditional: Scorer

    /// Separate scorers, for models whose unconditional scoring is not "the same with an empty prompt".
    public init(modelHash: String, conditional: @escaping Scorer, unconditional: @escaping Scorer) {
        self.modelHash = modelHash
        self.conditional = conditional
        self.unconditional = unconditional
    }

    /// One scorer; the unconditional loss is the same scorer with an empty prompt.
    public init(modelHash: String, scorer: @escaping Scorer) {
        self.init(modelHash: modelHash, conditional: scorer, unconditional: { _, response in try scorer("", response) })
    }

    public struct Scores: Codable, Hashable, Sendable {
        public var conditionalLoss: Double
        public var unconditionalLoss: Double
        public var responseTokens: Int
        /// `exp(mean conditional loss)`.
        public var conditionalPerplexity: Double { Foundation.exp(conditionalLoss) }
        /// `exp(mean unconditional loss)`.
        public var unconditionalPerplexity: Double { Foundation.exp(unconditionalLoss) }
        /// Instruction-following difficulty: conditional loss / unconditional loss (> 1: the prompt does not help).
        public var ifd: Double { conditionalLoss / unconditionalLoss }
    }

    public enum ScoringError: Error, CustomStringConvertible, Equatable {
        case noResponseTokens
        case tokenCountsDiffer(conditional: Int, unconditional: Int)
        case nonFinite(String)

        public var description: String {
            switch self {
            case .noResponseTokens: "the response has no tokens to score"
            case .tokenCountsDiffer(let c, let u):
                "the scorer counted \(c) response tokens with the prompt but \(u) without: the two losses are not over the same tokens"
            case .nonFinite(let what): "the \(what) loss is not finite"
            }
        }
    }

    public func measure(prompt: String, response: String) throws -> Scores {
        let withPrompt = try conditional(prompt, response)
        let without = try unconditional("", response)
        guard withPrompt.tokens > 0, without.tokens > 0 else { throw ScoringError.noResponseTokens }
        guard withPrompt.tokens == without.tokens else {
            throw ScoringError.tokenCountsDiffer(conditional: withPrompt.tokens, unconditional: without.tokens)
        }
        guard withPrompt.mean.isFinite else { throw ScoringError.nonFinite("conditional") }
        guard without.mean.isFinite else { throw ScoringError.nonFinite("unconditional") }
        return Scores(conditionalLoss: withPrompt.mean, unconditionalLoss: without.mean, responseTokens: withPrompt.tokens)
    }

    /// The variants the three values are stored under (`ppl_conditional`, `ppl_unconditional`, `ifd`).
    public func variants(template: String, tokenizer: String) -> (conditional: IndicatorVariant, unconditional: IndicatorVariant, ifd: IndicatorVariant) {
        func variant(_ name: String) -> IndicatorVariant {
            IndicatorVariant(name: name, parameters: ["template": template], textField: .instructionInputResponse,
                             tokenizer: tokenizer, modelHash: modelHash)
        }
        return (variant("ppl_conditional"), variant("ppl_unconditional"), variant("ifd"))
    }
}
