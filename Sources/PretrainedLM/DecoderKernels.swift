import Foundation
import Neural

/// The row-wise and elementwise loops of the decoders that MicroLM's `Kernels` does not already have: RMSNorm,
/// rotary embeddings, the SiLU gate and a causal softmax with an optional sliding window. Raw pointers, no
/// allocation; eight-lane vector code where it pays (`VectorMath`).
enum DecoderKernels {
    typealias In = UnsafePointer<Float>
    typealias Out = UnsafeMutablePointer<Float>
    typealias V = VectorMath.V
    static let lanes = VectorMath.lanes

    /// out = x / √(mean(x²) + ε) · g per row of `width`; keeps each row's 1/rms for the backward pass.
    static func rmsNorm(_ x: In, _ g: In, _ out: Out, _ rstd: Out, rows: Int, width: Int, epsilon: Float) {
        for r in 0..<rows {
            let xr = x + r * width, o = out + r * width
            let rs = 1 / (VectorMath.dot(xr, xr, width) / Float(width) + epsilon).squareRoot()
            let vrs = V(repeating: rs)
            var i = 0
            while i + lanes <= width {
                VectorMath.store(VectorMath.load(xr + i) * vrs * VectorMath.load(g + i), o + i)
                i += lanes
            }
            while i < width { o[i] = xr[i] * rs * g[i]; i += 1 }
            rstd[r] = rs
        }
    }

    /// Gradient through RMSNorm: dx = rs·(dy⊙g) − x·rs³·⟨dy⊙g, x⟩/width, added to `dx` when `accumulate` (a residual
    /// branch), else written; dg += dy⊙x·rs when given.
    static func rmsNormBackward(_ dy: In, _ x: In, _ rstd: In, _ g: In, _ dg: Out?, _ dx: Out,
                                rows: Int, width: Int, accumulate: Bool) {
        for r in 0..<rows {
            let dr = dy + r * width, xr = x + r * width, dxr = dx + r * width
            let rs = rstd[r]
            var acc = V(), i = 0
            while i + lanes <= width {
                acc += VectorMath.load(dr + i) * VectorMath.load(g + i) * VectorMath.load(xr + i)
                i += lanes
            }
            var dot = acc.sum()
            while i < width { dot += dr[i] * g[i] * xr[i]; i += 1 }
            let c = dot * rs * rs * rs / Float(width)
            let vrs = V(repeating: rs), vc = V(repeating: c)
            i = 0
            while i + lanes <= width {
                let xv = VectorMath.load(xr + i), dv = VectorMath.load(dr + i)
                var value = vrs * dv * VectorMath.load(g + i) - xv * vc
                if accumulate { value += VectorMath.load(dxr + i) }
                VectorMath.store(value, dxr + i)
                if let dg { VectorMath.store(VectorMath.load(dg + i) + dv * xv * vrs, dg + i) }
                i += lanes
            }
            while i < width {
                let value = rs * dr[i] * g[i] - xr[i] * c
                dxr[i] = accumulate ? dxr[i] + value : value
                if let dg { dg[i] += dr[i] * xr[i] * rs }
                i += 1
            }
        }
    }

    /// Rotary embedding, rotate-half form, in place: for each head of each row (position = row % length), the
    /// pairs (i, i + hd/2) turn by position·θᵢ. `inverse` turns them back, which is also the backward pass.
    static func rope(_ x: Out, rows: Int, length: Int, heads: Int, headDim: Int, table: RopeTable, inverse: Bool) {
        let half = headDim / 2, width = heads * headDim
        let sign: Float = inverse ? -1 : 1
        for r in 0..<rows {
            let cos = table.cos + (r % length) * half, sin = table.sin + (r % length) * half
            for h in 0..<heads {
                let v = x + r * width + h * headDim
                for i in 0..<half {
                    let a = v[i], b = v[i + half], c = cos[i], s = sign * sin[i]
                    v[i] = a * c - b * s
                    v[i + half] = b * c + a * s
                }
            }
        }
    }

