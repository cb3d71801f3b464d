import Neural

/// Runs a decoder's forward pass, loss and backward pass over preallocated buffers, like MicroLM's `GPTEngine`.
///
/// An engine is sized once for a config, a largest batch × length and a range of `blocks`; it keeps the
/// activations of the last forward pass for the backward pass. When `blocks` starts above 0 the engine takes the
/// hidden states entering its lowest block instead of tokens (the last-N-blocks mode: the frozen trunk's output);
/// when it ends below the top it has no head and only computes hidden states (the trunk itself). The output head
/// runs in chunks of `headChunk` loss rows, so a 262,144-token vocabulary never needs a full logits matrix, and
/// its backward pass happens in the same sweep (`lossAndGradient`). Not thread safe: one engine per thread.
///
///     let engine = DecoderEngine(config: weights.config, maxBatch: 4, maxLength: 256)
///     let loss = weights.values.withUnsafeBufferPointer { engine.loss($0.baseAddress!, batch) }
public final class DecoderEngine {
    public let config: DecoderConfig
    public let maxBatch: Int
    public let maxLength: Int
    public let blocks: Range<Int>
    public let headChunk: Int
    let offsets: [DecoderBlockOffsets]
    let embedding: Int, outputNorm: Int
    let maxRows: Int
    private var arena: [UnsafeMutablePointer<Float>] = []
    private(set) var memoryFloats = 0

    /// Activations of each block in `blocks` (index 0 is the lowest block the engine runs).
    struct BlockActivations {
        var input, a1, rs1, qPre, kPre, qRs, kRs, q, k, v, probs, att, o, rsO, mid, a2, rs2: UnsafeMutablePointer<Float>
        var gate, up, act, down, rsD: UnsafeMutablePointer<Float>
    }
    var acts: [BlockActivations] = []
    /// The residual stream leaving the top block, its final norm, and that norm's 1/rms.
    var top: UnsafeMutablePointer<Float>!, final: UnsafeMutablePointer<Float>!, rsF: UnsafeMutablePointer<Float>!
    var headIn: UnsafeMutablePointer<Float>!, logits: UnsafeMutablePointer<Float>!, nll: UnsafeMutablePointer<Float>!
    var tmp: UnsafeMutablePointer<Float>!
    // Backward scratch.
    var dres: UnsafeMutablePointer<Float>!, dx: UnsafeMutablePointer<Float>!, dq: UnsafeMutablePointer<Float>!
    var dk: UnsafeMutablePointer<Float>!, dv: UnsafeMutablePointer<Float>!, dqIn: UnsafeMutablePointer<Float>!
    var dkIn: UnsafeMutablePointer<Float>!, datt: UnsafeMutablePointer<Float>!, dprobs: UnsafeMutablePointer<Float>!
    var dgate: UnsafeMutablePointer<Float>!, dup: UnsafeMutablePointer<Float>!, dact: UnsafeMutablePointer<Float>!
    var dfinal: UnsafeMutablePointer<Float>!
    let ropeGlobal: RopeTable, ropeLocal: RopeTable

    // The batch of the last forward pass.
    private(set) var batch = 0, length = 0
    var tokens: [Int32] = []
    var lossRows: [Int] = []
    var lossTargets: [Int32] = []

