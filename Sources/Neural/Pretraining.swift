import Core
import Foundation

/// How the base model is pretrained.
public struct PretrainSettings: Codable, Hashable, Sendable {
    public var steps: Int
    public var batch: Int
    public var learningRate: Double
    public var seed: UInt64
    /// The tail of the token stream held out for evaluation.
    public var heldOutFraction: Double = 0.05
    /// At most this many held-out windows are scored.
    public var maxHeldOutWindows: Int = 64
    /// Data-parallel shards per step (see `GPTTrainingRun`): fixed by the caller, not by the core count, so the
    /// weights are the same on every machine.
    public var shards: Int

    public init(steps: Int, batch: Int, learningRate: Double, seed: UInt64, shards: Int = 1) {
        (self.steps, self.batch, self.learningRate, self.seed, self.shards) = (steps, batch, learningRate, seed, shards)
    }
}

/// What pretraining measured: the held-out loss next to the unigram baseline shows whether the model learned.
public struct PretrainReport: Codable, Hashable, Sendable {
    public var trainTokens: Int
    public var heldOutTokens: Int
    /// Mean NLL (nats/token) of the held-out windows before and after training.
    public var heldOutLossBefore: Double
    public var heldOutLoss: Double
    /// Cross-entropy of the held-out tokens under the training tokens' unigram distribution (add-one smoothed).
    public var unigramLoss: Double
    /// Mean training loss of the first and last tenth of the steps.
    public var firstTrainLoss: Double
    public var lastTrainLoss: Double
    public var tokensProcessed: Int
    public var wallSeconds: Double
}

/// Pretrains a MicroLM on plain documents.
///
/// Documents are encoded and concatenated, each followed by end-of-text (the stream also starts with one, which
/// serves as beginning-of-sequence). The last `heldOutFraction` of the stream is held out. Each step draws
/// `batch` windows of `context + 1` tokens at uniform random offsets (`SeededRandom(seed, stream: "pretrain")`) and
/// predicts every next token. The schedule is warm-up (5%) + cosine to a tenth of the peak rate.
public enum Pretraining {
    public static func run(documents: [String], tokenizer: BytePairTokenizer, config: GPTConfig,
                           settings: PretrainSettings, progress: ((Int, Double) -> Void)? = nil) throws -> (GPTWeights, PretrainReport) {
        let started = Date()
        var stream: [Int32] = [tokenizer.endOfText]
        for document in documents {
            stream.append(contentsOf: tokenizer.encode(document))
            stream.append(tokenizer.endOfText)
        }
        let window = config.context + 1
        let heldOutCount = max(window, Int(Double(stream.count) * settings.heldOutFraction))
        let trainCount = stream.count - heldOutCount
        guard trainCount > 4 * window else {
            throw InputError(file: "<pretraining text>", "only \(stream.count) tokens: too few for context \(config.context)")
        }
        let train = Array(stream[..<trainCount]), heldOut = Array(stream[trainCount...])

        var heldOutBatches: [TokenBatch] = []
        var windows: [(tokens: [Int32], targets: [Int32])] = []
        var start = 0
        while start + window <= heldOut.count && windows.count < settings.maxHeldOutWindows {
            windows.append((Array(heldOut[start..<(start + config.context)]), Array(heldOut[(start + 1)..<(start + window)])))
            start += config.context
        }
        for chunk in stride(from: 0, to: windows.count, by: settings.batch) {
            heldOutBatches.append(TokenBatch(sequences: Array(windows[chunk..<min(windows.count, chunk + settings.batch)]), pad: tokenizer.endOfText))
        }
        let scored = heldOutBatches.reduce(0) { $0 + $1.lossCount }
        var unigram = [Double](repeating: 1, count: config.vocabSize)
        for token in train { unigram[Int(token)] += 1 }
        let unigramTotal = unigram.reduce(0, +)
        var unigramLoss: Double = 0
        for batch in heldOutBatches { for t in batch.targets where t >= 0 { unigramLoss -= log(unigram[Int(t)] / unigramTotal) } }
        unigramLoss /= Double(scored)

        let initial = GPTWeights(config: config, seed: settings.seed)
        let schedule = LearningRateSchedule(peak: settings.learningRate, totalSteps: settings.steps)
        let run = GPTTrainingRun(weights: initial, maxBatch: settings.batch, schedule: schedule, shards: settings.shards)
        let scoring = GPTEngine(config: config, maxBatch: settings.batch)
        let before = initial.meanNLL(heldOutBatches, engine: scoring)
        var random = SeededRandom(seed: settings.seed, stream: "pretrain")
        var losses: [Double] = []
        var tokens = [Int32](repeating: 0, count: settings.batch * config.context)
        var targets = tokens
        for step in 0..<settings.steps {
            for b in 0..<settings.batch {
                let offset = random.below(trainCount - window + 1)
                for t in 0..<config.context {
                    tokens[b * config.context + t] = train[offset + t]
                    targets[b * config.context + t] = train[offset + t + 1]
                }
            }
            let loss = run.step(TokenBatch(batch: settings.batch, length: config.context, tokens: tokens, targets: targets))
            losses.append(loss)
            progress?(step, loss)
        }
        let tenth = max(1, losses.count / 10)
        let report = PretrainReport(
            trainTokens: trainCount, heldOutTokens: scored, heldOutLossBefore: before,
            heldOutLoss: run.weights.meanNLL(heldOutBatches, engine: scoring), unigramLoss: unigramLoss,
            firstTrainLoss: losses.prefix(tenth).reduce(0, +) / Double(min(tenth, losses.count)),
            lastTrainLoss: losses.suffix(tenth).reduce(0, +) / Double(min(tenth, losses.count)),
            tokensProcessed: run.tokensProcessed, wallSeconds: Date().timeIntervalSince(started))
        return (run.weights, report)
    }
}
