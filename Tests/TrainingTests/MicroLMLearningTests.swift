import Corpus
import Foundation
import Neural
@testable import Training
import XCTest

/// Learning is real, on real data, at the tiny profile's sizes (paper-repro/profiles/tiny.yaml): pretraining on the
/// C4 and wiki demo texts ends far below the unigram baseline, and finetuning on Alpaca brings the self-instruct
/// references' loss below the base model's. One shared base model keeps the suite fast.
final class MicroLMLearningTests: XCTestCase {
    struct Base {
        var checkpoint: MicroLMCheckpoint
        var report: PretrainReport
    }

    static let base: Result<Base, Error> = Result {
        BLAS.setThreads(1)
        let documents = try TrainingTestData.pretrainingDocuments()
        let tokenizer = BytePairTokenizer.train(on: documents, vocabularySize: 512, maxCharacters: 400_000)
        let config = GPTConfig(vocabSize: tokenizer.vocabularySize, context: 128, layers: 2, dModel: 64, heads: 2)
        let (weights, report) = try Pretraining.run(documents: documents, tokenizer: tokenizer, config: config,
                                                    settings: PretrainSettings(steps: 600, batch: 8, learningRate: 0.002, seed: 20))
        return Base(checkpoint: MicroLMCheckpoint(weights: weights, tokenizer: tokenizer), report: report)
    }

    static let train = Result { Array(try TrainingTestData.alpaca("llama-factory-demo/alpaca_en_demo.json").prefix(400)) }
    static let references = Result { Array(try TrainingTestData.selfInstruct().prefix(120)) }

    /// Held-out loss at least 0.7 nats/token under the unigram baseline (and 1.5 under the untrained model).
    func testPretrainingEndsFarBelowTheUnigramBaseline() throws {
        let report = try Self.base.get().report
        print("tiny pretraining: held-out \(report.heldOutLoss) (untrained \(report.heldOutLossBefore), unigram \(report.unigramLoss)) nats/token")
        XCTAssertLessThan(report.heldOutLoss, report.unigramLoss - 0.7, "\(report)")
        XCTAssertLessThan(report.heldOutLoss, report.heldOutLossBefore - 1.5, "\(report)")
    }

    func testFinetuningLowersTheEvaluationLossBelowTheBase() throws {
        let base = try Self.base.get().checkpoint
        let trainer = try MicroLMTrainer(base: base)
        let references = try Self.references.get()
        let baseLoss = ResponseScorer(checkpoint: base).meanConditionalNLL(references)
        var settings = FinetuneSettings(baseModel: trainer.baseDigest, epochs: 2, learningRate: 0.002, batchSize: 8,
                                        seed: 20, evaluationSets: ["self-instruct"])
        let result = try trainer.finetune(subset: try Self.train.get(), settings: settings,
                                          evaluationSets: ["self-instruct": references])
        let tuned = try XCTUnwrap(result.evalLosses["self-instruct"])
        print("tiny finetune: self-instruct loss \(tuned) vs base \(baseLoss), \(result.tokensProcessed) tokens, \(result.wallSeconds) s")
        XCTAssertLessThan(tuned, baseLoss - 0.05, "finetuned \(tuned) vs base \(baseLoss)")
        XCTAssertGreaterThan(result.tokensProcessed, 0)

        // Same settings, same result, bit for bit (the checkpoint digest covers every weight).
        let again = try trainer.finetune(subset: try Self.train.get(), settings: settings,
                                         evaluationSets: ["self-instruct": references])
        XCTAssertEqual(again.checkpoint, result.checkpoint)
        XCTAssertEqual(again.evalLosses, result.evalLosses)

        // The LoRA analogue: only the top block trains; it still learns, and differs from the full finetune.
        settings.trainableLayers = [1]
        let partial = try trainer.finetune(subset: try Self.train.get(), settings: settings,
                                           evaluationSets: ["self-instruct": references])
        let partialLoss = try XCTUnwrap(partial.evalLosses["self-instruct"])
        print("tiny partial finetune (block 1 only): \(partialLoss)")
        XCTAssertLessThan(partialLoss, baseLoss, "partial \(partialLoss) vs base \(baseLoss)")
        XCTAssertNotEqual(partial.checkpoint, result.checkpoint)
    }