    public init(config: DecoderConfig, maxBatch: Int, maxLength: Int, blocks: Range<Int>? = nil, headChunk: Int = 64) {
        let blocks = blocks ?? 0..<config.layers
        precondition(maxBatch > 0 && maxLength > 0 && headChunk > 0, "engine sizes must be positive")
        precondition(blocks.lowerBound >= 0 && blocks.upperBound <= config.layers, "blocks \(blocks) outside 0..<\(config.layers)")
        (self.config, self.maxBatch, self.maxLength) = (config, maxBatch, maxLength)
        (self.blocks, self.headChunk) = (blocks, headChunk)
        let layout = DecoderLayout(config)
        offsets = (0..<config.layers).map { DecoderBlockOffsets(layout, $0) }
        embedding = layout.offset("token_embd.weight")
        outputNorm = layout.offset("output_norm.weight")
        let n = maxBatch * maxLength
        maxRows = n
        let d = config.dModel, q = config.queryWidth, kv = config.kvWidth, f = config.ffnWidth
        let h = config.heads, g = config.kvHeads, t = maxLength
        ropeGlobal = RopeTable(base: config.ropeBase, headDim: config.headDim, length: maxLength)
        ropeLocal = RopeTable(base: config.localRopeBase, headDim: config.headDim, length: maxLength)
        for _ in blocks {
            acts.append(BlockActivations(
                input: take(n * d), a1: take(n * d), rs1: take(n), qPre: take(n * q), kPre: take(n * kv),
                qRs: take(n * h), kRs: take(n * g), q: take(n * q), k: take(n * kv), v: take(n * kv),
                probs: take(maxBatch * h * t * t), att: take(n * q), o: take(n * d), rsO: take(n), mid: take(n * d),
                a2: take(n * d), rs2: take(n), gate: take(n * f), up: take(n * f), act: take(n * f),
                down: take(n * d), rsD: take(n)))
        }
        top = take(n * d)
        tmp = take(n * d)
        if hasHead {
            final = take(n * d); rsF = take(n)
            headIn = take(headChunk * d); logits = take(headChunk * config.vocabSize); nll = take(headChunk)
            dfinal = take(n * d)
        }
        dres = take(n * d); dx = take(n * d); dq = take(n * q); dk = take(n * kv); dv = take(n * kv)
        dqIn = take(n * q); dkIn = take(n * kv); datt = take(n * q); dprobs = take(t * t)
        dgate = take(n * f); dup = take(n * f); dact = take(n * f)
    }

    deinit { for buffer in arena { buffer.deallocate() } }

    private func take(_ count: Int) -> UnsafeMutablePointer<Float> {
        let buffer = UnsafeMutablePointer<Float>.allocate(capacity: max(1, count))
        buffer.initialize(repeating: 0, count: max(1, count))
        arena.append(buffer)
        memoryFloats += count
        return buffer
    }

    /// Whether the engine runs the top block, hence the final norm and the head.
    public var hasHead: Bool { blocks.upperBound == config.layers }
    /// Bytes of activation and scratch memory this engine holds.
    public var memoryBytes: Int { memoryFloats * MemoryLayout<Float>.stride }

    /// Mean NLL over the batch's loss positions (0 when none). `input`: the hidden states entering the lowest
    /// block, rows of the batch in order, when `blocks` does not start at 0.
    public func loss(_ w: UnsafePointer<Float>, _ batch: TokenBatch, input: UnsafePointer<Float>? = nil) -> Double {
        forwardBody(w, batch, input: input)
        return head(w, grad: nil, embeddingGradient: false, perRow: nil)
    }

    /// NLL of every position, row-major [batch × length], NaN where the target is -1.
    public func tokenNLL(_ w: UnsafePointer<Float>, _ batch: TokenBatch, input: UnsafePointer<Float>? = nil) -> [Float] {
        forwardBody(w, batch, input: input)
        var out = [Float](repeating: .nan, count: batch.batch * batch.length)
        _ = out.withUnsafeMutableBufferPointer { head(w, grad: nil, embeddingGradient: false, perRow: $0.baseAddress!) }
        return out
    }

    /// The hidden states leaving the engine's top block for `batch` (rows × dModel, in order), before any final
    /// norm: what a trunk engine hands to a last-N engine.
    public func hiddenStates(_ w: UnsafePointer<Float>, _ batch: TokenBatch, input: UnsafePointer<Float>? = nil) -> [Float] {
        forwardBody(w, batch, input: input)
        return Array(UnsafeBufferPointer(start: top, count: batch.batch * batch.length * config.dModel))
    }

    /// Logits of every position of one sequence, [tokens.count × vocabSize] row-major.
    public func logits(_ w: UnsafePointer<Float>, tokens: [Int32]) -> [Float] {
        precondition(hasHead && blocks.lowerBound == 0, "logits need an engine over every block")
        let batch = TokenBatch(batch: 1, length: tokens.count, tokens: tokens, targets: [Int32](repeating: -1, count: tokens.count))
        forwardBody(w, batch, input: nil)
        let d = config.dModel, v = config.vocabSize
        var out = [Float](repeating: 0, count: tokens.count * v)
        out.withUnsafeMutableBufferPointer { o in
            BLAS.gemm(false, true, tokens.count, v, d, 1, final, d, w + embedding, d, 0, o.baseAddress!, v)
        }
        return out
    }

