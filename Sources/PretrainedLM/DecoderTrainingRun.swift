import Core
import Foundation
import Neural

/// How much of a pretrained decoder a finetune changes.
public enum FinetuneMode: Codable, Hashable, Sendable, CustomStringConvertible {
    /// Every tensor, the tied embedding included.
    case full
    /// Low-rank adapters of `rank` on every attention and MLP projection, scaled by alpha/rank (`LoRAAdapters`).
    case lora(rank: Int, alpha: Double)
    /// Only the top `count` blocks; the frozen trunk's hidden states come from a `TrunkCache`.
    case lastBlocks(Int)

    public var description: String {
        switch self {
        case .full: return "full"
        case let .lora(rank, alpha): return "lora-r\(rank)-a\(alpha)"
        case let .lastBlocks(count): return "last-\(count)-blocks"
        }
    }
}

/// One optimisation run over a pretrained decoder in one `FinetuneMode`: AdamW with global-norm clipping over the
/// parameters the mode trains, a warm-up + cosine `LearningRateSchedule`, the loss on the targets the sequences
/// mark (the response tokens). Everything is a pure function of the base weights, the sequences in order and the
/// seed (LoRA's initial A), so a rerun gives the same losses and checkpoint digest bit for bit.
///
/// OpenBLAS sums a product's terms in a different order for different thread counts, so each step runs with
/// OpenBLAS on one thread and gets its parallelism from `shards` instead: the batch's sequences are cut into that
/// many fixed groups, run side by side on their own engines, and their gradients added in shard order, weighted by
/// their loss positions. The result depends on `shards`, never on the machine's cores or OpenBLAS's setting (which
/// `step` restores afterwards).
///
///     let run = try DecoderTrainingRun(base: weights, mode: .lora(rank: 8, alpha: 16), maxBatch: 8, maxLength: 256,
///                                      schedule: LearningRateSchedule(peak: 1e-4, totalSteps: 100))
///     for batch in batches { try run.step(batch) }
public final class DecoderTrainingRun {
    public typealias Sequence = (tokens: [Int32], targets: [Int32])

    public let base: DecoderWeights
    public let mode: FinetuneMode
    public let schedule: LearningRateSchedule
    public let trainable: TrainableTensors
    public let shards: Int
    let engines: [DecoderEngine]
    private var shardGradients: [[Float]]
    /// The part of the layout whose gradient and optimiser state are kept: everything for full and LoRA, the
    /// trained blocks' contiguous span for last-N (so a last-2 finetune of Gemma does not hold five copies of the
    /// frozen 168M-value embedding). `gradient` and the shard buffers hold this span only.
    let gradientSpan: Range<Int>
    /// Full and last-N: the weights being trained. LoRA: the base weights merged with the adapters.
    private var weightsBuffer: [Float]
    public internal(set) var adapters: LoRAAdapters?
    private var gradient: [Float]
    private var adapterGradient: [Float]
    private var optimizer: AdamW
    /// One trunk engine per shard: the shards compute missing trunk states side by side.
    private let trunk: (engines: [DecoderEngine], cache: TrunkCache, digest: String)?
    public private(set) var steps = 0
    /// Tokens that carried a loss, and tokens run through the trained blocks (padding included), over all steps.
    public private(set) var lossTokens = 0
    public private(set) var tokensProcessed = 0

