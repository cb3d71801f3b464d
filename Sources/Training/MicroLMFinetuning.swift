import Core
import Corpus
import Foundation
import Neural

/// Finetunes a MicroLM on instruction examples: the built-in trainer's work, usable on its own.
///
/// Examples are encoded with `InstructionTemplate` (loss on response tokens only). Each epoch shuffles them
/// (`SeededRandom(seed, stream: "finetune-epoch-<e>")`), cuts the order into groups of 8 batches, sorts each group
/// by length so a batch pads little, and shuffles the batch order. AdamW (β = 0.9/0.95, weight decay 0.1 on
/// matrices), warm-up over 5% of the steps, cosine decay to a tenth of the rate, gradient norm clipped at 1.
/// `trainableLayers` (the LoRA analogue) trains only those blocks; embeddings and the final LayerNorm stay frozen.
public struct MicroLMFinetuning {
    public let base: MicroLMCheckpoint

    public init(base: MicroLMCheckpoint) { self.base = base }

    public struct Outcome: Sendable {
        public var weights: GPTWeights
        public var steps: Int
        /// Tokens run through the model (padding included) and tokens that carried the loss.
        public var tokensProcessed: Int
        public var lossTokens: Int
        public var firstLoss: Double
        public var lastLoss: Double
        public var wallSeconds: Double
    }

    public func run(_ examples: [Example], settings: FinetuneSettings) throws -> Outcome {
        let started = Date()
        let config = base.config
        if let layers = settings.trainableLayers, let bad = layers.first(where: { $0 < 0 || $0 >= config.layers }) {
            throw InputError(file: "<finetune settings>", field: "trainableLayers", "layer \(bad) does not exist (model has \(config.layers))")
        }
        guard settings.batchSize > 0, settings.epochs >= 0 else {
            throw InputError(file: "<finetune settings>", field: "batchSize", "batch size must be positive and epochs non-negative")
        }
        let encoded = examples.map { EncodedExample($0, tokenizer: base.tokenizer, context: config.context).conditional(bos: base.tokenizer.endOfText) }
        let batchesPerEpoch = (encoded.count + settings.batchSize - 1) / settings.batchSize
        let schedule = LearningRateSchedule(peak: settings.learningRate, totalSteps: max(1, batchesPerEpoch * settings.epochs))
        let trainable = settings.trainableLayers.map { TrainableTensors.blocks($0) } ?? .all
        let run = GPTTrainingRun(weights: base.weights, maxBatch: settings.batchSize, schedule: schedule, trainable: trainable)
        var firstLoss = Double.nan, lastLoss = Double.nan
        for epoch in 0..<settings.epochs {
            for members in Self.batchOrder(lengths: encoded.map(\.tokens.count), batchSize: settings.batchSize,
                                           seed: settings.seed, epoch: epoch) {
                let batch = TokenBatch(sequences: members.map { encoded[$0] }, pad: base.tokenizer.endOfText)
                lastLoss = run.step(batch)
                if firstLoss.isNaN { firstLoss = lastLoss }
            }
        }
        return Outcome(weights: run.weights, steps: run.steps, tokensProcessed: run.tokensProcessed,
                       lossTokens: run.lossTokens, firstLoss: firstLoss, lastLoss: lastLoss,
                       wallSeconds: Date().timeIntervalSince(started))
    }

    /// The batches of one epoch as lists of example indices (see the type's documentation for the rule).
    static func batchOrder(lengths: [Int], batchSize: Int, seed: UInt64, epoch: Int) -> [[Int]] {
        var random = SeededRandom(seed: seed, stream: "finetune-epoch-\(epoch)")
        var order = Array(lengths.indices)
        random.shuffle(&order)
        var batches: [[Int]] = []
        let group = 8 * batchSize
        for start in stride(from: 0, to: order.count, by: group) {
            let sorted = order[start..<min(order.count, start + group)].sorted { (lengths[$0], $0) < (lengths[$1], $1) }
            for b in stride(from: 0, to: sorted.count, by: batchSize) {
                batches.append(Array(sorted[b..<min(sorted.count, b + batchSize)]))
            }
        }
        random.shuffle(&batches)
        return batches
    }
}
