/// Eight-lane float math for the hot loops: exp and tanh as vector code, and reductions that the compiler cannot
/// vectorise by itself (float sums may not be reordered without being told to).
public enum VectorMath {
    public typealias V = SIMD8<Float>
    public static let lanes = 8

    @inline(__always)
    public static func load(_ p: UnsafePointer<Float>) -> V { UnsafeRawPointer(p).loadUnaligned(as: V.self) }

    @inline(__always)
    public static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self) }

    /// e^x with the degree-6 polynomial of ``FastExp``: relative error below 2e-7 on [−87, 88].
    @inline(__always)
    public static func exp(_ x: V) -> V { FastExp.exp(x, degree: .six) }

    @inline(__always)
    public static func exp(_ x: Float) -> Float { exp(V(repeating: x))[0] }

    /// tanh(x) = 1 − 2 / (e^{2x} + 1).
    @inline(__always)
    public static func tanh(_ x: V) -> V { 1 - 2 / (exp(2 * x) + 1) }

    @inline(__always)
    public static func tanh(_ x: Float) -> Float { tanh(V(repeating: x))[0] }

    public static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(), i = 0
        while i + lanes <= n { acc += load(p + i); i += lanes }
        var s = acc.sum()
        while i < n { s += p[i]; i += 1 }
        return s
    }

    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = V(), i = 0
        while i + lanes <= n { acc += load(a + i) * load(b + i); i += lanes }
        var s = acc.sum()
        while i < n { s += a[i] * b[i]; i += 1 }
        return s
    }

    public static func max(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var m = p[0], i = 0
        if n >= lanes {
            var acc = load(p)
            i = lanes
            while i + lanes <= n { let v = load(p + i); acc.replace(with: v, where: v .> acc); i += lanes }
            m = acc.max()
        }
        while i < n { m = Swift.max(m, p[i]); i += 1 }
        return m
    }

    /// p[i] ← e^{p[i] − shift}; returns their sum.
    public static func expShiftedInPlace(_ p: UnsafeMutablePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = V(), i = 0
        let s = V(repeating: shift)
        while i + lanes <= n {
            let e = exp(load(p + i) - s)
            store(e, p + i)
            acc += e
            i += lanes
        }
        var total = acc.sum()
        while i < n { let e = exp(p[i] - shift); p[i] = e; total += e; i += 1 }
        return total
    }

    /// Σ e^{p[i] − shift} without writing.
    public static func sumExpShifted(_ p: UnsafePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = V(), i = 0
        let s = V(repeating: shift)
        while i + lanes <= n { acc += exp(load(p + i) - s); i += lanes }
        var total = acc.sum()
        while i < n { total += exp(p[i] - shift); i += 1 }
        return total
    }

    /// p[i] ← p[i] · a.
    public static func scale(_ p: UnsafeMutablePointer<Float>, _ n: Int, by a: Float) {
        var i = 0
        let va = V(repeating: a)
        while i + lanes <= n { store(load(p + i) * va, p + i); i += lanes }
        while i < n { p[i] *= a; i += 1 }
    }
}
