import Neural

extension DecoderEngine {
    /// Forward pass, mean loss over the loss positions, and backward pass: adds ∂loss/∂weights into `grad` (same
    /// layout as the weights) for the tensors `trainable` selects. Returns the loss (0, adding nothing, when no
    /// position carries a loss).
    @discardableResult
    public func lossAndGradient(_ w: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>, _ batch: TokenBatch,
                                trainable: TrainableTensors = .all, input: UnsafePointer<Float>? = nil) -> Double {
        forwardBody(w, batch, input: input)
        let loss = head(w, grad: grad, embeddingGradient: trainable.embeddings, perRow: nil)
        guard !lossRows.isEmpty else { return loss }
        let n = self.batch * length, d = config.dModel
        DecoderKernels.rmsNormBackward(dfinal, top, rsF, w + outputNorm, trainable.finalNorm ? grad + outputNorm : nil,
                                       dres, rows: n, width: d, accumulate: false)
        let lowest = trainable.embeddings ? blocks.lowerBound
            : (blocks.first { trainable.trains(layer: $0) } ?? blocks.upperBound)
        for layer in blocks.reversed() where layer >= lowest {
            backwardBlock(w, grad, layer: layer, acts[layer - blocks.lowerBound], trains: trainable.trains(layer: layer))
        }
        guard trainable.embeddings, blocks.lowerBound == 0 else { return loss }
        let e = grad + embedding, scale = config.embeddingScale
        for r in 0..<n {
            let g = dres + r * d, row = e + Int(tokens[r]) * d
            for i in 0..<d { row[i] += g[i] * scale }
        }
        return loss
    }

    /// The gradient of a sublayer's output from `dres`, the gradient after its post-norm (Gemma 3): `dx`, or
    /// `dres` itself when the architecture has no post-norms.
    private func throughPostNorm(_ w: UnsafePointer<Float>, grad: UnsafeMutablePointer<Float>?, gain: Int,
                                 input: UnsafePointer<Float>, rstd: UnsafePointer<Float>) -> UnsafeMutablePointer<Float> {
        guard config.normalizesSublayerOutputs else { return dres }
        DecoderKernels.rmsNormBackward(dres, input, rstd, w + gain, grad, dx, rows: batch * length, width: config.dModel,
                                       accumulate: false)
        return dx
    }

    /// One block backward: `dres` holds ∂loss/∂(block output) on entry and ∂loss/∂(block input) on return.
    private func backwardBlock(_ w: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>, layer l: Int,
                               _ a: BlockActivations, trains: Bool) {
        let o = offsets[l], c = config
        let n = batch * length, d = c.dModel, q = c.queryWidth, kv = c.kvWidth, f = c.ffnWidth
        func g(_ offset: Int) -> UnsafeMutablePointer<Float>? { trains ? grad + offset : nil }

        // MLP: out = mid + [postnorm](act(gate)·up · Wdownᵀ), gate/up = norm(mid) · Wᵀ.
        let ddown = throughPostNorm(w, grad: g(o.postFFNNorm), gain: o.postFFNNorm, input: a.down, rstd: a.rsD)
        BLAS.gemm(false, false, n, f, d, 1, ddown, d, w + o.down, f, 0, dact, f)
        if trains { BLAS.gemm(true, false, d, f, n, 1, ddown, d, a.act, f, 1, grad + o.down, f) }
        if c.gatesWithGELU {
            DecoderKernels.geluGateBackward(a.gate, a.up, dact, dgate, dup, count: n * f)
        } else {
            DecoderKernels.siluGateBackward(a.gate, a.up, dact, dgate, dup, count: n * f)
        }
        BLAS.gemm(false, false, n, d, f, 1, dgate, f, w + o.gate, d, 0, tmp, d)
        BLAS.gemm(false, false, n, d, f, 1, dup, f, w + o.up, d, 1, tmp, d)
        if trains {
            BLAS.gemm(true, false, f, d, n, 1, dgate, f, a.a2, d, 1, grad + o.gate, d)
            BLAS.gemm(true, false, f, d, n, 1, dup, f, a.a2, d, 1, grad + o.up, d)
        }
        DecoderKernels.rmsNormBackward(tmp, a.mid, a.rs2, w + o.ffnNorm, g(o.ffnNorm), dres, rows: n, width: d, accumulate: true)

        // Attention: mid = x + [postnorm](attention(q, k, v) · Woᵀ), q/k/v from norm(x).
        let dout = throughPostNorm(w, grad: g(o.postAttentionNorm), gain: o.postAttentionNorm, input: a.o, rstd: a.rsO)
        BLAS.gemm(false, false, n, q, d, 1, dout, d, w + o.output, q, 0, datt, q)
        if trains { BLAS.gemm(true, false, d, q, n, 1, dout, d, a.att, q, 1, grad + o.output, q) }
        attentionBackward(a)
        let table = c.window(layer: l) == nil ? ropeGlobal : ropeLocal
        DecoderKernels.rope(dq, rows: n, length: length, heads: c.heads, headDim: c.headDim, table: table, inverse: true)
        DecoderKernels.rope(dk, rows: n, length: length, heads: c.kvHeads, headDim: c.headDim, table: table, inverse: true)
        var dqPre: UnsafeMutablePointer<Float> = dq, dkPre: UnsafeMutablePointer<Float> = dk
        if c.normalizesQueryKey {
            DecoderKernels.rmsNormBackward(dq, a.qPre, a.qRs, w + o.qNorm, g(o.qNorm), dqIn,
                                           rows: n * c.heads, width: c.headDim, accumulate: false)
            DecoderKernels.rmsNormBackward(dk, a.kPre, a.kRs, w + o.kNorm, g(o.kNorm), dkIn,
                                           rows: n * c.kvHeads, width: c.headDim, accumulate: false)
            (dqPre, dkPre) = (dqIn, dkIn)
        }
        BLAS.gemm(false, false, n, d, q, 1, dqPre, q, w + o.q, d, 0, tmp, d)
        BLAS.gemm(false, false, n, d, kv, 1, dkPre, kv, w + o.k, d, 1, tmp, d)
        BLAS.gemm(false, false, n, d, kv, 1, dv, kv, w + o.v, d, 1, tmp, d)
        if trains {
            BLAS.gemm(true, false, q, d, n, 1, dqPre, q, a.a1, d, 1, grad + o.q, d)
            BLAS.gemm(true, false, kv, d, n, 1, dkPre, kv, a.a1, d, 1, grad + o.k, d)
            BLAS.gemm(true, false, kv, d, n, 1, dv, kv, a.a1, d, 1, grad + o.v, d)
        }
        DecoderKernels.rmsNormBackward(tmp, a.input, a.rs1, w + o.attnNorm, g(o.attnNorm), dres, rows: n, width: d, accumulate: true)
    }
}