    /// Logits of the last position of one sequence (vocabSize values): what greedy decoding needs, without the
    /// full [tokens × vocabSize] matrix of `logits`.
    public func lastLogits(_ w: UnsafePointer<Float>, tokens: [Int32]) -> [Float] {
        precondition(hasHead && blocks.lowerBound == 0, "logits need an engine over every block")
        let batch = TokenBatch(batch: 1, length: tokens.count, tokens: tokens, targets: [Int32](repeating: -1, count: tokens.count))
        forwardBody(w, batch, input: nil)
        let d = config.dModel, v = config.vocabSize
        var out = [Float](repeating: 0, count: v)
        out.withUnsafeMutableBufferPointer { o in
            BLAS.gemm(false, true, 1, v, d, 1, final + (tokens.count - 1) * d, d, w + embedding, d, 0, o.baseAddress!, v)
        }
        return out
    }

    /// Embeddings (or `input`) through the engine's blocks, then the final norm when the engine has the head.
    func forwardBody(_ w: UnsafePointer<Float>, _ b: TokenBatch, input: UnsafePointer<Float>?) {
        precondition(b.batch <= maxBatch && b.length <= maxLength,
                     "batch \(b.batch)×\(b.length) exceeds the engine's \(maxBatch)×\(maxLength)")
        batch = b.batch
        length = b.length
        tokens = b.tokens
        (lossRows, lossTargets) = b.lossPositions(vocabSize: config.vocabSize)
        let n = batch * length, d = config.dModel
        let first = acts.first?.input ?? top!
        if blocks.lowerBound == 0 {
            let scale = config.embeddingScale, e = w + embedding
            for r in 0..<n {
                let token = Int(tokens[r])
                precondition(token >= 0 && token < config.vocabSize, "token \(token) outside the vocabulary")
                let x = first + r * d, row = e + token * d
                for i in 0..<d { x[i] = row[i] * scale }
            }
        } else {
            guard let input else { preconditionFailure("an engine starting at block \(blocks.lowerBound) needs its input hidden states") }
            first.update(from: input, count: n * d)
        }
        for (index, layer) in blocks.enumerated() {
            let output = index + 1 < acts.count ? acts[index + 1].input : top!
            forwardBlock(w, layer: layer, acts[index], output: output)
        }
        if hasHead {
            DecoderKernels.rmsNorm(top, w + outputNorm, final, rsF, rows: n, width: d, epsilon: config.normEpsilon)
        }
    }

    /// One block: x → x + [post-norm] attention(norm(x)) → that + [post-norm] MLP(norm(that)).
    private func forwardBlock(_ w: UnsafePointer<Float>, layer l: Int, _ a: BlockActivations, output: UnsafeMutablePointer<Float>) {
        let o = offsets[l], c = config
        let n = batch * length, d = c.dModel, q = c.queryWidth, kv = c.kvWidth, f = c.ffnWidth, eps = c.normEpsilon
        DecoderKernels.rmsNorm(a.input, w + o.attnNorm, a.a1, a.rs1, rows: n, width: d, epsilon: eps)
        BLAS.gemm(false, true, n, q, d, 1, a.a1, d, w + o.q, d, 0, a.qPre, q)
        BLAS.gemm(false, true, n, kv, d, 1, a.a1, d, w + o.k, d, 0, a.kPre, kv)
        BLAS.gemm(false, true, n, kv, d, 1, a.a1, d, w + o.v, d, 0, a.v, kv)
        if c.normalizesQueryKey {
            DecoderKernels.rmsNorm(a.qPre, w + o.qNorm, a.q, a.qRs, rows: n * c.heads, width: c.headDim, epsilon: eps)
            DecoderKernels.rmsNorm(a.kPre, w + o.kNorm, a.k, a.kRs, rows: n * c.kvHeads, width: c.headDim, epsilon: eps)
        } else {
            a.q.update(from: a.qPre, count: n * q)
            a.k.update(from: a.kPre, count: n * kv)
        }
        let table = c.window(layer: l) == nil ? ropeGlobal : ropeLocal
        DecoderKernels.rope(a.q, rows: n, length: length, heads: c.heads, headDim: c.headDim, table: table, inverse: false)
        DecoderKernels.rope(a.k, rows: n, length: length, heads: c.kvHeads, headDim: c.headDim, table: table, inverse: false)
        attentionForward(a, window: c.window(layer: l))
        a.mid.update(from: a.input, count: n * d)
        if c.normalizesSublayerOutputs {
            BLAS.gemm(false, true, n, d, q, 1, a.att, q, w + o.output, q, 0, a.o, d)
            DecoderKernels.rmsNorm(a.o, w + o.postAttentionNorm, tmp, a.rsO, rows: n, width: d, epsilon: eps)
            for i in 0..<(n * d) { a.mid[i] += tmp[i] }
        } else {
            BLAS.gemm(false, true, n, d, q, 1, a.att, q, w + o.output, q, 1, a.mid, d)
        }
        DecoderKernels.rmsNorm(a.mid, w + o.ffnNorm, a.a2, a.rs2, rows: n, width: d, epsilon: eps)
        BLAS.gemm(false, true, n, f, d, 1, a.a2, d, w + o.gate, d, 0, a.gate, f)
        BLAS.gemm(false, true, n, f, d, 1, a.a2, d, w + o.up, d, 0, a.up, f)
        if c.gatesWithGELU {
            DecoderKernels.geluGate(a.gate, a.up, a.act, count: n * f)
        } else {
            DecoderKernels.siluGate(a.gate, a.up, a.act, count: n * f)
        }
        output.update(from: a.mid, count: n * d)
        if c.normalizesSublayerOutputs {
            BLAS.gemm(false, true, n, d, f, 1, a.act, f, w + o.down, f, 0, a.down, d)
            DecoderKernels.rmsNorm(a.down, w + o.postFFNNorm, tmp, a.rsD, rows: n, width: d, epsilon: eps)
            for i in 0..<(n * d) { output[i] += tmp[i] }
        } else {
            BLAS.gemm(false, true, n, d, f, 1, a.act, f, w + o.down, f, 1, output, d)
        }
    }

