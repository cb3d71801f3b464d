/// Element-wise kernels of the MiniLM encoder.
///
/// They are written as plain loops over raw pointers with branch-free bodies, which LLVM vectorises for whatever
/// the build targets; Swift's generic SIMD helpers (`replacing`, `clamped`, `max()`) lower to lane-by-lane code.
/// `exp` and `erf` are computed in-line rather than through libm: a libm call per element of the T × 1536
/// feed-forward activations would cost as much as the matrix products around it.
enum MiniLMKernels {
    /// e^x with the degree-7 polynomial of ``FastExp`` (relative error < 1e-8), the one the encoder was checked with.
    @inline(__always)
    static func exp(_ x: Float) -> Float { FastExp.exp(x, degree: .seven) }

    /// GELU in its exact (erf) form, 0.5·x·(1 + erf(x/√2)), as BERT uses it. erf comes from Abramowitz & Stegun
    /// 7.1.26 (|error| ≤ 1.5e-7); for x < 0 the complement 1 − erf(|z|) is used directly, avoiding cancellation.
    @inline(__always)
    static func gelu(_ x: Float) -> Float {
        let z = Swift.abs(x) * 0.707_106_77
        let t = 1 / (1 + 0.327_591_1 * z)
        var poly: Float = 1.061_405_429
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        let erfc = poly * t * exp(-z * z)  // 1 − erf(z), z ≥ 0
        return 0.5 * x * (x < 0 ? erfc : 2 - erfc)
    }

    /// x ← GELU(x + bias) over `rows` rows of `columns`.
    static func biasGELU(_ x: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>) {
        for row in 0..<rows {
            let p = x + row * columns
            for c in 0..<columns { p[c] = gelu(p[c] + bias[c]) }
        }
    }

    /// Sum of `count` values, with eight independent accumulators (vectorisable, and shorter rounding chains).
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ count: Int) -> Float {
        var lanes = SIMD8<Float>()
        let full = count & ~7
        var c = 0
        while c < full {
            lanes += SIMD8(p[c], p[c + 1], p[c + 2], p[c + 3], p[c + 4], p[c + 5], p[c + 6], p[c + 7])
            c += 8
        }
        var total = horizontalSum(lanes)
        while c < count { total += p[c]; c += 1 }
        return total
    }

    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        let four = v.lowHalf + v.highHalf, two = four.lowHalf + four.highHalf
        return two.x + two.y
    }

    /// x ← LayerNorm(x + residual + bias) per row of `width`; `residual` and `bias` may be nil.
    static func addLayerNorm(_ x: UnsafeMutablePointer<Float>, rows: Int, width: Int,
                             residual: UnsafePointer<Float>?, bias: UnsafePointer<Float>?,
                             gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, epsilon: Float) {
        for row in 0..<rows {
            let p = x + row * width
            if let residual { let q = residual + row * width; for c in 0..<width { p[c] += q[c] } }
            if let bias { for c in 0..<width { p[c] += bias[c] } }
            let mean = sum(p, width) / Float(width)
            for c in 0..<width { p[c] -= mean }
            var squares = SIMD8<Float>()
            var c = 0
            while c + 8 <= width {
                let v = SIMD8(p[c], p[c + 1], p[c + 2], p[c + 3], p[c + 4], p[c + 5], p[c + 6], p[c + 7])
                squares += v * v
                c += 8
            }
            var variance = horizontalSum(squares)
            while c < width { variance += p[c] * p[c]; c += 1 }
            let inverse = 1 / (variance / Float(width) + epsilon).squareRoot()
            for c in 0..<width { p[c] = p[c] * inverse * gamma[c] + beta[c] }
        }
    }

    /// Row-wise softmax of `rows` rows of `columns` values (row stride `stride`), in place.
    static func softmaxRows(_ s: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int) {
        for row in 0..<rows {
            let p = s + row * stride
            var m = -Float.infinity
            for c in 0..<columns { m = p[c] > m ? p[c] : m }
            for c in 0..<columns { p[c] = exp(p[c] - m) }
            let inverse = 1 / sum(p, columns)
            for c in 0..<columns { p[c] *= inverse }
        }
    }
}
