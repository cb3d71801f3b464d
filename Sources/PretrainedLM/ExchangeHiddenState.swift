import Core
import Foundation
import Neural

/// Reads a (prompt, response) exchange the way classic reward models do (OpenAssistant's Pythia RM, InstructGPT's):
/// the model's final-norm hidden state at the last token of the whole exchange, as its chat template writes it.
///
/// The exchange is one user turn (`prompt`) and one assistant turn (`response`), its pieces tokenised on their own
/// and the ids concatenated: `before` (template, special tokens parsed, BOS when the model adds one), the prompt
/// (plain text), `after` (template), the response (plain text), and the end of the assistant's turn (template). For
/// ChatML that is exactly `apply_chat_template([user, assistant])`; the last token is the turn's closing newline.
/// When the exchange exceeds `maxLength` tokens the prompt loses tokens from its start (the response is what is
/// judged, so its end always stays in), and a response that alone does not fit loses its own start.
///
/// ```swift
/// let reader = ExchangeHiddenState(model: model, maxLength: 256)
/// let states = reader.states(prompts: ["Say hi."], responses: ["Hi!"])   // one dModel-wide row per exchange
/// ```
public struct ExchangeHiddenState: Sendable {
    public let model: PretrainedModel
    public let maxLength: Int
    public let workers: Int

    public init(model: PretrainedModel, maxLength: Int, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.model = model
        self.maxLength = maxLength
        self.workers = max(1, workers)
    }

    /// Width of one state: the model's dModel.
    public var width: Int { model.weights.config.dModel }

    /// The token ids of one exchange, cut to `maxLength` as described above.
    public func tokens(prompt: String, response: String) -> [Int32] {
        let tokenizer = model.tokenizer, turn = model.template.userTurn
        let closing = model.template.format(instruction: "", response: "").response
        let before = tokenizer.encode(turn.before, addSpecial: true, parseSpecial: true)
        let after = tokenizer.encode(turn.after, addSpecial: false, parseSpecial: true)
        let end = tokenizer.encode(closing, addSpecial: false, parseSpecial: true)
        var message = tokenizer.encode(prompt), answer = tokenizer.encode(response)
        let budget = max(1, maxLength - before.count - after.count - end.count)
        if message.count + answer.count > budget {
            message = Array(message.suffix(max(0, budget - answer.count)))
            answer = Array(answer.suffix(budget - message.count))
        }
        return before + message + after + answer + end
    }

    /// The final-norm hidden state at the last token of each exchange, rows in input order. OpenBLAS runs on one
    /// thread while `workers` engines share the exchanges, so the states do not depend on the core count. `progress`
    /// advances by one per exchange (the caller finishes it).
    public func states(prompts: [String], responses: [String], progress: Core.Progress? = nil) -> [[Float]] {
        precondition(prompts.count == responses.count, "one prompt per response")
        let sequences = (0..<prompts.count).map { tokens(prompt: prompts[$0], response: responses[$0]) }
        return model.weights.eachSequence(sequences, workers: workers, progress: progress) { engine, w, tokens in
            engine.lastFinalState(w, tokens: tokens)
        }
    }
}

extension DecoderEngine {
    /// The final-norm hidden state (what the tied head multiplies by the embedding) at the last position of one
    /// sequence: dModel values.
    public func lastFinalState(_ w: UnsafePointer<Float>, tokens: [Int32]) -> [Float] {
        precondition(hasHead && blocks.lowerBound == 0, "the final norm needs an engine over every block")
        let batch = TokenBatch(batch: 1, length: tokens.count, tokens: tokens, targets: [Int32](repeating: -1, count: tokens.count))
        forwardBody(w, batch, input: nil)
        let d = config.dModel
        return Array(UnsafeBufferPointer(start: final + (tokens.count - 1) * d, count: d))
    }
}