    /// `trunkCache` and `baseDigest` (the base weights' `digest()`, computed here when nil) serve last-N mode only.
    public init(base: DecoderWeights, mode: FinetuneMode, maxBatch: Int, maxLength: Int, schedule: LearningRateSchedule,
                optimizer settings: AdamWSettings = AdamWSettings(), seed: UInt64 = 0,
                trunkCache: TrunkCache? = nil, baseDigest: String? = nil, shards: Int = 2) throws {
        precondition(shards >= 1, "shards must be at least 1")
        let config = base.config, layout = base.layout
        (self.base, self.mode, self.schedule) = (base, mode, schedule)
        weightsBuffer = base.values
        adapterGradient = []
        var blocks = 0..<config.layers
        var span = 0..<layout.count
        switch mode {
        case .full:
            trainable = .all
            optimizer = AdamW(count: layout.count, ranges: layout.entries.map { ($0.offset, $0.count, $0.decays) }, settings: settings)
            trunk = nil
        case let .lora(rank, alpha):
            guard rank > 0 else { throw InputError(file: "<finetune settings>", field: "mode", "LoRA rank must be positive, got \(rank)") }
            let adapters = LoRAAdapters(layout: layout, rank: rank, alpha: Float(alpha), seed: seed)
            self.adapters = adapters
            adapterGradient = [Float](repeating: 0, count: adapters.count)
            trainable = .blocks(0..<config.layers)
            optimizer = AdamW(count: adapters.count, ranges: adapters.optimizerRanges, settings: settings)
            trunk = nil
        case let .lastBlocks(count):
            guard count >= 1 && count <= config.layers else {
                throw InputError(file: "<finetune settings>", field: "mode", "last-N needs 1 ≤ N ≤ \(config.layers) blocks, got \(count)")
            }
            let first = config.layers - count
            blocks = first..<config.layers
            let trained = TrainableTensors.blocks(blocks)
            trainable = trained
            let entries = layout.entries.filter { trained.trains($0) }
            span = entries.first!.offset..<(entries.last!.offset + entries.last!.count)
            optimizer = AdamW(count: span.count, ranges: entries.map { ($0.offset - span.lowerBound, $0.count, $0.decays) }, settings: settings)
            trunk = first == 0 ? nil : ((0..<shards).map { _ in DecoderEngine(config: config, maxBatch: 1, maxLength: maxLength, blocks: 0..<first) },
                                        try trunkCache ?? TrunkCache(), baseDigest ?? base.digest())
        }
        self.shards = shards
        gradientSpan = span
        gradient = [Float](repeating: 0, count: span.count)
        let rowsPerShard = (maxBatch + shards - 1) / shards
        engines = (0..<shards).map { _ in DecoderEngine(config: config, maxBatch: rowsPerShard, maxLength: maxLength, blocks: blocks) }
        shardGradients = (0..<shards).map { _ in [Float](repeating: 0, count: span.count) }
    }

    /// The weights as trained so far (LoRA: merged with the adapters).
    public var weights: DecoderWeights {
        if let adapters {
            var merged = weightsBuffer
            base.values.withUnsafeBufferPointer { b in
                merged.withUnsafeMutableBufferPointer { adapters.merge(base: b.baseAddress!, into: $0.baseAddress!, count: b.count) }
            }
            return DecoderWeights(config: base.config, values: merged)
        }
        return DecoderWeights(config: base.config, values: weightsBuffer)
    }

    /// Mean loss of `sequences` and its gradient with respect to what the mode trains: the adapters' flat buffer
    /// for LoRA, else a buffer in the decoder's layout (zero outside the trained tensors).
    public func lossAndGradient(_ sequences: [Sequence]) throws -> (loss: Double, gradient: [Float]) {
        let loss = try computeGradient(sequences)
        if adapters != nil { return (loss, adapterGradient) }
        var full = [Float](repeating: 0, count: base.values.count)
        full.replaceSubrange(gradientSpan, with: gradient)
        return (loss, full)
    }

    /// Forward, backward and one AdamW update; returns the batch's mean loss before the update.
    @discardableResult
    public func step(_ sequences: [Sequence]) throws -> Double {
        let rate = Float(schedule.rate(at: steps))
        let loss = try computeGradient(sequences)
        if adapters != nil {
            adapterGradient.withUnsafeBufferPointer { g in
                adapters!.values.withUnsafeMutableBufferPointer { optimizer.update($0.baseAddress!, g.baseAddress!, rate: rate) }
            }
        } else {
            let start = gradientSpan.lowerBound
            gradient.withUnsafeBufferPointer { g in
                weightsBuffer.withUnsafeMutableBufferPointer { optimizer.update($0.baseAddress! + start, g.baseAddress!, rate: rate) }
            }
        }
        steps += 1
        return loss
    }

