/// Snedecor's F distribution with `numerator` d1 and `denominator` d2 degrees of freedom.
public struct FDistribution: Sendable {
    public let numerator: Double
    public let denominator: Double

    public init(numerator: Double, denominator: Double) {
        precondition(numerator > 0 && denominator > 0, "F distribution needs d1, d2 > 0")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// P(F ≤ f) = I_{d1 f/(d1 f + d2)}(d1/2, d2/2).
    public func cdf(_ f: Double) -> Double { tails(f).lower }

    /// P(F ≥ f): the regression F test's p-value, computed directly in the tail.
    public func survival(_ f: Double) -> Double { tails(f).upper }

    func tails(_ f: Double) -> (lower: Double, upper: Double) {
        if f <= 0 { return (0, 1) }
        if f.isInfinite { return (1, 0) }
        let a = numerator * f, d = a + denominator
        return SpecialFunctions.incompleteBeta(a: numerator / 2, b: denominator / 2, x: a / d, y: denominator / d)
    }
}

/// The χ² distribution with k degrees of freedom.
public struct ChiSquared: Sendable {
    public let degreesOfFreedom: Double

    public init(degreesOfFreedom: Double) {
        precondition(degreesOfFreedom > 0, "χ² needs k > 0")
        self.degreesOfFreedom = degreesOfFreedom
    }

    /// P(X ≤ x) = P(k/2, x/2).
    public func cdf(_ x: Double) -> Double { SpecialFunctions.incompleteGamma(a: degreesOfFreedom / 2, x: x / 2).lower }

    /// P(X ≥ x), computed directly in the tail.
    public func survival(_ x: Double) -> Double { SpecialFunctions.incompleteGamma(a: degreesOfFreedom / 2, x: x / 2).upper }
}
