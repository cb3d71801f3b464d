/// What BlendSearch tracks about each search thread to decide who proposes next.
///
/// The rule is optimism under a budget: a thread's *speed* is how fast its best objective has been falling per
/// unit cost; projecting that speed over the remaining horizon H gives an optimistic objective `f1 − H·s`, and the
/// thread with the best projection (highest priority `H·s − f1`) proposes.
public struct ThreadStats: Sendable, Hashable {
    /// Best objective (f1) and the best before it (f2); +∞ until known.
    public var best: Double
    public var previousBest: Double
    /// Cumulative cost of the thread's trials (C), and its value when f1 and f2 were found (C1, C2).
    public var cost: Double
    public var costAtBest: Double
    public var costAtPreviousBest: Double
    /// Trials proposed and not yet reported (r).
    public var running: Int
    /// Objective decrease per unit cost; 0 when the thread has not improved yet.
    public var speed: Double = 0

    /// A thread that has seen nothing yet (the global thread at the start).
    public init() {
        best = .infinity; previousBest = .infinity
        cost = 0; costAtBest = 0; costAtPreviousBest = 0
        running = 0
    }

    /// A local thread seeded at a trial with `objective` that cost `cost`.
    public init(seedObjective objective: Double, seedCost cost: Double) {
        best = objective; previousBest = objective
        self.cost = cost; costAtBest = cost; costAtPreviousBest = 0
        running = 0
    }

    /// Hand-built state (for tests and diagnostics).
    public init(best: Double, previousBest: Double, cost: Double, costAtBest: Double, costAtPreviousBest: Double,
                running: Int, speed: Double = 0) {
        self.best = best; self.previousBest = previousBest
        self.cost = cost; self.costAtBest = costAtBest; self.costAtPreviousBest = costAtPreviousBest
        self.running = running; self.speed = speed
    }

    /// Folds in a finished trial; `running` must still count it.
    mutating func record(objective: Double, cost trialCost: Double, epsilon: Double) {
        cost += trialCost
        if objective < best {
            costAtPreviousBest = costAtBest
            costAtBest = cost
            previousBest = best.isInfinite ? objective : best
            best = objective
        }
        if previousBest > best {
            speed = (previousBest - best) / Double(max(running, 1)) / max(cost - costAtPreviousBest, epsilon)
        } else {
            speed = 0
        }
        running -= 1
    }

    /// Estimated cost for improvement: max(C − C1, C1 − C2), widened to 2·(f1 − f*)/s when the thread trails the
    /// global best f*.
    public func estimatedCostForImprovement(globalBest: Double, speed s: Double) -> Double {
        var eci = max(cost - costAtBest, costAtBest - costAtPreviousBest)
        if best > globalBest, s > 0 { eci = max(eci, 2 * (best - globalBest) / s) }
        return eci
    }
}

/// The scheduler's decision: who proposes, and which local thread stands in when the global proposal is rejected.
public struct ThreadChoice: Equatable, Sendable {
    /// Index into the local threads, or nil for the global thread.
    public var proposer: Int?
    /// The highest-priority local thread that can suggest, if any.
    public var backup: Int?
    public var priorities: [Double]
    public var globalPriority: Double
    /// Speeds used, global first: a thread that had none now holds the borrowed one. Store them back
    /// (``ThreadStats/speed``): the optimism sticks until the thread's next result recomputes its speed.
    public var speeds: [Double]
}

/// Picks the proposing thread: priority = H·s − f1, where threads with s = 0 borrow the fastest speed in the
/// pool and H = min(remaining budget, smallest ECI). The best local thread wins only with a strictly higher
/// priority than the global thread; ties go to the global thread.
///
/// A borrowed speed is meant to be kept (see ``ThreadChoice/speeds``), as FLAML does: a fresh local thread
/// seeded at the global thread's best borrows the global thread's speed, and when later global trials slow the
/// global thread down, the local thread's remembered optimism lets it propose. Re-borrowing every step would
/// tie the two forever and hand every step to the global thread.
///
/// - Parameters:
///   - global: the global thread's statistics.
///   - locals: each local thread's statistics and whether it may propose now (FLOW2's `canSuggest`).
///   - remaining: cost budget left, else trials left, else +∞.
///   - globalBest: the best objective of all finished trials (f*).
public func chooseThread(global: ThreadStats, locals: [(stats: ThreadStats, canSuggest: Bool)],
                         remaining: Double, globalBest: Double) -> ThreadChoice {
    let all = [global] + locals.map(\.stats)
    let fastest = all.map(\.speed).max() ?? 0
    let speeds = all.map { $0.speed > 0 ? $0.speed : fastest }
    var horizon = remaining
    for (stats, s) in zip(all, speeds) {
        horizon = min(horizon, stats.estimatedCostForImprovement(globalBest: globalBest, speed: s))
    }
    let priorities = zip(all, speeds).map { stats, s in horizon * s - stats.best }
    var top: Int?, backup: Int?
    var topPriority = priorities[0], backupPriority = -Double.infinity
    for (i, local) in locals.enumerated() where local.canSuggest {
        let p = priorities[i + 1]
        if p > topPriority { topPriority = p; top = i }
        if backup == nil || p > backupPriority { backupPriority = p; backup = i }
    }
    return ThreadChoice(proposer: top, backup: backup, priorities: Array(priorities.dropFirst()),
                        globalPriority: priorities[0], speeds: speeds)
}
