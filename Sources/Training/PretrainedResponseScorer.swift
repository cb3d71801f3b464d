import Corpus
import Foundation
import Neural
import PretrainedLM

/// How a pretrained model reads an example: the prompt as its instruction template writes it, starting with the
/// model's first token (Gemma's BOS, SmolLM2's `<|im_start|>`), and the response with its end-of-turn marker. The
/// prompt's first token also starts the unconditional (response-only) sequence.
public typealias ExampleEncoder = @Sendable (Example) -> (prompt: [Int32], response: [Int32])

extension EncodedExample {
    /// The example as `encode` writes it, cut to `maxLength` inputs; its first prompt token is `start`.
    static func pretrained(_ example: Example, encode: ExampleEncoder, maxLength: Int) -> (encoded: EncodedExample, start: Int32) {
        let (prompt, response) = encode(example)
        precondition(!prompt.isEmpty, "the encoder gave an empty prompt for example \(example.id)")
        return (EncodedExample(prompt: Array(prompt.dropFirst()), response: response, context: maxLength), prompt[0])
    }
}

/// Per-example response NLL under a pretrained decoder, given the prompt and alone: the response perplexity and
/// IFD indicators, and a set's evaluation loss, from one model.
///
/// OpenBLAS runs on one thread while scoring (restored afterwards) and `workers` engines share the batches, so
/// scores are the same for every worker and core count.
public struct PretrainedResponseScorer {
    public let weights: DecoderWeights
    public let encode: ExampleEncoder
    public let maxLength: Int
    public let batchSize: Int
    public let workers: Int

    public init(weights: DecoderWeights, encode: @escaping ExampleEncoder, maxLength: Int, batchSize: Int = 8,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        (self.weights, self.encode, self.maxLength) = (weights, encode, maxLength)
        self.batchSize = max(1, batchSize)
        self.workers = max(1, workers)
    }

    /// Conditional and unconditional response NLL of each example.
    public func scores(_ examples: [Example]) -> [ResponseScore] {
        let encoded = examples.map { EncodedExample.pretrained($0, encode: encode, maxLength: maxLength) }
        let conditional = sums(encoded.map { $0.encoded.conditional(bos: $0.start) })
        let unconditional = sums(encoded.map { $0.encoded.unconditional(bos: $0.start) })
        return examples.indices.map { i in
            ResponseScore(conditionalNLL: conditional[i].total / Double(conditional[i].count),
                          unconditionalNLL: unconditional[i].total / Double(unconditional[i].count),
                          responseTokens: conditional[i].count)
        }
    }

    /// Token-weighted mean conditional response NLL over `examples`: the evaluation loss of a set.
    public func meanConditionalNLL(_ examples: [Example]) -> Double {
        let results = sums(examples.map {
            let (encoded, start) = EncodedExample.pretrained($0, encode: encode, maxLength: maxLength)
            return encoded.conditional(bos: start)
        })
        let total = results.reduce(0) { $0 + $1.total }, count = results.reduce(0) { $0 + $1.count }
        return count > 0 ? total / Double(count) : .nan
    }

    /// Summed NLL and count of the counted targets of each sequence.
    public func sums(_ sequences: [(tokens: [Int32], targets: [Int32])]) -> [(total: Double, count: Int)] {
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        let (weights, batchSize, maxLength) = (self.weights, self.batchSize, self.maxLength)
        return weights.values.withUnsafeBufferPointer { w in
            BatchedNLL.sums(sequences, batchSize: batchSize, workers: workers, pad: 0) {
                let engine = DecoderEngine(config: weights.config, maxBatch: batchSize, maxLength: maxLength)
                return { engine.tokenNLL(w.baseAddress!, $0) }
            }
        }
    }
}
