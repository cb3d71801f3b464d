/// Runs MicroLM's forward pass, loss and backward pass over preallocated buffers.
///
/// An engine is sized once for a config and a largest batch; every step after that reuses the same memory, so the
/// training loop allocates nothing. It keeps the activations of the last forward pass for `backward`. Not thread
/// safe: use one engine per thread. Weights and gradients are passed in as flat buffers laid out by `GPTLayout`.
///
///     let engine = GPTEngine(config: config, maxBatch: 16)
///     let loss = weights.values.withUnsafeBufferPointer { engine.forwardLoss($0.baseAddress!, batch) }
///     engine.backward(weightsPointer, gradientsPointer, trainable: .all)
public final class GPTEngine {
    public let config: GPTConfig
    public let maxBatch: Int
    let layout: GPTLayout
    let blocks: [BlockOffsets]
    let wteOffset: Int, wpeOffset: Int, lnfGain: Int, lnfBias: Int
    let maxRows: Int
    private let storage: UnsafeMutablePointer<Float>
    private let storageCount: Int

    // Activations, one slice of `maxRows` rows per layer.
    let residual: UnsafeMutablePointer<Float>   // (layers + 1) × rows × d: the input of each block, then the output
    let ln1: UnsafeMutablePointer<Float>, ln2: UnsafeMutablePointer<Float>
    let mean1: UnsafeMutablePointer<Float>, rstd1: UnsafeMutablePointer<Float>
    let mean2: UnsafeMutablePointer<Float>, rstd2: UnsafeMutablePointer<Float>
    let qkv: UnsafeMutablePointer<Float>        // rows × 3d: q | k | v, head h at columns h·hd ..< (h+1)·hd
    let probs: UnsafeMutablePointer<Float>      // batch × heads × T × T attention probabilities
    let attY: UnsafeMutablePointer<Float>       // rows × d, attention output before the projection
    let mid: UnsafeMutablePointer<Float>        // rows × d, residual after attention
    let fcPre: UnsafeMutablePointer<Float>, fcAct: UnsafeMutablePointer<Float>  // rows × 4d
    let lnf: UnsafeMutablePointer<Float>, meanF: UnsafeMutablePointer<Float>, rstdF: UnsafeMutablePointer<Float>
    let headIn: UnsafeMutablePointer<Float>     // the rows that carry a loss, gathered
    let logits: UnsafeMutablePointer<Float>     // loss rows × vocab; after `forwardLoss`, their gradient
    let nll: UnsafeMutablePointer<Float>
    // Backward scratch.
    let dres: UnsafeMutablePointer<Float>, dln: UnsafeMutablePointer<Float>, dqkv: UnsafeMutablePointer<Float>
    let dattY: UnsafeMutablePointer<Float>, dfc: UnsafeMutablePointer<Float>, dprobs: UnsafeMutablePointer<Float>
    let dhead: UnsafeMutablePointer<Float>

    // The batch of the last forward pass.
    private(set) var batch = 0, length = 0
    var tokens: [Int32] = []
    var lossRows: [Int32] = []
    var lossTargets: [Int32] = []

    public init(config: GPTConfig, maxBatch: Int) {
        precondition(maxBatch > 0)
        self.config = config
        self.maxBatch = maxBatch
        let layout = GPTLayout(config)
        self.layout = layout
        self.blocks = (0..<config.layers).map { BlockOffsets(layout, $0) }
        (wteOffset, wpeOffset) = (layout.offset("wte.weight"), layout.offset("wpe.weight"))
        (lnfGain, lnfBias) = (layout.offset("ln_f.weight"), layout.offset("ln_f.bias"))
        let rows = maxBatch * config.context
        self.maxRows = rows
        let d = config.dModel, f = config.mlpWidth, layers = config.layers, c = config.context
        let sizes = [
            (layers + 1) * rows * d, layers * rows * d, layers * rows * d,
            layers * rows, layers * rows, layers * rows, layers * rows,
            layers * rows * 3 * d, layers * maxBatch * config.heads * c * c, layers * rows * d, layers * rows * d,
            layers * rows * f, layers * rows * f, rows * d, rows, rows, rows * d, rows * config.vocabSize, rows,
            rows * d, rows * d, rows * 3 * d, rows * d, rows * f, c * c, rows * d,
        ]
        storageCount = sizes.reduce(0, +)
        storage = .allocate(capacity: storageCount)
        storage.initialize(repeating: 0, count: storageCount)
        var cursor = storage
        var slices: [UnsafeMutablePointer<Float>] = []
        for size in sizes { slices.append(cursor); cursor += size }
        (residual, ln1, ln2, mean1, rstd1, mean2, rstd2) = (slices[0], slices[1], slices[2], slices[3], slices[4], slices[5], slices[6])
        (qkv, probs, attY, mid, fcPre, fcAct) = (slices[7], slices[8], slices[9], slices[10], slices[11], slices[12])
        (lnf, meanF, rstdF, headIn, logits, nll) = (slices[13], slices[14], slices[15], slices[16], slices[17], slices[18])
        (dres, dln, dqkv, dattY, dfc, dprobs, dhead) = (slices[19], slices[20], slices[21], slices[22], slices[23], slices[24], slices[25])
    }

