/// One evaluated (or proposed) configuration of a search.
///
/// This is the record the store's `search_trial` table holds: `number` is the trial column, `configuration` the
/// config JSON (encode with `JSONEncoder.outputFormatting = .sortedKeys` for byte-stable rows), `proposer` the
/// thread column and `seed` the search seed.
public struct Trial: Codable, Sendable, Hashable {
    /// 0-based position in the order trials were proposed.
    public var number: Int
    /// Dimension name → value; integer dimensions hold whole numbers.
    public var configuration: [String: Double]
    /// The minimised objective, once reported.
    public var objective: Double?
    /// The cost the evaluation spent (e.g. training tokens), once reported.
    public var cost: Double?
    /// Who proposed it: `init` (the low-cost start), `global`, `random-fallback`, `local-<n>` (FLOW2 thread n),
    /// `random`, `grid`.
    public var proposer: String
    /// The seed of the search that proposed it.
    public var seed: UInt64

    public init(number: Int, configuration: [String: Double], objective: Double? = nil, cost: Double? = nil,
                proposer: String, seed: UInt64) {
        (self.number, self.configuration, self.objective) = (number, configuration, objective)
        (self.cost, self.proposer, self.seed) = (cost, proposer, seed)
    }

    /// The value of an integer dimension.
    public func integer(_ name: String) -> Int? { configuration[name].map { Int($0) } }
}

/// When a search stops: after `trials` trials, once `cost` has been spent (the trial that crosses it still
/// counts), or both, whichever comes first. Wall time is deliberately absent: it would break reproducibility.
public struct SearchBudget: Codable, Sendable, Hashable {
    public var trials: Int?
    public var cost: Double?
    /// Consecutive steps that produced no new trial (all duplicates, converged threads) before giving up; FLAML's 100.
    public var patience: Int

    public init(trials: Int? = nil, cost: Double? = nil, patience: Int = 100) {
        precondition(trials != nil || cost != nil, "a search needs a trial or a cost budget")
        (self.trials, self.cost, self.patience) = (trials, cost, patience)
    }
}

/// What one evaluation of a configuration returns.
public struct Evaluation: Sendable, Hashable {
    /// Minimised; pass −metric to maximise.
    public var objective: Double
    public var cost: Double
    public init(objective: Double, cost: Double) {
        self.objective = objective
        self.cost = cost
    }
}
