#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Student's t distribution with `degreesOfFreedom` ν > 0 (ν need not be an integer: Welch's test uses a real ν).
///
/// ```swift
/// let t = StudentT(degreesOfFreedom: 95)
/// let p = t.twoSidedP(2.1)          // P(|T| ≥ 2.1)
/// let crit = t.quantile(0.975)       // for a 95% interval
/// ```
public struct StudentT: Sendable {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "t distribution needs ν > 0, got \(degreesOfFreedom)")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(|T| ≥ |t|) = I_{ν/(ν+t²)}(ν/2, 1/2), with both arguments formed without cancellation.
    public func twoSidedP(_ t: Double) -> Double {
        if t.isInfinite { return 0 }
        let nu = degreesOfFreedom, t2 = t * t
        return SpecialFunctions.incompleteBeta(a: nu / 2, b: 0.5, x: nu / (nu + t2), y: t2 / (nu + t2)).lower
    }

    /// P(T ≤ t).
    public func cdf(_ t: Double) -> Double { t > 0 ? 1 - twoSidedP(t) / 2 : twoSidedP(t) / 2 }

    /// P(T ≥ t), directly for large t.
    public func survival(_ t: Double) -> Double { cdf(-t) }

    public func pdf(_ t: Double) -> Double {
        let nu = degreesOfFreedom
        let logDensity = SpecialFunctions.logGamma((nu + 1) / 2) - SpecialFunctions.logGamma(nu / 2)
            - 0.5 * log(nu * Double.pi) - (nu + 1) / 2 * log1p(t * t / nu)
        return exp(logDensity)
    }

    /// The p-quantile, 0 < p < 1: safeguarded Newton on the smaller tail, started from the normal quantile and
    /// kept inside a bisection bracket, to full double precision.
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "t quantile needs 0 < p < 1, got \(p)")
        if p == 0.5 { return 0 }
        let tail = min(p, 1 - p)            // solve survival(t) = tail for t > 0
        var low = 0.0, high = max(1.0, -Normal.quantile(tail))
        while survival(high) > tail { low = high; high *= 2 }
        var t = min(max(-Normal.quantile(tail), low), high)
        for _ in 0..<200 {
            let f = survival(t) - tail          // decreasing in t
            if f > 0 { low = t } else { high = t }
            var next = t + f / pdf(t)
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - t) <= 1e-15 * abs(next) || high - low <= 1e-15 * high { t = next; break }
            t = next
        }
        return p < 0.5 ? -t : t
    }
}