    deinit { storage.deallocate() }

    /// Bytes of activation and scratch memory this engine holds.
    public var memoryBytes: Int { storageCount * MemoryLayout<Float>.stride }

    /// Forward pass and mean cross-entropy over the batch's loss positions; leaves the logits' gradient ready
    /// for `backward`. Returns 0 (and trains nothing) when no position carries a loss.
    @discardableResult
    public func forwardLoss(_ w: UnsafePointer<Float>, _ batch: TokenBatch) -> Double {
        forward(w, batch)
        let m = lossRows.count
        guard m > 0 else { return 0 }
        let total = lossTargets.withUnsafeBufferPointer {
            Kernels.crossEntropy(logits, $0.baseAddress!, rows: m, vocab: config.vocabSize, nll: nil,
                                 gradScale: 1 / Float(m))
        }
        return total / Double(m)
    }

    /// Forward pass only: the NLL of every position, row-major [batch × length], NaN where the target is -1.
    public func tokenNLL(_ w: UnsafePointer<Float>, _ batch: TokenBatch) -> [Float] {
        forward(w, batch)
        var out = [Float](repeating: .nan, count: batch.batch * batch.length)
        let m = lossRows.count
        guard m > 0 else { return out }
        _ = lossTargets.withUnsafeBufferPointer {
            Kernels.crossEntropy(logits, $0.baseAddress!, rows: m, vocab: config.vocabSize, nll: nll, gradScale: nil)
        }
        for (i, row) in lossRows.enumerated() { out[Int(row)] = nll[i] }
        return out
    }

    /// Embeddings, blocks, final LayerNorm, and the logits of the rows that carry a loss.
    func forward(_ w: UnsafePointer<Float>, _ b: TokenBatch) {
        precondition(b.batch <= maxBatch && b.length <= config.context, "batch \(b.batch)×\(b.length) exceeds the engine's \(maxBatch)×\(config.context)")
        batch = b.batch
        length = b.length
        tokens = b.tokens
        let positions = b.lossPositions(vocabSize: config.vocabSize)
        lossRows = positions.rows.map { Int32($0) }
        lossTargets = positions.targets
        let n = batch * length, d = config.dModel, f = config.mlpWidth
        let wte = w + wteOffset, wpe = w + wpeOffset
        for r in 0..<n {
            let token = Int(tokens[r])
            precondition(token >= 0 && token < config.vocabSize, "token \(token) outside the vocabulary")
            let x = residual + r * d, e = wte + token * d, p = wpe + (r % length) * d
            for i in 0..<d { x[i] = e[i] + p[i] }
        }
        for l in 0..<config.layers {
            let o = blocks[l]
            let x = residual + l * maxRows * d, out = residual + (l + 1) * maxRows * d
            let a1 = ln1 + l * maxRows * d, q = qkv + l * maxRows * 3 * d, y = attY + l * maxRows * d
            let m = mid + l * maxRows * d, a2 = ln2 + l * maxRows * d
            let pre = fcPre + l * maxRows * f, act = fcAct + l * maxRows * f
            Kernels.layerNorm(x, w + o.ln1g, w + o.ln1b, a1, mean1 + l * maxRows, rstd1 + l * maxRows, rows: n, width: d)
            Kernels.fillRows(q, with: w + o.attnB, rows: n, width: 3 * d)
            BLAS.gemm(false, true, n, 3 * d, d, 1, a1, d, w + o.attnW, d, 1, q, 3 * d)
            attentionForward(layer: l)
            m.update(from: x, count: n * d)
            Kernels.addRows(m, w + o.projB, rows: n, width: d)
            BLAS.gemm(false, true, n, d, d, 1, y, d, w + o.projW, d, 1, m, d)
            Kernels.layerNorm(m, w + o.ln2g, w + o.ln2b, a2, mean2 + l * maxRows, rstd2 + l * maxRows, rows: n, width: d)
            Kernels.fillRows(pre, with: w + o.fcB, rows: n, width: f)
            BLAS.gemm(false, true, n, f, d, 1, a2, d, w + o.fcW, d, 1, pre, f)
            Kernels.gelu(pre, act, count: n * f)
            out.update(from: m, count: n * d)
            Kernels.addRows(out, w + o.mlpB, rows: n, width: d)
            BLAS.gemm(false, true, n, d, f, 1, act, f, w + o.mlpW, f, 1, out, d)
        }
        let last = residual + config.layers * maxRows * d
        Kernels.layerNorm(last, w + lnfGain, w + lnfBias, lnf, meanF, rstdF, rows: n, width: d)
        let m = lossRows.count
        guard m > 0 else { return }
        BLAS.gemm(false, true, m, config.vocabSize, d, 1, headInput, d, wte, d, 0, logits, config.vocabSize)
    }

