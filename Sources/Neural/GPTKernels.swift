/// The elementwise and row-wise loops of MicroLM's forward and backward passes, over raw pointers so the hot
/// loops neither allocate nor bounds-check, in eight-lane vector code (`VectorMath`). Matrix products go to
/// `BLAS.gemm`.
public enum Kernels {
    public typealias In = UnsafePointer<Float>
    public typealias Out = UnsafeMutablePointer<Float>
    typealias V = VectorMath.V
    static let lanes = VectorMath.lanes

    /// out = (x − mean) / √(var + ε) · g + b per row; keeps each row's mean and 1/σ for the backward pass.
    static func layerNorm(_ x: In, _ g: In, _ b: In, _ out: Out, _ mean: Out, _ rstd: Out, rows: Int, width: Int) {
        let n = Float(width)
        for r in 0..<rows {
            let xr = x + r * width, o = out + r * width
            let m = VectorMath.sum(xr, width) / n
            var acc = V(), i = 0
            let vm = V(repeating: m)
            while i + lanes <= width { let c = VectorMath.load(xr + i) - vm; acc += c * c; i += lanes }
            var v = acc.sum()
            while i < width { let c = xr[i] - m; v += c * c; i += 1 }
            let rs = 1 / (v / n + GPTConfig.layerNormEpsilon).squareRoot()
            let vrs = V(repeating: rs)
            i = 0
            while i + lanes <= width {
                VectorMath.store((VectorMath.load(xr + i) - vm) * vrs * VectorMath.load(g + i) + VectorMath.load(b + i), o + i)
                i += lanes
            }
            while i < width { o[i] = (xr[i] - m) * rs * g[i] + b[i]; i += 1 }
            mean[r] = m
            rstd[r] = rs
        }
    }

    /// Adds the gradient through LayerNorm to `dx` (it is a residual branch, so the caller's gradient is already
    /// there) and, when given, accumulates the gain and bias gradients.
    static func layerNormBackward(_ dout: In, _ x: In, _ mean: In, _ rstd: In, _ g: In,
                                  _ dg: Out?, _ db: Out?, _ dx: Out, rows: Int, width: Int) {
        let n = Float(width)
        for r in 0..<rows {
            let xr = x + r * width, dr = dout + r * width, dxr = dx + r * width
            let m = mean[r], rs = rstd[r]
            let vm = V(repeating: m), vrs = V(repeating: rs)
            var acc1 = V(), acc2 = V(), i = 0
            while i + lanes <= width {
                let dxhat = VectorMath.load(dr + i) * VectorMath.load(g + i)
                acc1 += dxhat
                acc2 += dxhat * (VectorMath.load(xr + i) - vm) * vrs
                i += lanes
            }
            var sum1 = acc1.sum(), sum2 = acc2.sum()
            while i < width {
                let dxhat = dr[i] * g[i]
                sum1 += dxhat
                sum2 += dxhat * (xr[i] - m) * rs
                i += 1
            }
            let mean1 = V(repeating: sum1 / n), mean2 = V(repeating: sum2 / n)
            i = 0
            while i + lanes <= width {
                let d = VectorMath.load(dr + i)
                let xhat = (VectorMath.load(xr + i) - vm) * vrs
                VectorMath.store(VectorMath.load(dxr + i) + vrs * (d * VectorMath.load(g + i) - mean1 - xhat * mean2), dxr + i)
                if let dg, let db {
                    VectorMath.store(VectorMath.load(dg + i) + d * xhat, dg + i)
                    VectorMath.store(VectorMath.load(db + i) + d, db + i)
                }
                i += lanes
            }
            while i < width {
                let xhat = (xr[i] - m) * rs
                dxr[i] += rs * (dr[i] * g[i] - sum1 / n - xhat * sum2 / n)
                if let dg, let db { dg[i] += dr[i] * xhat; db[i] += dr[i] }
                i += 1
            }
        }
    }

    static let geluC: Float = 0.7978845608028654  // √(2/π)

