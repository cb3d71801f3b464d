import Foundation
import Neural

/// How well a model predicts a plain text: its token count and the mean negative log-likelihood of the tokens it
/// scored, in nats per token and bits per byte. `imine lm perplexity` prints it; llama.cpp scores the same windows
/// in `bench/gguf/make_perplexity_fixture.py`.
///
/// The text is tokenized as plain text (control-token spellings stay text) without BOS, then read in windows of
/// at most `context` positions, each run from scratch. A model that adds BOS (Gemma) starts every window with BOS
/// followed by the next `context − 1` text tokens, and every text token is scored. A model without BOS (SmolLM2)
/// starts each window with the last token of the previous one as its only context, so every token but the
/// text's first is scored exactly once.
public struct TextPerplexity: Sendable, Equatable {
    /// Tokens of the text (BOS not counted).
    public let tokens: Int
    /// Tokens that were predicted and scored.
    public let scored: Int
    /// Summed NLL of the scored tokens, in nats.
    public let totalNLL: Double
    /// UTF-8 bytes of the scored tokens' text.
    public let scoredBytes: Int
    /// How many windows the text was read in.
    public let windows: Int

    public var meanNLL: Double { totalNLL / Double(scored) }
    public var perplexity: Double { exp(meanNLL) }
    public var bitsPerByte: Double { totalNLL / log(2) / Double(scoredBytes) }

    /// The windows of `tokens` (text tokens, no BOS) as `(tokens, targets)` sequences, targets −1 where unscored.
    public static func windows(of tokens: [Int32], context: Int, bos: Int32?) -> [(tokens: [Int32], targets: [Int32])] {
        precondition(context >= 2, "a window needs at least 2 positions")
        let step = context - 1
        var result: [(tokens: [Int32], targets: [Int32])] = []
        var start = bos == nil ? 1 : 0  // index of the first text token this window scores
        while start < tokens.count {
            let end = min(tokens.count, start + step)
            let lead: [Int32] = bos.map { [$0] } ?? [tokens[start - 1]]
            let window = lead + tokens[start..<end]
            var targets = Array(window.dropFirst())
            targets.append(-1)
            result.append((window, targets))
            start = end
        }
        return result
    }
}

extension PretrainedModel {
    /// Scores `text` in windows of `context` positions (see `TextPerplexity`). OpenBLAS keeps its thread setting;
    /// windows run one after another.
    public func perplexity(of text: String, context: Int) -> TextPerplexity {
        let tokens = tokenizer.encode(text)
        let bos = tokenizer.vocabulary.addsBOS ? tokenizer.vocabulary.bos : nil
        let windows = TextPerplexity.windows(of: tokens, context: context, bos: bos)
        let engine = DecoderEngine(config: weights.config, maxBatch: 1, maxLength: min(context, max(2, tokens.count + 1)))
        var total: Double = 0, scored = 0
        weights.values.withUnsafeBufferPointer { w in
            for window in windows {
                let batch = TokenBatch(batch: 1, length: window.tokens.count, tokens: window.tokens, targets: window.targets)
                for nll in engine.tokenNLL(w.baseAddress!, batch) where !nll.isNaN {
                    total += Double(nll)
                    scored += 1
                }
            }
        }
        // Without BOS the first token is context only; its bytes are not part of what was scored.
        let unscoredBytes = bos == nil && !tokens.isEmpty ? tokenizer.decode([tokens[0]]).utf8.count : 0
        return TextPerplexity(tokens: tokens.count, scored: scored, totalNLL: total,
                              scoredBytes: text.utf8.count - unscoredBytes, windows: windows.count)
    }
}