    /// SHA-256 of the mode, the base digest when known, and the trained values: names the finetuned checkpoint.
    public func checkpointDigest() -> String {
        var hasher = SHA256()
        hasher.update("decoder-finetune-v1|\(mode)|\(trunk?.digest ?? "")|")
        func add(_ values: ArraySlice<Float>) {
            values.withUnsafeBytes { raw in
                hasher.update(UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
            }
        }
        if let adapters { add(adapters.values[...]) } else {
            for entry in base.layout.entries where trainable.trains(entry) {
                add(weightsBuffer[entry.offset..<(entry.offset + entry.count)])
            }
        }
        return hasher.hexDigest()
    }

    /// Fills `gradient` (and for LoRA `adapterGradient`) for one batch; returns its mean loss.
    private func computeGradient(_ sequences: [Sequence]) throws -> Double {
        precondition(!sequences.isEmpty, "a step needs at least one sequence")
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        if let adapters {
            base.values.withUnsafeBufferPointer { b in
                weightsBuffer.withUnsafeMutableBufferPointer { adapters.merge(base: b.baseAddress!, into: $0.baseAddress!, count: b.count) }
            }
        }
        let states = try trunkStates(sequences)
        let rowsPerShard = (sequences.count + shards - 1) / shards
        let rows = stride(from: 0, to: sequences.count, by: rowsPerShard).map { Array($0..<min(sequences.count, $0 + rowsPerShard)) }
        let batches = rows.map { TokenBatch(sequences: $0.map { sequences[$0] }, pad: 0) }
        let inputs = zip(rows, batches).map { packed(states, rows: $0, length: $1.length) }
        let engines = self.engines, trainable = self.trainable, start = gradientSpan.lowerBound
        let loss = ShardedGradient.compute(counts: batches.map(\.lossCount), weights: weightsBuffer, buffers: &shardGradients,
                                           into: &gradient) { s, w, g in
            inputs[s].withUnsafeBufferPointer { i in
                // The engine addresses gradients by layout offset and writes only the trained tensors, all inside
                // the span, so the span's buffer is handed over as if it started at offset 0.
                engines[s].lossAndGradient(w, g - start, batches[s], trainable: trainable, input: i.isEmpty ? nil : i.baseAddress!)
            }
        }
        if let adapters {
            gradient.withUnsafeBufferPointer { g in
                adapterGradient.withUnsafeMutableBufferPointer { adapters.gradient(from: g.baseAddress!, into: $0.baseAddress!) }
            }
        }
        lossTokens += batches.reduce(0) { $0 + $1.lossCount }
        tokensProcessed += batches.reduce(0) { $0 + $1.batch * $1.length }
        return loss
    }

    /// Summed NLL and count of the counted targets of each sequence under the weights trained so far, in length-sorted
    /// batches on the run's shard engines side by side. In last-N mode the frozen trunk's states come from the trunk
    /// cache (computed once per sequence for every finetune of the model), so an evaluation pass runs only the
    /// trained blocks and the head. LoRA runs need ``weights`` (merged) and a full forward instead.
    public func sums(_ sequences: [Sequence]) throws -> [(total: Double, count: Int)] {
        precondition(adapters == nil, "a LoRA run's weights are merged by `weights`; score them with a full forward pass")
        guard !sequences.isEmpty else { return [] }
        let order = sequences.indices.sorted { (sequences[$0].tokens.count, $0) < (sequences[$1].tokens.count, $1) }
        let rows = engines[0].maxBatch
        let groups = stride(from: 0, to: order.count, by: rows).map { Array(order[$0..<min(order.count, $0 + rows)]) }
        let batches = groups.map { TokenBatch(sequences: $0.map { sequences[$0] }, pad: 0) }
        let threads = BLAS.threads
        BLAS.setThreads(1)
        defer { BLAS.setThreads(threads) }
        let states = try trunkStates(sequences)
        let inputs = zip(groups, batches).map { packed(states, rows: $0, length: $1.length) }
        let engines = self.engines
        var nll = [[Float]](repeating: [], count: batches.count)
        weightsBuffer.withUnsafeBufferPointer { w in
            nll.withUnsafeMutableBufferPointer { out in
                let out = out
                // Engine s takes batches s, s + shards, ...: a batch's result does not depend on which engine ran it.
                DispatchQueue.concurrentPerform(iterations: min(engines.count, batches.count)) { s in
                    for b in stride(from: s, to: batches.count, by: engines.count) {
                        out[b] = inputs[b].withUnsafeBufferPointer { i in
                            engines[s].tokenNLL(w.baseAddress!, batches[b], input: i.isEmpty ? nil : i.baseAddress!)
                        }
                    }
                }
            }
        }
        var results = [(total: Double, count: Int)](repeating: (0, 0), count: sequences.count)
        for (b, members) in groups.enumerated() {
            let length = batches[b].length
            for (row, index) in members.enumerated() {
                var total: Double = 0, count = 0
                for t in 0..<length where batches[b].targets[row * length + t] >= 0 {
                    total += Double(nll[b][row * length + t])
                    count += 1
                }
                results[index] = (total, count)
            }
        }
        return results
    }

    /// The hidden states entering the lowest trained block, per sequence in order; empty when the engine starts from
    /// the embedding. Each distinct sequence is looked up once, and those the cache lacks are computed by the shards'
    /// trunk engines side by side (a step's or an evaluation's sequences at once: a shard's own rows are often a
    /// single sequence). Each is still computed alone, on one BLAS thread (the caller's setting), so its states do not
    /// depend on which engine computed it or on what else was missing.
    private func trunkStates(_ sequences: [Sequence]) throws -> [[Float]] {
        guard let trunk else { return [] }
        let blocks = trunk.engines[0].blocks.count
        let keys = sequences.map { TrunkCache.key(modelDigest: trunk.digest, trunkBlocks: blocks, tokens: $0.tokens) }
        var firstIndex: [String: Int] = [:]
        for (index, key) in keys.enumerated() where firstIndex[key] == nil { firstIndex[key] = index }
        let distinct = firstIndex.values.sorted()
        let d = base.config.dModel, engines = trunk.engines, cache = trunk.cache, base = self.base
        let failures = ErrorCollector()
        var found = [[Float]](repeating: [], count: sequences.count)
        found.withUnsafeMutableBufferPointer { found in
            let found = found
            DispatchQueue.concurrentPerform(iterations: min(engines.count, distinct.count)) { s in
                for index in stride(from: s, to: distinct.count, by: engines.count) {
                    let row = distinct[index], tokens = sequences[row].tokens
                    do {
                        found[row] = try cache.states(key: keys[row], count: tokens.count * d) {
                            let alone = TokenBatch(batch: 1, length: tokens.count, tokens: tokens,
                                                   targets: [Int32](repeating: -1, count: tokens.count))
                            return base.values.withUnsafeBufferPointer { engines[s].hiddenStates($0.baseAddress!, alone) }
                        }
                    } catch { failures.record(error) }
                }
            }
        }
        if let first = failures.first { throw first }
        return keys.map { found[firstIndex[$0]!] }
    }

    /// The trunk states of the sequences at `rows`, packed like their batch of `length` (padding rows zero); empty
    /// when there is no trunk.
    private func packed(_ states: [[Float]], rows: [Int], length: Int) -> [Float] {
        guard !states.isEmpty else { return [] }
        let d = base.config.dModel
        var input = [Float](repeating: 0, count: rows.count * length * d)
        for (b, row) in rows.enumerated() {
            input.replaceSubrange((b * length * d)..<(b * length * d + states[row].count), with: states[row])
        }
        return input
    }
}

/// The first error thrown by any of the iterations of a `concurrentPerform`.
private final class ErrorCollector: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var first: Error?
    func record(_ error: Error) {
        lock.lock()
        if first == nil { first = error }
        lock.unlock()
    }
}
