import Core

/// Uniform sampling in the normalised cube (log-uniform for log domains): the baseline every cleverer searcher
/// has to beat. Configurations already proposed are skipped (the step yields nil).
public final class RandomSearch: Searcher {
    public let space: SearchSpace
    public let seed: UInt64
    private var random: SeededRandom
    private var seen: Set<[UInt64]> = []
    private var proposed = 0

    public init(space: SearchSpace, seed: UInt64 = 20) {
        self.space = space
        self.seed = seed
        random = SeededRandom(seed: seed, stream: "random-search")
    }

    public func suggest() -> Trial? {
        let values = space.denormalize((0..<space.count).map { _ in random.uniform() })
        guard seen.insert(space.signature(values)).inserted else { return nil }
        defer { proposed += 1 }
        return Trial(number: proposed, configuration: space.configuration(values), proposer: "random", seed: seed)
    }

    public func report(_ trial: Trial, objective: Double, cost: Double) {}
}
