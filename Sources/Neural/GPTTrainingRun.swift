import Foundation

/// One optimisation run over a MicroLM: weights, an engine sized for the batch, gradients, AdamW and a schedule.
///
///     let run = GPTTrainingRun(weights: base, maxBatch: 16, schedule: schedule)
///     for batch in batches { run.step(batch) }
///     let trained = run.weights
///
/// With `shards` > 1 each step splits its batch into that many row blocks, runs forward and backward on them side
/// by side (one engine and gradient buffer per shard) and adds the gradients weighted by their loss positions: the
/// same update as one pass over the whole batch up to float rounding. The result depends on `shards`, never on the
/// machine's core count, so a fixed shard count keeps runs reproducible while using every core.
public final class GPTTrainingRun {
    public private(set) var weights: GPTWeights
    /// The engine of the first shard (the whole batch when unsharded); evaluation helpers reuse it.
    public let engine: GPTEngine
    public let shards: Int
    private let shardEngines: [GPTEngine]
    private var shardGradients: [[Float]]
    public let trainable: TrainableTensors
    public let schedule: LearningRateSchedule
    private var optimizer: AdamW
    private var gradient: [Float]
    public private(set) var steps = 0
    /// Tokens that carried a loss, summed over all steps.
    public private(set) var lossTokens = 0
    /// Tokens run through the model (padding included), summed over all steps.
    public private(set) var tokensProcessed = 0

    public init(weights: GPTWeights, maxBatch: Int, schedule: LearningRateSchedule, trainable: TrainableTensors = .all,
                optimizer settings: AdamWSettings = AdamWSettings(), shards: Int = 1) {
        precondition(shards >= 1, "shards must be at least 1")
        self.weights = weights
        self.shards = shards
        let rowsPerShard = (maxBatch + shards - 1) / shards
        self.engine = GPTEngine(config: weights.config, maxBatch: shards == 1 ? maxBatch : rowsPerShard)
        self.shardEngines = [engine] + (1..<shards).map { _ in GPTEngine(config: weights.config, maxBatch: rowsPerShard) }
        self.shardGradients = shards == 1 ? [] : (0..<shards).map { _ in [Float](repeating: 0, count: weights.values.count) }
        self.trainable = trainable
        self.schedule = schedule
        self.optimizer = AdamW(layout: weights.layout, trainable: trainable, settings: settings)
        self.gradient = [Float](repeating: 0, count: weights.values.count)
    }

    /// Forward, backward and one AdamW update; returns the batch's mean loss before the update.
    @discardableResult
    public func step(_ batch: TokenBatch) -> Double {
        let rate = Float(schedule.rate(at: steps))
        let loss = shards > 1 && batch.batch > 1 ? shardedGradient(batch) : wholeGradient(batch)
        _ = weights.values.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeBufferPointer { g in optimizer.update(w.baseAddress!, g.baseAddress!, rate: rate) }
        }
        steps += 1
        lossTokens += batch.lossCount
        tokensProcessed += batch.batch * batch.length
        return loss
    }

    /// Fills `gradient` with the gradient of the batch's mean loss in one pass; returns that loss.
    private func wholeGradient(_ batch: TokenBatch) -> Double {
        var loss: Double = 0
        let engine = self.engine, trainable = self.trainable
        weights.values.withUnsafeBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                loss = engine.forwardLoss(w.baseAddress!, batch)
                engine.backward(w.baseAddress!, g.baseAddress!, trainable: trainable)
            }
        }
        return loss
    }

    /// Fills `gradient` like `wholeGradient`, from `shards` row blocks computed side by side.
    private func shardedGradient(_ batch: TokenBatch) -> Double {
        let rowsPerShard = (batch.batch + shards - 1) / shards
        let parts: [TokenBatch] = stride(from: 0, to: batch.batch, by: rowsPerShard).map { first in
            let rows = min(rowsPerShard, batch.batch - first)
            let span = (first * batch.length)..<((first + rows) * batch.length)
            return TokenBatch(batch: rows, length: batch.length, tokens: Array(batch.tokens[span]), targets: Array(batch.targets[span]))
        }
        let engines = shardEngines, trainable = self.trainable
        return ShardedGradient.compute(counts: parts.map(\.lossCount), weights: weights.values, buffers: &shardGradients,
                                       into: &gradient) { s, w, g in
            let loss = engines[s].forwardLoss(w, parts[s])
            engines[s].backward(w, g, trainable: trainable)
            return loss
        }
    }
}

extension GPTWeights {
    /// Mean NLL over every loss position of `batches` (a token-weighted mean, not a mean of batch means).
    public func meanNLL(_ batches: [TokenBatch], engine: GPTEngine? = nil) -> Double {
        let engine = engine ?? GPTEngine(config: config, maxBatch: batches.map(\.batch).max() ?? 1)
        var total: Double = 0, count = 0
        values.withUnsafeBufferPointer { w in
            for batch in batches {
                let n = batch.lossCount
                guard n > 0 else { continue }
                total += engine.forwardLoss(w.baseAddress!, batch) * Double(n)
                count += n
            }
        }
        return count > 0 ? total / Double(count) : .nan
    }
}