    /// The final LayerNorm's rows that carry a loss: `lnf` itself when all do, else gathered into `headIn`.
    var headInput: UnsafeMutablePointer<Float> {
        let d = config.dModel
        if lossRows.count == batch * length { return lnf }
        for (i, row) in lossRows.enumerated() { (headIn + i * d).update(from: lnf + Int(row) * d, count: d) }
        return headIn
    }

    /// Causal multi-head attention of one layer: for each sequence and head, S = QKᵀ/√hd, P = softmax(S), Y = PV.
    /// Q, K and V are read in place from the qkv rows (leading dimension 3d), so no head is ever copied out. The
    /// query rows are split in two halves and the first half skips the keys it may not see, which saves a quarter
    /// of the products; the softmax zeroes every masked entry, computed or not.
    private func attentionForward(layer l: Int) {
        let d = config.dModel, hd = config.headDim, t = length, h = config.heads
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv + l * maxRows * 3 * d, y = attY + l * maxRows * d
        let half = t >= 8 ? t / 2 : 0
        for b in 0..<batch {
            for head in 0..<h {
                let qb = q + b * t * 3 * d + head * hd, kb = qb + d, vb = qb + 2 * d
                let yb = y + b * t * d + head * hd
                let p = probs + (l * maxBatch * h + b * h + head) * t * t
                if half > 0 { BLAS.gemm(false, true, half, half, hd, scale, qb, 3 * d, kb, 3 * d, 0, p, t) }
                BLAS.gemm(false, true, t - half, t, hd, scale, qb + half * 3 * d, 3 * d, kb, 3 * d, 0, p + half * t, t)
                Kernels.causalSoftmax(p, length: t)
                if half > 0 { BLAS.gemm(false, false, half, hd, half, 1, p, t, vb, 3 * d, 0, yb, d) }
                BLAS.gemm(false, false, t - half, hd, t, 1, p + half * t, t, vb, 3 * d, 0, yb + half * d, d)
            }
        }
    }
}

/// Offsets of one block's tensors in the flat buffer, computed once so the hot loop does no name look-ups.
struct BlockOffsets {
    let ln1g, ln1b, attnW, attnB, projW, projB, ln2g, ln2b, fcW, fcB, mlpW, mlpB: Int

    init(_ layout: GPTLayout, _ l: Int) {
        let p = "h.\(l)."
        func at(_ name: String) -> Int { layout.offset(p + name) }
        (ln1g, ln1b, attnW, attnB) = (at("ln_1.weight"), at("ln_1.bias"), at("attn.c_attn.weight"), at("attn.c_attn.bias"))
        (projW, projB, ln2g, ln2b) = (at("attn.c_proj.weight"), at("attn.c_proj.bias"), at("ln_2.weight"), at("ln_2.bias"))
        (fcW, fcB, mlpW, mlpB) = (at("mlp.c_fc.weight"), at("mlp.c_fc.bias"), at("mlp.c_proj.weight"), at("mlp.c_proj.bias"))
    }
}
