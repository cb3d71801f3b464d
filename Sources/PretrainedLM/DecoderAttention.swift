import Neural

extension DecoderEngine {
    /// Grouped-query causal attention of one block: for each sequence and query head h (reading key/value head
    /// h / (heads/kvHeads)), S = scale·QKᵀ, P = softmax over the visible keys (all earlier ones, or the last
    /// `window` on a sliding layer), Y = PV. Q, K, V are read in place with their row strides; nothing is copied.
    func attentionForward(_ a: BlockActivations, window: Int?) {
        let c = config, t = length, hd = c.headDim, qw = c.queryWidth, kvw = c.kvWidth
        let group = c.heads / c.kvHeads
        for b in 0..<batch {
            for h in 0..<c.heads {
                let g = h / group
                let qb = a.q + b * t * qw + h * hd, kb = a.k + b * t * kvw + g * hd, vb = a.v + b * t * kvw + g * hd
                let p = a.probs + (b * c.heads + h) * t * t
                BLAS.gemm(false, true, t, t, hd, c.attentionScale, qb, qw, kb, kvw, 0, p, t)
                DecoderKernels.causalSoftmax(p, length: t, window: window)
                BLAS.gemm(false, false, t, hd, t, 1, p, t, vb, kvw, 0, a.att + b * t * qw + h * hd, qw)
            }
        }
    }

    /// From `datt` (∂loss/∂Y): dV = Σ_heads Pᵀ·dY, dS = softmax′(dY·Vᵀ), dQ = scale·dS·K, dK = Σ_heads scale·dSᵀ·Q,
    /// into `dq`, `dk`, `dv` (gradients of the post-RoPE Q and K). Masked entries have P = 0, so dS is 0 there too.
    func attentionBackward(_ a: BlockActivations) {
        let c = config, t = length, hd = c.headDim, qw = c.queryWidth, kvw = c.kvWidth
        let group = c.heads / c.kvHeads
        let n = batch * t
        dk.update(repeating: 0, count: n * kvw)
        dv.update(repeating: 0, count: n * kvw)
        for b in 0..<batch {
            for h in 0..<c.heads {
                let g = h / group
                let qb = a.q + b * t * qw + h * hd, kb = a.k + b * t * kvw + g * hd, vb = a.v + b * t * kvw + g * hd
                let p = a.probs + (b * c.heads + h) * t * t
                let dy = datt + b * t * qw + h * hd
                let dqb = dq + b * t * qw + h * hd, dkb = dk + b * t * kvw + g * hd, dvb = dv + b * t * kvw + g * hd
                BLAS.gemm(false, true, t, t, hd, 1, dy, qw, vb, kvw, 0, dprobs, t)
                BLAS.gemm(true, false, t, hd, t, 1, p, t, dy, qw, 1, dvb, kvw)
                Kernels.softmaxBackward(p, dprobs, length: t)
                BLAS.gemm(false, false, t, hd, t, c.attentionScale, dprobs, t, kb, kvw, 0, dqb, qw)
                BLAS.gemm(true, false, t, hd, t, c.attentionScale, dprobs, t, qb, qw, 1, dkb, kvw)
            }
        }
    }
}
