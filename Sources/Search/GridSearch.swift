/// The Cartesian grid of `pointsPerDimension` evenly spaced normalised coordinates per dimension (log-spaced
/// for log domains), in row-major order (the last dimension varies fastest). Integer points that round to the
/// same value are proposed once.
public final class GridSearch: Searcher {
    public let space: SearchSpace
    private let axes: [[Double]]
    private var cursor: [Int]
    private var done = false
    private var proposed = 0

    public init(space: SearchSpace, pointsPerDimension: Int) {
        precondition(pointsPerDimension >= 1)
        self.space = space
        axes = space.dimensions.map { d in
            var values: [Double] = []
            for i in 0..<pointsPerDimension {
                let x = pointsPerDimension == 1 ? 0.5 : Double(i) / Double(pointsPerDimension - 1)
                let v = d.domain.denormalize(x)
                if values.last != v { values.append(v) }
            }
            return values
        }
        cursor = Array(repeating: 0, count: space.count)
    }

    public var isExhausted: Bool { done }

    /// Number of grid points.
    public var size: Int { axes.reduce(1) { $0 * $1.count } }

    public func suggest() -> Trial? {
        guard !done else { return nil }
        let values = zip(axes, cursor).map { $0[$1] }
        var d = space.count - 1
        while d >= 0 {
            cursor[d] += 1
            if cursor[d] < axes[d].count { break }
            cursor[d] = 0
            d -= 1
        }
        if d < 0 { done = true }
        defer { proposed += 1 }
        return Trial(number: proposed, configuration: space.configuration(values), proposer: "grid", seed: 0)
    }

    public func report(_ trial: Trial, objective: Double, cost: Double) {}
}
