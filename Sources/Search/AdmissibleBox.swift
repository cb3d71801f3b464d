/// The region of cost-related dimensions where the global thread may propose.
///
/// It starts as the single point of the low-cost configuration (in normalised units) and grows to cover every
/// configuration local threads propose or start from, plus 0.1 per side each time a local thread converges.
/// A global proposal is admitted when each cost-related coordinate lies within 0.1 of the box, so expensive
/// configurations are reached only as cheaper ones keep paying off. With no cost-related dimension every
/// proposal is admitted.
public struct AdmissibleBox: Sendable, Hashable {
    /// Indices of the cost-related dimensions.
    public let dimensions: [Int]
    public private(set) var lower: [Double]
    public private(set) var upper: [Double]
    /// How far outside the box a proposal may lie (FLOW2's initial step).
    public static let margin = 0.1

    /// A box at `point` (normalised) over the cost-related `dimensions`.
    public init(dimensions: [Int], point: [Double]) {
        self.dimensions = dimensions
        lower = dimensions.map { point[$0] }
        upper = lower
    }

    /// Grows the box to contain `point` (a full normalised configuration).
    public mutating func include(_ point: [Double]) {
        for (j, d) in dimensions.enumerated() {
            lower[j] = min(lower[j], point[d])
            upper[j] = max(upper[j], point[d])
        }
    }

    /// Widens every side by the margin, as when a local thread converges.
    public mutating func expand() {
        for j in lower.indices {
            lower[j] -= Self.margin
            upper[j] += Self.margin
        }
    }

    /// Whether a global proposal (normalised) is close enough to the box.
    public func admits(_ point: [Double]) -> Bool {
        for (j, d) in dimensions.enumerated() {
            if point[d] + Self.margin < lower[j] || point[d] > upper[j] + Self.margin { return false }
        }
        return true
    }
}
