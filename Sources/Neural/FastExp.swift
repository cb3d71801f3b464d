/// e^x without libm, for the hot loops: Cody–Waite range reduction (x = k·ln2 + r, |r| ≤ ln2/2), e^r by a Taylor
/// polynomial, and 2^k built in the exponent bits. Inputs are clamped to [−87, 88], so e^x never over- or underflows.
///
/// One body serves a lone Float (inside plain loops that LLVM vectorises, as the MiniLM kernels are written) and
/// eight lanes (``VectorMath``); the caller picks the polynomial, because each model's numbers were fixed with its own.
enum FastExp {
    enum TaylorDegree {
        /// Relative error below 2e-7 on [−87, 88].
        case six
        /// Relative error below 1e-8.
        case seven
    }

    @inline(__always)
    static func exp<Lanes: FastExpLanes>(_ x: Lanes, degree: TaylorDegree) -> Lanes {
        let clamped = x.clamped(-87, 88)
        // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits: no float→int conversion needed.
        let shifter = Lanes(broadcast: 12_582_912)
        let shifted = clamped * Lanes(broadcast: 1.442_695_04) + shifter
        let k = shifted - shifter
        let r = (clamped - k * Lanes(broadcast: 0.693_145_75)) - k * Lanes(broadcast: 1.428_606_8e-6)
        var p = Lanes(broadcast: 1.0 / 720)
        if degree == .seven { p = Lanes(broadcast: 1.0 / 5040) * r + p }
        p = p * r + Lanes(broadcast: 1.0 / 120)
        p = p * r + Lanes(broadcast: 1.0 / 24)
        p = p * r + Lanes(broadcast: 1.0 / 6)
        p = p * r + Lanes(broadcast: 0.5)
        p = p * r + Lanes(broadcast: 1)
        p = p * r + Lanes(broadcast: 1)
        return p * Lanes.powerOfTwo(shifted: shifted)
    }
}

/// A Float or a vector of Floats, with the lane-wise operations ``FastExp`` needs.
protocol FastExpLanes {
    init(broadcast value: Float)
    static func + (lhs: Self, rhs: Self) -> Self
    static func - (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Self) -> Self
    func clamped(_ lower: Float, _ upper: Float) -> Self
    /// 2^k for `shifted` = k + 1.5·2²³, k an integer in [−126, 127]: k + 127 moved into the exponent bits.
    static func powerOfTwo(shifted: Self) -> Self
}

extension Float: FastExpLanes {
    @inline(__always)
    init(broadcast value: Float) { self = value }

    @inline(__always)
    func clamped(_ lower: Float, _ upper: Float) -> Float { Swift.min(Swift.max(self, lower), upper) }

    @inline(__always)
    static func powerOfTwo(shifted: Float) -> Float {
        Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
    }
}

extension SIMD8: FastExpLanes where Scalar == Float {
    @inline(__always)
    init(broadcast value: Float) { self.init(repeating: value) }

    // Swift's generic `clamped` lowers to lane-by-lane code; masks keep this vector code.
    @inline(__always)
    func clamped(_ lower: Float, _ upper: Float) -> SIMD8<Float> {
        var result = replacing(with: lower, where: self .< lower)
        result.replace(with: upper, where: result .> upper)
        return result
    }

    @inline(__always)
    static func powerOfTwo(shifted: SIMD8<Float>) -> SIMD8<Float> {
        let k = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000
        return unsafeBitCast((k &+ 127) &<< 23, to: SIMD8<Float>.self)
    }
}
