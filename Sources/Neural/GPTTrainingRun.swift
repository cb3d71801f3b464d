/// One optimisation run over a MicroLM: weights, an engine sized for the batch, gradients, AdamW and a schedule.
///
///     let run = GPTTrainingRun(weights: base, maxBatch: 16, schedule: schedule)
///     for batch in batches { run.step(batch) }
///     let trained = run.weights
public final class GPTTrainingRun {
    public private(set) var weights: GPTWeights
    public let engine: GPTEngine
    public let trainable: GPTTrainable
    public let schedule: LearningRateSchedule
    private var optimizer: AdamW
    private var gradient: [Float]
    public private(set) var steps = 0
    /// Tokens that carried a loss, summed over all steps.
    public private(set) var lossTokens = 0
    /// Tokens run through the model (padding included), summed over all steps.
    public private(set) var tokensProcessed = 0

    public init(weights: GPTWeights, maxBatch: Int, schedule: LearningRateSchedule, trainable: GPTTrainable = .all,
                optimizer settings: AdamWSettings = AdamWSettings()) {
        self.weights = weights
        self.engine = GPTEngine(config: weights.config, maxBatch: maxBatch)
        self.trainable = trainable
        self.schedule = schedule
        self.optimizer = AdamW(layout: weights.layout, trainable: trainable, settings: settings)
        self.gradient = [Float](repeating: 0, count: weights.values.count)
    }

    /// Forward, backward and one AdamW update; returns the batch's mean loss before the update.
    @discardableResult
    public func step(_ batch: TokenBatch) -> Double {
        let rate = Float(schedule.rate(at: steps))
        var loss: Double = 0
        let engine = self.engine, trainable = self.trainable
        weights.values.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeMutableBufferPointer { g in
                g.update(repeating: 0)
                loss = engine.forwardLoss(UnsafePointer(w.baseAddress!), batch)
                engine.backward(UnsafePointer(w.baseAddress!), g.baseAddress!, trainable: trainable)
                optimizer.update(w.baseAddress!, UnsafePointer(g.baseAddress!), rate: rate)
            }
        }
        steps += 1
        lossTokens += batch.lossCount
        tokensProcessed += batch.batch * batch.length
        return loss
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
