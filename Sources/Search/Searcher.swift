/// An ask/tell hyper-parameter searcher: ask for a trial, evaluate it however you like, tell the result.
///
/// ```swift
/// let space = try SearchSpace([Dimension("k", .logInteger(100, 10_000))])
/// let search = try BlendSearch(space: space, budget: SearchBudget(trials: 30), lowCost: ["k": 100], seed: 20)
/// let outcome = try run(search, budget: search.budget) { trial in
///     let k = trial.integer("k")!
///     return Evaluation(objective: try finetuneLoss(k), cost: Double(k))
/// }
/// ```
///
/// `suggest()` may return nil without the search being over: the step only produced a configuration that was
/// already evaluated, or a local thread converged. Drivers count such steps and stop after
/// ``SearchBudget/patience`` in a row. Trials must be reported in any order but exactly once.
public protocol Searcher: AnyObject {
    var space: SearchSpace { get }
    /// The next configuration to evaluate, or nil when this step produced nothing new.
    func suggest() -> Trial?
    /// Tells the searcher how a suggested trial went.
    func report(_ trial: Trial, objective: Double, cost: Double)
    /// True when the searcher can never propose anything again (a finished grid).
    var isExhausted: Bool { get }
}

extension Searcher {
    public var isExhausted: Bool { false }
}

/// Why ``run(_:budget:objective:)`` stopped.
public enum StopReason: String, Codable, Sendable {
    case trialBudget, costBudget, noNewTrials, exhausted
}

/// The trials of one search, in proposal order, with their results.
public struct SearchOutcome: Codable, Sendable {
    public var trials: [Trial]
    public var costSpent: Double
    public var stopReason: StopReason

    /// The trial with the lowest objective (the earliest among ties).
    public var best: Trial? {
        trials.filter { $0.objective != nil }.min { $0.objective! < $1.objective! }
    }
}

/// Runs a searcher against a synchronous objective until the budget is spent; the same as
/// `searcher.run(budget:objective:)`, which reads better inside types that have a `run` of their own (XCTestCase).
///
/// Errors thrown by `objective` stop the search and propagate: a failed evaluation is not a result.
public func run(_ searcher: Searcher, budget: SearchBudget,
                objective: (Trial) throws -> Evaluation) rethrows -> SearchOutcome {
    try searcher.run(budget: budget, objective: objective)
}

extension Searcher {
    /// Asks, evaluates and tells until `budget` is spent, the searcher is exhausted, or `budget.patience` steps
    /// in a row produced no new trial.
    public func run(budget: SearchBudget, objective: (Trial) throws -> Evaluation) rethrows -> SearchOutcome {
        var trials: [Trial] = []
        var spent = 0.0
        var idle = 0
        func outcome(_ reason: StopReason) -> SearchOutcome { SearchOutcome(trials: trials, costSpent: spent, stopReason: reason) }
        while true {
            if let limit = budget.trials, trials.count >= limit { return outcome(.trialBudget) }
            if let limit = budget.cost, spent >= limit { return outcome(.costBudget) }
            if isExhausted { return outcome(.exhausted) }
            if idle >= budget.patience { return outcome(.noNewTrials) }
            guard var trial = suggest() else {
                idle += 1
                continue
            }
            idle = 0
            let result = try objective(trial)
            trial.objective = result.objective
            trial.cost = result.cost
            spent += result.cost
            report(trial, objective: result.objective, cost: result.cost)
            trials.append(trial)
        }
    }
}
