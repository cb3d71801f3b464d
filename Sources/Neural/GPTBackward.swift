extension GPTEngine {
    /// Backward pass of the last `forwardLoss`: adds ∂loss/∂weights into `grad` (same layout as the weights) for
    /// the tensors `trainable` selects. Frozen blocks still pass the gradient down when a trainable one lies below.
    public func backward(_ w: UnsafePointer<Float>, _ grad: UnsafeMutablePointer<Float>, trainable: TrainableTensors = .all) {
        let m = lossRows.count
        guard m > 0 else { return }
        let n = batch * length, d = config.dModel, f = config.mlpWidth, v = config.vocabSize
        let wte = w + wteOffset
        let allRows = m == n
        let input = allRows ? lnf : headIn

        // Tied head: logits = input · wteᵀ.
        let dInput = allRows ? dln : dhead
        BLAS.gemm(false, false, m, d, v, 1, logits, v, wte, d, 0, dInput, d)
        if trainable.embeddings {
            BLAS.gemm(true, false, v, d, m, 1, logits, v, input, d, 1, grad + wteOffset, d)
        }
        if !allRows {
            dln.update(repeating: 0, count: n * d)
            for (i, row) in lossRows.enumerated() { (dln + Int(row) * d).update(from: dhead + i * d, count: d) }
        }
        // Rows of the batch that carry no loss and sit after every loss row of their sequence get no gradient;
        // the loops below still run over all rows, which keeps them simple and costs little.
        dres.update(repeating: 0, count: n * d)
        let last = residual + config.layers * maxRows * d
        Kernels.layerNormBackward(dln, last, meanF, rstdF, w + lnfGain,
                                  trainable.finalNorm ? grad + lnfGain : nil, trainable.finalNorm ? grad + lnfBias : nil,
                                  dres, rows: n, width: d)

        let lowest = trainable.embeddings ? 0 : ((0..<config.layers).first { trainable.trains(layer: $0) } ?? config.layers)
        for l in stride(from: config.layers - 1, through: lowest, by: -1) {
            let o = blocks[l]
            let trains = trainable.trains(layer: l)
            let x = residual + l * maxRows * d
            let a1 = ln1 + l * maxRows * d, y = attY + l * maxRows * d
            let mm = mid + l * maxRows * d, a2 = ln2 + l * maxRows * d
            let pre = fcPre + l * maxRows * f, act = fcAct + l * maxRows * f

            // MLP: out = mid + gelu(ln2 · Wfcᵀ + bfc) · Wprojᵀ + bproj.
            BLAS.gemm(false, false, n, f, d, 1, dres, d, w + o.mlpW, f, 0, dfc, f)
            if trains {
                BLAS.gemm(true, false, d, f, n, 1, dres, d, act, f, 1, grad + o.mlpW, f)
                Kernels.columnSums(dres, into: grad + o.mlpB, rows: n, width: d)
            }
            Kernels.geluBackward(pre, dfc, count: n * f)
            BLAS.gemm(false, false, n, d, f, 1, dfc, f, w + o.fcW, d, 0, dln, d)
            if trains {
                BLAS.gemm(true, false, f, d, n, 1, dfc, f, a2, d, 1, grad + o.fcW, d)
                Kernels.columnSums(dfc, into: grad + o.fcB, rows: n, width: f)
            }
            Kernels.layerNormBackward(dln, mm, mean2 + l * maxRows, rstd2 + l * maxRows, w + o.ln2g,
                                      trains ? grad + o.ln2g : nil, trains ? grad + o.ln2b : nil, dres, rows: n, width: d)

            // Attention: mid = x + attention(ln1 · Wattnᵀ + battn) · Wprojᵀ + bproj.
            BLAS.gemm(false, false, n, d, d, 1, dres, d, w + o.projW, d, 0, dattY, d)
            if trains {
                BLAS.gemm(true, false, d, d, n, 1, dres, d, y, d, 1, grad + o.projW, d)
                Kernels.columnSums(dres, into: grad + o.projB, rows: n, width: d)
            }
            attentionBackward(layer: l)
            BLAS.gemm(false, false, n, d, 3 * d, 1, dqkv, 3 * d, w + o.attnW, d, 0, dln, d)
            if trains {
                BLAS.gemm(true, false, 3 * d, d, n, 1, dqkv, 3 * d, a1, d, 1, grad + o.attnW, d)
                Kernels.columnSums(dqkv, into: grad + o.attnB, rows: n, width: 3 * d)
            }
            Kernels.layerNormBackward(dln, x, mean1 + l * maxRows, rstd1 + l * maxRows, w + o.ln1g,
                                      trains ? grad + o.ln1g : nil, trains ? grad + o.ln1b : nil, dres, rows: n, width: d)
        }
        guard trainable.embeddings else { return }
        let dwte = grad + wteOffset, dwpe = grad + wpeOffset
        for r in 0..<n {
            let g = dres + r * d, e = dwte + Int(tokens[r]) * d, p = dwpe + (r % length) * d
            for i in 0..<d { e[i] += g[i]; p[i] += g[i] }
        }
    }

    /// Per sequence and head: dV = Pᵀ·dY, dP = dY·Vᵀ, dS = softmax′(dP), dQ = dS·K/√hd, dK = dSᵀ·Q/√hd, written
    /// straight into the q | k | v columns of `dqkv`. The same two query halves as the forward pass: products
    /// over the first half's masked keys (all zero) are skipped.
    private func attentionBackward(layer l: Int) {
        let d = config.dModel, hd = config.headDim, t = length, h = config.heads
        let scale = 1 / Float(hd).squareRoot()
        let q = qkv + l * maxRows * 3 * d
        let half = t >= 8 ? t / 2 : 0, rest = t - half
        for b in 0..<batch {
            for head in 0..<h {
                let qb = q + b * t * 3 * d + head * hd, kb = qb + d, vb = qb + 2 * d
                let dqb = dqkv + b * t * 3 * d + head * hd, dkb = dqb + d, dvb = dqb + 2 * d
                let dy = dattY + b * t * d + head * hd
                let p = probs + (l * maxBatch * h + b * h + head) * t * t
                let pLate = p + half * t, dsLate = dprobs + half * t  // rows half..<t
                // dP = dY·Vᵀ (first-half rows only over the first-half keys).
                if half > 0 { BLAS.gemm(false, true, half, half, hd, 1, dy, d, vb, 3 * d, 0, dprobs, t) }
                BLAS.gemm(false, true, rest, t, hd, 1, dy + half * d, d, vb, 3 * d, 0, dsLate, t)
                // dV = Pᵀ·dY: first-half keys see every query row, second-half keys only the second half.
                if half > 0 { BLAS.gemm(true, false, half, hd, t, 1, p, t, dy, d, 0, dvb, 3 * d) }
                BLAS.gemm(true, false, rest, hd, rest, 1, pLate + half, t, dy + half * d, d, 0, dvb + half * 3 * d, 3 * d)
                Kernels.softmaxBackward(p, dprobs, length: t)
                // dQ = dS·K/√hd.
                if half > 0 { BLAS.gemm(false, false, half, hd, half, scale, dprobs, t, kb, 3 * d, 0, dqb, 3 * d) }
                BLAS.gemm(false, false, rest, hd, t, scale, dsLate, t, kb, 3 * d, 0, dqb + half * 3 * d, 3 * d)
                // dK = dSᵀ·Q/√hd.
                if half > 0 { BLAS.gemm(true, false, half, hd, t, scale, dprobs, t, qb, 3 * d, 0, dkb, 3 * d) }
                BLAS.gemm(true, false, rest, hd, rest, scale, dsLate + half, t, qb + half * 3 * d, 3 * d, 0, dkb + half * 3 * d, 3 * d)
            }
        }
    }
}