    /// GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
    public static func gelu(_ x: In, _ out: Out, count: Int) {
        var i = 0
        while i + lanes <= count {
            let v = VectorMath.load(x + i)
            let t = VectorMath.tanh(geluC * (v + 0.044715 * v * v * v))
            VectorMath.store(0.5 * v * (1 + t), out + i)
            i += lanes
        }
        while i < count {
            let v = x[i]
            out[i] = 0.5 * v * (1 + VectorMath.tanh(geluC * (v + 0.044715 * v * v * v)))
            i += 1
        }
    }

    /// grad ← grad · GELU′(x), in place.
    public static func geluBackward(_ x: In, _ grad: Out, count: Int) {
        var i = 0
        while i + lanes <= count {
            let v = VectorMath.load(x + i)
            let t = VectorMath.tanh(geluC * (v + 0.044715 * v * v * v))
            let inner: V = geluC * (1 + 0.134145 * v * v)  // d/dv of the tanh argument
            let slope: V = 0.5 * v * (1 - t * t) * inner
            let derivative: V = 0.5 * (1 + t) + slope
            VectorMath.store(VectorMath.load(grad + i) * derivative, grad + i)
            i += lanes
        }
        while i < count {
            let v = x[i]
            let t = VectorMath.tanh(geluC * (v + 0.044715 * v * v * v))
            grad[i] *= 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * geluC * (1 + 0.134145 * v * v)
            i += 1
        }
    }

    /// Each row of y gets the bias b.
    static func fillRows(_ y: Out, with b: In, rows: Int, width: Int) {
        for r in 0..<rows { (y + r * width).update(from: b, count: width) }
    }

    static func addRows(_ y: Out, _ b: In, rows: Int, width: Int) {
        for r in 0..<rows {
            let yr = y + r * width
            for i in 0..<width { yr[i] += b[i] }
        }
    }

    /// db += Σ_rows dy.
    static func columnSums(_ dy: In, into db: Out, rows: Int, width: Int) {
        for r in 0..<rows {
            let dr = dy + r * width
            for i in 0..<width { db[i] += dr[i] }
        }
    }

    /// Row-wise causal softmax of an T×T score matrix in place: row i keeps columns 0...i, the rest become 0.
    static func causalSoftmax(_ s: Out, length t: Int) {
        for i in 0..<t {
            let row = s + i * t
            let m = VectorMath.max(row, i + 1)
            let sum = VectorMath.expShiftedInPlace(row, i + 1, shift: m)
            VectorMath.scale(row, i + 1, by: 1 / sum)
            if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
        }
    }

    /// dS = P ⊙ (dP − rowsum(P ⊙ dP)), in place in dP; masked entries have P = 0 and stay 0.
    public static func softmaxBackward(_ p: In, _ dp: Out, length t: Int) {
        for i in 0..<t {
            let pr = p + i * t, dr = dp + i * t, n = i + 1
            let dot = V(repeating: VectorMath.dot(pr, dr, n))
            var j = 0
            while j + lanes <= n {
                VectorMath.store(VectorMath.load(pr + j) * (VectorMath.load(dr + j) - dot), dr + j)
                j += lanes
            }
            while j < n { dr[j] = pr[j] * (dr[j] - dot[0]); j += 1 }
            if n < t { (dr + n).update(repeating: 0, count: t - n) }
        }
    }

    /// Softmax cross-entropy of `rows` logit rows against `targets`. Returns the summed NLL (in Double); writes each
    /// row's NLL to `nll` when given; when `gradScale` is given, overwrites the logits with
    /// gradScale · (softmax − onehot), the gradient of gradScale · Σ NLL.
    public static func crossEntropy(_ logits: Out, _ targets: UnsafePointer<Int32>, rows: Int, vocab: Int,
                             nll: Out?, gradScale: Float?) -> Double {
        var total: Double = 0
        for r in 0..<rows {
            let row = logits + r * vocab
            let m = VectorMath.max(row, vocab)
            let target = Int(targets[r])
            let targetLogit = row[target]
            let sum: Float
            if let scale = gradScale {
                sum = VectorMath.expShiftedInPlace(row, vocab, shift: m)
                VectorMath.scale(row, vocab, by: scale / sum)
                row[target] -= scale
            } else {
                sum = VectorMath.sumExpShifted(row, vocab, shift: m)
            }
            let loss = m + logf(sum) - targetLogit
            nll?[r] = loss
            total += Double(loss)
        }
        return total
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