    /// The tied head over the loss rows in chunks: logits = final · Eᵀ, softmax cross-entropy. Returns the mean NLL.
    /// With `grad`, also writes ∂loss/∂final into `dfinal` and, when `embeddingGradient`, adds ∂loss/∂E to the
    /// embedding's gradient. With `perRow`, writes each loss row's NLL at its position.
    func head(_ w: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>?, embeddingGradient: Bool,
              perRow: UnsafeMutablePointer<Float>?) -> Double {
        precondition(hasHead, "this engine has no head (blocks \(blocks))")
        let m = lossRows.count, d = config.dModel, v = config.vocabSize
        if grad != nil { dfinal.update(repeating: 0, count: batch * length * d) }
        guard m > 0 else { return 0 }
        var total: Double = 0
        let e = w + embedding
        lossTargets.withUnsafeBufferPointer { targets in
            for start in stride(from: 0, to: m, by: headChunk) {
                let rows = min(headChunk, m - start)
                for i in 0..<rows { (headIn + i * d).update(from: final + lossRows[start + i] * d, count: d) }
                BLAS.gemm(false, true, rows, v, d, 1, headIn, d, e, d, 0, logits, v)
                total += Kernels.crossEntropy(logits, targets.baseAddress! + start, rows: rows, vocab: v, nll: nll,
                                              gradScale: grad == nil ? nil : 1 / Float(m))
                if let perRow { for i in 0..<rows { perRow[lossRows[start + i]] = nll[i] } }
                guard let grad else { continue }
                // dfinal rows = dlogits · E; dE += dlogitsᵀ · final rows.
                BLAS.gemm(false, false, rows, d, v, 1, logits, v, e, d, 0, tmp, d)
                for i in 0..<rows { (dfinal + lossRows[start + i] * d).update(from: tmp + i * d, count: d) }
                if embeddingGradient { BLAS.gemm(true, false, v, d, rows, 1, logits, v, headIn, d, 1, grad + embedding, d) }
            }
        }
        return total / Double(m)
    }
}

/// Offsets of one block's tensors in the flat buffer, computed once so the hot loop does no name look-ups; the
/// norms a config lacks point at 0 and are never read.
struct DecoderBlockOffsets {
    let attnNorm, q, k, v, output, qNorm, kNorm, postAttentionNorm, ffnNorm, gate, up, down, postFFNNorm: Int

    init(_ layout: DecoderLayout, _ l: Int) {
        func at(_ name: String) -> Int { layout.entry("blk.\(l).\(name)")?.offset ?? 0 }
        (attnNorm, q, k, v, output) = (at("attn_norm.weight"), at("attn_q.weight"), at("attn_k.weight"),
                                       at("attn_v.weight"), at("attn_output.weight"))
        (qNorm, kNorm, postAttentionNorm) = (at("attn_q_norm.weight"), at("attn_k_norm.weight"), at("post_attention_norm.weight"))
        (ffnNorm, gate, up, down, postFFNNorm) = (at("ffn_norm.weight"), at("ffn_gate.weight"), at("ffn_up.weight"),
                                                  at("ffn_down.weight"), at("post_ffw_norm.weight"))
    }
}