    /// act = silu(gate) · up, silu(x) = x·σ(x).
    static func siluGate(_ gate: In, _ up: In, _ act: Out, count: Int) {
        var i = 0
        while i + lanes <= count {
            let g = VectorMath.load(gate + i)
            VectorMath.store(g / (1 + VectorMath.exp(-g)) * VectorMath.load(up + i), act + i)
            i += lanes
        }
        while i < count { let g = gate[i]; act[i] = g / (1 + VectorMath.exp(-g)) * up[i]; i += 1 }
    }

    /// From dact: dup = dact·silu(gate), dgate = dact·up·σ(gate)(1 + gate(1 − σ(gate))).
    static func siluGateBackward(_ gate: In, _ up: In, _ dact: In, _ dgate: Out, _ dup: Out, count: Int) {
        var i = 0
        while i + lanes <= count {
            let g = VectorMath.load(gate + i), d = VectorMath.load(dact + i)
            let s = 1 / (1 + VectorMath.exp(-g))
            VectorMath.store(d * g * s, dup + i)
            VectorMath.store(d * VectorMath.load(up + i) * s * (1 + g * (1 - s)), dgate + i)
            i += lanes
        }
        while i < count {
            let g = gate[i], d = dact[i], s = 1 / (1 + VectorMath.exp(-g))
            dup[i] = d * g * s
            dgate[i] = d * up[i] * s * (1 + g * (1 - s))
            i += 1
        }
    }

    /// act = gelu_tanh(gate) · up.
    static func geluGate(_ gate: In, _ up: In, _ act: Out, count: Int) {
        Kernels.gelu(gate, act, count: count)
        for i in 0..<count { act[i] *= up[i] }
    }

    /// From dact: dup = dact·gelu(gate), dgate = dact·up·gelu′(gate).
    static func geluGateBackward(_ gate: In, _ up: In, _ dact: In, _ dgate: Out, _ dup: Out, count: Int) {
        Kernels.gelu(gate, dup, count: count)
        for i in 0..<count {
            dup[i] *= dact[i]
            dgate[i] = dact[i] * up[i]
        }
        Kernels.geluBackward(gate, dgate, count: count)
    }

    /// Row-wise softmax of a T×T score matrix in place, row i over columns lo(i)...i with lo(i) = i − window + 1
    /// (or 0 without a window); every other entry becomes 0.
    static func causalSoftmax(_ s: Out, length t: Int, window: Int?) {
        for i in 0..<t {
            let row = s + i * t
            let lo = window.map { Swift.max(0, i - $0 + 1) } ?? 0
            let n = i + 1 - lo
            let m = VectorMath.max(row + lo, n)
            let sum = VectorMath.expShiftedInPlace(row + lo, n, shift: m)
            VectorMath.scale(row + lo, n, by: 1 / sum)
            if lo > 0 { row.update(repeating: 0, count: lo) }
            if i + 1 < t { (row + i + 1).update(repeating: 0, count: t - i - 1) }
        }
    }
}

/// cos and sin of position·θᵢ for positions 0..<length and θᵢ = base^(−2i/headDim), computed as transformers does:
/// θ and the angle in Float32, then cos and sin of that Float32 angle.
final class RopeTable {
    let cos: UnsafeMutablePointer<Float>
    let sin: UnsafeMutablePointer<Float>

    init(base: Double, headDim: Int, length: Int) {
        let half = headDim / 2
        cos = .allocate(capacity: length * half)
        sin = .allocate(capacity: length * half)
        let inverse = (0..<half).map { 1 / powf(Float(base), Float(2 * $0) / Float(headDim)) }
        for p in 0..<length {
            for i in 0..<half {
                let angle = Float(p) * inverse[i]
                cos[p * half + i] = Float(Foundation.cos(Double(angle)))
                sin[p * half + i] = Float(Foundation.sin(Double(angle)))
            }
        }
    }

    deinit {
        cos.deallocate()
        sin.deallocate()
    }
}
