import Foundation

extension MiniLMEncoder {
    /// Runs the encoder on one packed batch (sequences concatenated, no padding) and returns the pooled,
    /// normalised embeddings, one row per sequence.
    func forward(_ batch: [[Int]]) -> [Float] {
        let h = config.hidden, f = config.intermediate, heads = config.heads, eps = config.layerNormEpsilon
        let offsets = batch.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        let t = offsets.last!
        var x = [Float](repeating: 0, count: t * h)
        var other = [Float](repeating: 0, count: t * h)
        var qkv = [Float](repeating: 0, count: t * 3 * h)
        var context = [Float](repeating: 0, count: t * h)
        var ffn = [Float](repeating: 0, count: t * f)

        // Embeddings: word + position + token type 0, then LayerNorm.
        let flatIDs = batch.flatMap { $0 }
        let positions = batch.flatMap { $0.indices }
        x.withUnsafeMutableBufferPointer { xb in
            let xb = xb
            MiniLMParallel.forChunks(t, minimumChunk: 64) { rows in
                for r in rows {
                    let word = flatIDs[r] * h, position = positions[r] * h
                    for c in 0..<h {
                        xb[r * h + c] = weights.wordEmbeddings[word + c] + weights.positionEmbeddings[position + c]
                            + weights.tokenTypeEmbedding[c]
                    }
                }
                MiniLMKernels.addLayerNorm(xb.baseAddress! + rows.lowerBound * h, rows: rows.count, width: h,
                                           residual: nil, bias: nil, gamma: weights.embeddingNormGamma,
                                           beta: weights.embeddingNormBeta, epsilon: eps)
            }
        }

        for layer in weights.layers {
            linear(x, layer.qkv, layer.qkvBias, rows: t, inputs: h, outputs: 3 * h, into: &qkv)
            attention(qkv, offsets: offsets, heads: heads, into: &context)
            linear(context, layer.output, nil, rows: t, inputs: h, outputs: h, into: &other)
            residualNorm(&other, residual: x, bias: layer.outputBias, gamma: layer.attentionNormGamma,
                         beta: layer.attentionNormBeta, rows: t)
            swap(&x, &other)
            linear(x, layer.ffnIn, nil, rows: t, inputs: h, outputs: f, into: &ffn)
            ffn.withUnsafeMutableBufferPointer { fb in
                let fb = fb
                MiniLMParallel.forChunks(t, minimumChunk: 16) { rows in
                    MiniLMKernels.biasGELU(fb.baseAddress! + rows.lowerBound * f, rows: rows.count, columns: f,
                                           bias: layer.ffnInBias)
                }
            }
            linear(ffn, layer.ffnOut, nil, rows: t, inputs: f, outputs: h, into: &other)
            residualNorm(&other, residual: x, bias: layer.ffnOutBias, gamma: layer.outputNormGamma,
                         beta: layer.outputNormBeta, rows: t)
            swap(&x, &other)
        }
        return meanPoolAndNormalize(x, offsets: offsets)
    }

    /// out[rows × outputs] = input[rows × inputs] · weightᵀ (+ bias), weight stored [outputs × inputs].
    private func linear(_ input: [Float], _ weight: [Float], _ bias: [Float]?, rows: Int, inputs: Int, outputs: Int,
                        into out: inout [Float]) {
        // Each worker multiplies its own block of rows with single-threaded BLAS (see `embed(tokenIDs:)`).
        out.withUnsafeMutableBufferPointer { o in
            let o = o
            input.withUnsafeBufferPointer { ib in
                MiniLMParallel.forChunks(rows, minimumChunk: 32) { range in
                    let c = o.baseAddress! + range.lowerBound * outputs
                    if let bias { for r in 0..<range.count { (c + r * outputs).update(from: bias, count: outputs) } }
                    BLAS.gemm(false, true, range.count, outputs, inputs, 1, ib.baseAddress! + range.lowerBound * inputs,
                              inputs, weight, inputs, bias == nil ? 0 : 1, c, outputs)
                }
            }
        }
    }

    private func residualNorm(_ x: inout [Float], residual: [Float], bias: [Float], gamma: [Float], beta: [Float],
                              rows: Int) {
        let h = config.hidden, eps = config.layerNormEpsilon
        x.withUnsafeMutableBufferPointer { xb in
            let xb = xb
            residual.withUnsafeBufferPointer { rb in
                MiniLMParallel.forChunks(rows, minimumChunk: 32) { range in
                    MiniLMKernels.addLayerNorm(xb.baseAddress! + range.lowerBound * h, rows: range.count, width: h,
                                               residual: rb.baseAddress! + range.lowerBound * h, bias: bias,
                                               gamma: gamma, beta: beta, epsilon: eps)
                }
            }
        }
    }

    /// Scaled dot-product attention of every sequence with itself, every head; queries are pre-scaled.
    private func attention(_ qkv: [Float], offsets: [Int], heads: Int, into context: inout [Float]) {
        let h = config.hidden, d = h / heads, stride3 = 3 * h
        let sequences = offsets.count - 1
        let longest = (0..<sequences).map { offsets[$0 + 1] - offsets[$0] }.max() ?? 0
        let units = sequences * heads
        context.withUnsafeMutableBufferPointer { cb in
            let cb = cb
            qkv.withUnsafeBufferPointer { qb in
                // Interleaved units balance the workers: batches are sorted, so early sequences are the longest.
                MiniLMParallel.forInterleaved(units) { workerUnits in
                    let scores = UnsafeMutablePointer<Float>.allocate(capacity: longest * longest)
                    defer { scores.deallocate() }
                    for unit in workerUnits {
                        let s = unit / heads, head = unit % heads
                        let start = offsets[s], n = offsets[s + 1] - start
                        let q = qb.baseAddress! + start * stride3 + head * d
                        BLAS.gemm(false, true, n, n, d, 1, q, stride3, q + h, stride3, 0, scores, n)
                        MiniLMKernels.softmaxRows(scores, rows: n, columns: n, stride: n)
                        BLAS.gemm(false, false, n, d, n, 1, scores, n, q + 2 * h, stride3, 0,
                                  cb.baseAddress! + start * h + head * d, h)
                    }
                }
            }
        }
    }

    private func meanPoolAndNormalize(_ x: [Float], offsets: [Int]) -> [Float] {
        let h = config.hidden
        var pooled = [Float](repeating: 0, count: (offsets.count - 1) * h)
        for s in 0..<(offsets.count - 1) {
            let n = offsets[s + 1] - offsets[s]
            var sum = [Double](repeating: 0, count: h)
            for r in offsets[s]..<offsets[s + 1] { for c in 0..<h { sum[c] += Double(x[r * h + c]) } }
            let norm = max(sum.reduce(0) { $0 + $1 * $1 }.squareRoot() / Double(n), 1e-12)
            for c in 0..<h { pooled[s * h + c] = Float(sum[c] / Double(n) / norm) }
        }
        return pooled
    }
}