    func testResponseScoresPerExample() throws {
        let base = try Self.base.get().checkpoint
        let references = Array(try Self.references.get().prefix(40))
        let scores = ResponseScorer(checkpoint: base, batchSize: 8).scores(references)
        XCTAssertEqual(scores.count, references.count)
        for score in scores {
            XCTAssertTrue(score.conditionalNLL.isFinite && score.unconditionalNLL.isFinite)
            XCTAssertGreaterThan(score.responseTokens, 1)
        }
        // Batching and sorting do not change a score: example 3 alone gives the same numbers.
        let alone = ResponseScorer(checkpoint: base, batchSize: 8).scores([references[3]])[0]
        XCTAssertEqual(alone.conditionalNLL, scores[3].conditionalNLL, accuracy: 1e-4)
        XCTAssertEqual(alone.unconditionalNLL, scores[3].unconditionalNLL, accuracy: 1e-4)
        // Workers side by side give the same scores bit for bit (each batch is computed the same way by any engine).
        let shared = ResponseScorer(checkpoint: base, batchSize: 8, workers: 3).scores(references)
        XCTAssertEqual(shared, scores)
        // The mean over examples' tokens equals the evaluation loss.
        let total = scores.reduce(0) { $0 + $1.conditionalNLL * Double($1.responseTokens) }
        let count = scores.reduce(0) { $0 + $1.responseTokens }
        XCTAssertEqual(total / Double(count), ResponseScorer(checkpoint: base).meanConditionalNLL(references), accuracy: 1e-6)
    }

    func testBadSettingsAreRejected() throws {
        let trainer = try MicroLMTrainer(base: try Self.base.get().checkpoint)
        let settings = FinetuneSettings(baseModel: "not-this-one", epochs: 1, learningRate: 1e-3, batchSize: 4,
                                        seed: 1, evaluationSets: [])
        XCTAssertThrowsError(try trainer.finetune(subset: [], settings: settings, evaluationSets: [:]))
        var missing = settings
        missing.baseModel = trainer.baseDigest
        missing.evaluationSets = ["absent"]
        XCTAssertThrowsError(try trainer.finetune(subset: [], settings: missing, evaluationSets: [:])) {
            XCTAssertEqual($0 as? TrainerError, .missingEvaluationSet("absent"))
        }
        var layers = missing
        layers.evaluationSets = []
        layers.trainableLayers = [5]
        XCTAssertThrowsError(try trainer.finetune(subset: [], settings: layers, evaluationSets: [:]))
    }
}

final class InstructionTemplateTests: XCTestCase {
    func testTemplateAndTruncation() throws {
        let example = Example(instruction: "Add the numbers.", input: "2 and 3", response: "5", source: "t", licence: "t")
        XCTAssertEqual(InstructionTemplate.prompt(for: example), "### Instruction:\nAdd the numbers.\n\n### Input:\n2 and 3\n\n### Response:\n")
        let noInput = Example(instruction: "Say hi.", response: "hi", source: "t", licence: "t")
        XCTAssertEqual(InstructionTemplate.prompt(for: noInput), "### Instruction:\nSay hi.\n\n### Response:\n")

        let long = EncodedExample(prompt: Array(0..<100), response: Array(200..<300), context: 64)
        XCTAssertEqual(long.prompt, Array(68..<100), "the prompt keeps its last half-window")
        XCTAssertEqual(long.response, Array(200..<232))
        let (tokens, targets) = long.conditional(bos: 999)
        XCTAssertEqual(tokens.count, 64)
        XCTAssertEqual(tokens.first, 999)
        XCTAssertEqual(targets.filter { $0 >= 0 }, Array(200..<232), "loss on response tokens only")
        let short = EncodedExample(prompt: Array(0..<100), response: [7, 8], context: 64)
        XCTAssertEqual(short.prompt.count, 62)
        XCTAssertEqual(short.unconditional(bos: 999).targets, [7, 8])
    }
}
