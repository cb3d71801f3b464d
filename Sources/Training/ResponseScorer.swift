import Corpus
import Foundation
import Neural

/// Per-example response NLL under a language model, conditional on the prompt and alone: what the response
/// perplexity and IFD indicators read.
public struct ResponseScore: Codable, Hashable, Sendable {
    /// Mean NLL (nats/token) of the response tokens given the prompt.
    public var conditionalNLL: Double
    /// Mean NLL of the same response tokens with no prompt.
    public var unconditionalNLL: Double
    /// Response tokens scored (after truncation to the context), end-of-text included.
    public var responseTokens: Int

    public init(conditionalNLL: Double, unconditionalNLL: Double, responseTokens: Int) {
        (self.conditionalNLL, self.unconditionalNLL) = (conditionalNLL, unconditionalNLL)
        (self.responseTokens) = (responseTokens)
    }

    public var conditionalPerplexity: Double { exp(conditionalNLL) }
    public var unconditionalPerplexity: Double { exp(unconditionalNLL) }
    /// Instruction-following difficulty as Cherry LLM (Li et al., 2023) defines it: the ratio of the mean response
    /// losses, s(response | prompt) / s(response); above 1 the prompt does not help. Not the ratio of the
    /// perplexities, exp(s(response | prompt) − s(response)), which orders examples alike but is another number.
    public var ifd: Double { conditionalNLL / unconditionalNLL }
}

/// Scores many sequences in batches. Sequences are sorted by length before batching so padding stays small;
/// results come back in input order.
///
/// With `workers` > 1 the batches are shared out among that many engines running side by side. A batch's scores
/// do not depend on which engine computed it, so the results are the same for every worker count.
public struct ResponseScorer {
    public let weights: GPTWeights
    public let tokenizer: BytePairTokenizer
    public let batchSize: Int
    public let workers: Int

    public init(checkpoint: MicroLMCheckpoint, batchSize: Int = 16, workers: Int = 1) {
        self.init(weights: checkpoint.weights, tokenizer: checkpoint.tokenizer, batchSize: batchSize, workers: workers)
    }

    public init(weights: GPTWeights, tokenizer: BytePairTokenizer, batchSize: Int = 16, workers: Int = 1) {
        (self.weights, self.tokenizer, self.batchSize) = (weights, tokenizer, batchSize)
        self.workers = max(1, workers)
    }

    /// Conditional and unconditional response NLL of each example.
    public func scores(_ examples: [Example]) -> [ResponseScore] {
        let encoded = examples.map { EncodedExample($0, tokenizer: tokenizer, context: weights.config.context) }
        let bos = tokenizer.endOfText
        let conditional = sums(encoded.map { $0.conditional(bos: bos) })
        let unconditional = sums(encoded.map { $0.unconditional(bos: bos) })
        return (0..<examples.count).map { i in
            ResponseScore(conditionalNLL: conditional[i].total / Double(conditional[i].count),
                          unconditionalNLL: unconditional[i].total / Double(unconditional[i].count),
                          responseTokens: conditional[i].count)
        }
    }

    /// Token-weighted mean conditional response NLL over `examples`: the evaluation loss of a set.
    public func meanConditionalNLL(_ examples: [Example]) -> Double {
        let encoded = examples.map { EncodedExample($0, tokenizer: tokenizer, context: weights.config.context) }
        let results = sums(encoded.map { $0.conditional(bos: tokenizer.endOfText) })
        let total = results.reduce(0) { $0 + $1.total }, count = results.reduce(0) { $0 + $1.count }
        return count > 0 ? total / Double(count) : .nan
    }

    /// Summed NLL and count of the counted targets of each sequence.
    public func sums(_ sequences: [(tokens: [Int32], targets: [Int32])]) -> [(total: Double, count: Int)] {
        let (weights, batchSize) = (self.weights, self.batchSize)
        return weights.values.withUnsafeBufferPointer { w in
            BatchedNLL.sums(sequences, batchSize: batchSize, workers: workers, pad: tokenizer.endOfText) {
                let engine = GPTEngine(config: weights.config, maxBatch: batchSize)
                return { engine.tokenNLL(w.baseAddress!, $0) }
            }
        }
    }
}
