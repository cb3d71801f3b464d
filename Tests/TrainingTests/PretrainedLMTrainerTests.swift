import Corpus
import Foundation
import Neural
import PretrainedLM
@testable import Training
import XCTest

/// The pretrained-model trainer and scorer on a small random gemma3 model (every Gemma extra on, a sliding window
/// shorter than the examples) with a byte-level encoder: what the trainer promises, not the real models' numbers.
final class PretrainedLMTrainerTests: XCTestCase {
    static let weights = DecoderWeights(
        config: DecoderConfig(architecture: .gemma3, vocabSize: 260, dModel: 48, layers: 3, heads: 4, kvHeads: 1,
                              headDim: 16, ffnWidth: 96, normEpsilon: 1e-6, ropeBase: 1e6, slidingWindow: 16,
                              slidingPattern: 3, context: 96),
        seed: 7)

    /// Prompt: start token 256, then the instruction's bytes; response: its bytes and end token 257.
    static let encode: ExampleEncoder = { example in
        ([256] + example.promptText.utf8.map { Int32($0) }, example.response.utf8.map { Int32($0) } + [257])
    }

    static let examples: [Example] = (0..<12).map { i in
        Example(instruction: "Name the number \(i) in words.", response: "It is \(["zero", "one", "two", "three"][i % 4]) and \(i).",
                source: "test", licence: "test")
    }

    func settings(_ trainer: PretrainedLMTrainer, epochs: Int = 3) -> FinetuneSettings {
        FinetuneSettings(baseModel: trainer.baseDigest, epochs: epochs, learningRate: 3e-3, batchSize: 4, seed: 11,
                         evaluationSets: ["train"])
    }

    /// Each mode lowers the loss on the data it trained on, and a rerun gives the same losses and checkpoint.
    func testEveryModeLearnsAndReruns() throws {
        let before = PretrainedResponseScorer(weights: Self.weights, encode: Self.encode, maxLength: 96).meanConditionalNLL(Self.examples)
        for mode in [FinetuneMode.full, .lora(rank: 4, alpha: 8), .lastBlocks(1)] {
            let trainer = try PretrainedLMTrainer(base: Self.weights, mode: mode, encode: Self.encode, maxLength: 96)
            let first = try trainer.finetune(subset: Self.examples, settings: settings(trainer), evaluationSets: ["train": Self.examples])
            let again = try trainer.finetune(subset: Self.examples, settings: settings(trainer), evaluationSets: ["train": Self.examples])
            XCTAssertEqual(first.evalLosses, again.evalLosses, "\(mode)")
            XCTAssertEqual(first.checkpoint, again.checkpoint, "\(mode)")
            XCTAssertLessThan(first.evalLosses["train"]!, before - 0.1, "\(mode) did not learn (before \(before))")
        }
    }

    func testWrongBaseModelIsRefused() throws {
        let trainer = try PretrainedLMTrainer(base: Self.weights, mode: .full, encode: Self.encode, maxLength: 96)
        var settings = settings(trainer)
        settings.baseModel = "something else"
        XCTAssertThrowsError(try trainer.finetune(subset: Self.examples, settings: settings, evaluationSets: ["train": Self.examples]))
    }

    /// Scores do not depend on the worker count; IFD is the loss ratio; the set loss is the token-weighted mean.
    func testScoresAreConsistentAndWorkerIndependent() {
        let one = PretrainedResponseScorer(weights: Self.weights, encode: Self.encode, maxLength: 96, batchSize: 3, workers: 1)
        let two = PretrainedResponseScorer(weights: Self.weights, encode: Self.encode, maxLength: 96, batchSize: 3, workers: 2)
        let scores = one.scores(Self.examples)
        XCTAssertEqual(scores, two.scores(Self.examples))
        for s in scores {
            XCTAssertTrue(s.conditionalNLL.isFinite && s.unconditionalNLL.isFinite && s.responseTokens > 0)
            XCTAssertEqual(s.ifd, s.conditionalNLL / s.unconditionalNLL)
        }
        let weighted = scores.reduce(0) { $0 + $1.conditionalNLL * Double($1.responseTokens) } / Double(scores.reduce(0) { $0 + $1.responseTokens })
        XCTAssertEqual(one.meanConditionalNLL(Self.examples), weighted, accuracy: 1e-12)
    }
}
