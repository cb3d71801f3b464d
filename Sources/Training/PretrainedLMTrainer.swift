import Core
import Corpus
import Foundation
import Neural
import PretrainedLM

/// A `Trainer` for the real pretrained decoders (SmolLM2, Gemma 3): finetunes in one `FinetuneMode` on the CPU and
/// reports each evaluation set's mean response NLL (given the prompts, token-weighted), so a step can use it where
/// it uses `MicroLMTrainer`.
///
/// Batching follows MicroLM's finetune exactly (`MicroLMFinetuning.batchOrder`: per-epoch seeded shuffle, groups of
/// 8 batches sorted by length); the optimiser is AdamW with warm-up over 5% of the steps, cosine decay to a tenth
/// of the rate and the gradient norm clipped at 1; the loss covers the response tokens only. `baseModel` in the
/// settings must be `baseDigest`, which names the weights, the mode and the length, so a finished job is never recomputed under
/// another mode. In last-N mode the trunk states live in `trunkCache`, shared by every finetune of this trainer.
///
///     let trainer = PretrainedLMTrainer(base: weights, mode: .lora(rank: 8, alpha: 16), encode: encoder, maxLength: 256)
///     let settings = FinetuneSettings(baseModel: trainer.baseDigest, epochs: 1, learningRate: 1e-4, batchSize: 8,
///                                     seed: 20, evaluationSets: ["vicuna"])
///     let result = try trainer.finetune(subset: subset, settings: settings, evaluationSets: ["vicuna": references])
public struct PretrainedLMTrainer: Trainer {
    public let base: DecoderWeights
    public let mode: FinetuneMode
    public let encode: ExampleEncoder
    public let maxLength: Int
    public let weightsDigest: String
    public let trunkCache: TrunkCache
    /// Fixed data-parallel shards of each step (results depend on this, never on the core count).
    public var shards = 2
    public var backend: String { "pretrained-lm" }
    /// Names the weights, the mode and the sequence length: each changes the result, so each is in every job key.
    public var baseDigest: String { "\(weightsDigest):\(mode):len\(maxLength)" }

    public init(base: DecoderWeights, mode: FinetuneMode, encode: @escaping ExampleEncoder, maxLength: Int,
                trunkCache: TrunkCache? = nil, weightsDigest: String? = nil) throws {
        (self.base, self.mode, self.encode, self.maxLength) = (base, mode, encode, maxLength)
        self.weightsDigest = weightsDigest ?? base.digest()
        self.trunkCache = try trunkCache ?? TrunkCache()
    }

    public struct Outcome: Sendable {
        public var weights: DecoderWeights
        public var checkpoint: String
        public var steps: Int
        public var tokensProcessed: Int
        public var lossTokens: Int
        public var losses: [Double]
    }

    /// The finetune alone: trained weights (LoRA merged), checkpoint digest and every step's loss.
    public func train(_ examples: [Example], settings: FinetuneSettings) throws -> Outcome {
        try run(examples, settings: settings).outcome
    }

    /// The finetune and the run that did it (which can still score sequences from its trunk cache).
    func run(_ examples: [Example], settings: FinetuneSettings) throws -> (outcome: Outcome, run: DecoderTrainingRun) {
        guard settings.baseModel == baseDigest else {
            throw TrainerError.wrongBaseModel(expected: baseDigest, got: settings.baseModel)
        }
        guard settings.trainableLayers == nil else {
            throw InputError(file: "<finetune settings>", field: "trainableLayers",
                             "the pretrained trainer takes its finetune mode (\(mode)) at construction; trainableLayers must be nil")
        }
        guard settings.batchSize > 0, settings.epochs >= 0 else {
            throw InputError(file: "<finetune settings>", field: "batchSize", "batch size must be positive and epochs non-negative")
        }
        let sequences = examples.map {
            let (encoded, start) = EncodedExample.pretrained($0, encode: encode, maxLength: maxLength)
            return encoded.conditional(bos: start)
        }
        let batchesPerEpoch = (sequences.count + settings.batchSize - 1) / settings.batchSize
        let schedule = LearningRateSchedule(peak: settings.learningRate, totalSteps: max(1, batchesPerEpoch * settings.epochs))
        let run = try DecoderTrainingRun(base: base, mode: mode, maxBatch: settings.batchSize, maxLength: maxLength,
                                         schedule: schedule, seed: settings.seed, trunkCache: trunkCache,
                                         baseDigest: weightsDigest, shards: shards)
        var losses: [Double] = []
        for epoch in 0..<settings.epochs {
            for members in MicroLMFinetuning.batchOrder(lengths: sequences.map(\.tokens.count), batchSize: settings.batchSize,
                                                        seed: settings.seed, epoch: epoch) {
                losses.append(try run.step(members.map { sequences[$0] }))
            }
        }
        return (Outcome(weights: run.weights, checkpoint: run.checkpointDigest(), steps: run.steps,
                        tokensProcessed: run.tokensProcessed, lossTokens: run.lossTokens, losses: losses), run)
    }

    public func finetune(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneResult {
        let sets = try settings.evaluationSets.map { name -> (String, [Example]) in
            guard let examples = evaluationSets[name] else { throw TrainerError.missingEvaluationSet(name) }
            return (name, examples)
        }
        let started = Date()
        let (outcome, run) = try self.run(subset, settings: settings)
        let scorer = PretrainedResponseScorer(weights: outcome.weights, encode: encode, maxLength: maxLength,
                                              batchSize: settings.batchSize)
        var losses: [String: Double] = [:]
        for (name, examples) in sets {
            // Last-N: the evaluation sets' trunk states are cached like the subsets', so only the top blocks run.
            if case .lastBlocks = mode {
                let sums = try run.sums(examples.map {
                    let (encoded, start) = EncodedExample.pretrained($0, encode: encode, maxLength: maxLength)
                    return encoded.conditional(bos: start)
                })
                let total = sums.reduce(0) { $0 + $1.total }, count = sums.reduce(0) { $0 + $1.count }
                losses[name] = count > 0 ? total / Double(count) : .nan
            } else {
                losses[name] = scorer.meanConditionalNLL(examples)
            }
        }
        return FinetuneResult(evalLosses: losses, tokensProcessed: outcome.tokensProcessed,
                              wallSeconds: Date().timeIntervalSince(started), checkpoint: outcome.checkpoint)
    }
}

extension PretrainedLMTrainer {
    /// A trainer for a loaded GGUF model: its weights, with examples written by its own template and tokenizer.
    /// `weightsDigest` names the weights in job keys (default: their `digest()`, which costs seconds).
    public init(model: PretrainedModel, mode: FinetuneMode, maxLength: Int, trunkCache: TrunkCache? = nil,
                weightsDigest: String? = nil) throws {
        try self.init(base: model.weights, mode: mode, encode: { model.encode(instruction: $0.promptText, response: $0.response) },
                      maxLength: maxLength, trunkCache: trunkCache, weightsDigest: weightsDigest)
    }
}
