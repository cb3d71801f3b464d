import Core
import Foundation

/// BlendSearch (Wang, Wu, Huang & Saied, ICLR 2021): one global thread and several FLOW2 local threads,
/// scheduled by optimistic priority, starting from a low-cost configuration and expanding toward expensive
/// configurations only as they keep paying off.
///
/// The global thread is a TPE sampler (uniform for its first 10 proposals, then the good/bad Parzen density
/// ratio), like FLAML's default Optuna `TPESampler`, and like it learns only from the trials it proposed itself
/// (not the low-cost start, random fallbacks or local threads' trials). A finished global trial seeds a new
/// local thread when there is none or it beats the median of the local threads' bests; local threads merge
/// when one can reach another it is no worse than, and are removed when converged. A configuration already
/// evaluated is never re-run: its cached result goes back to the thread that proposed it and the step yields nil.
///
/// Trials are minimised. Seeded runs with a trial or cost budget reproduce exactly.
public final class BlendSearch: Searcher {
    public let space: SearchSpace
    public let budget: SearchBudget
    public let seed: UInt64
    /// The normalised low-cost configuration's cost-related coordinates anchor ``box``.
    public private(set) var box: AdmissibleBox

    private let lowCost: [Double?]
    let global: TPESampler                              // internal for tests
    private var globalStats = ThreadStats()
    private var locals: [LocalThread] = []
    private var threadsCreated = 0
    private var random: SeededRandom
    private var initUsed = false

    private var ticket = 0
    private var ticketOfTrial: [Int: Int] = [:]
    private var threadOfTicket: [Int: Int] = [:]        // 0 = global
    private var samplerTickets = Set<Int>()             // trials the TPE sampler proposed
    private var cache: [[UInt64]: Evaluation?] = [:]    // nil value = in flight
    private var trialsProposed = 0
    private var costUsed = 0.0
    private var bestObjective = Double.infinity

    private struct LocalThread {
        let id: Int
        let flow: FLOW2
        var stats: ThreadStats
    }

    /// - Parameters:
    ///   - lowCost: values of the cost-related dimensions at their cheap end (e.g. `["k": kMin]`); the first
    ///     trial, and the anchor of the admissible box. Empty: every global proposal is admitted.
    ///   - budget: used for the priority horizon; pass the same budget to ``run(_:budget:objective:)``.
    public init(space: SearchSpace, budget: SearchBudget, lowCost: [String: Double] = [:], seed: UInt64 = 20) throws {
        (self.space, self.budget, self.seed) = (space, budget, seed)
        let partial = try space.values(from: lowCost)
        self.lowCost = partial
        let costDims = partial.indices.filter { partial[$0] != nil }
        let anchor = zip(space.dimensions, partial).map { d, v in v.map { d.domain.normalize($0) } ?? 0 }
        box = AdmissibleBox(dimensions: costDims, point: anchor)
        global = TPESampler(dimensions: space.count, random: SeededRandom(seed: seed, stream: "blendsearch/global"))
        random = SeededRandom(seed: seed, stream: "blendsearch/random")
    }

    /// Local threads alive now (for diagnostics).
    public var localThreadCount: Int { locals.count }

    public func suggest() -> Trial? {
        guard initUsed else {
            initUsed = true
            return accept(initialValues(disturbed: false), thread: 0, proposer: "init")
        }
        if let limit = budget.cost, costUsed >= limit { return nil }
        let choice = chooseThread(global: globalStats, locals: locals.map { ($0.stats, $0.flow.canSuggest) },
                                  remaining: remainingHorizon, globalBest: bestObjective)
        globalStats.speed = choice.speeds[0]
        for i in locals.indices { locals[i].stats.speed = choice.speeds[i + 1] }
        ticket += 1
        if let index = choice.proposer { return proposeLocal(at: index) }

        let sampled = global.suggest()
        var values = space.denormalize(sampled)
        var proposer = "global"
        if let known = cache[space.signature(values)] {
            // As in FLAML, the global thread learns the known result of its duplicate (sampler and statistics),
            // then a uniform point stands in.
            if let result = known {
                global.observe(point: sampled, objective: result.objective)
                globalStats.running += 1
                globalStats.record(objective: result.objective, cost: result.cost, epsilon: Self.epsilon)
            }
            values = space.denormalize(global.uniformPoint())
            proposer = "random-fallback"
            if cache[space.signature(values)] != nil { return nil }
        }
        if box.admits(space.normalize(values)) {
            if proposer == "global" { samplerTickets.insert(ticket) }
            return accept(values, thread: 0, proposer: proposer)
        }
        if let backup = choice.backup { return proposeLocal(at: backup) }
        // No local thread can stand in: restart near the cheap end, inside the box.
        let restart = initialValues(disturbed: true)
        if cache[space.signature(restart)] != nil { return nil }
        return accept(restart, thread: 0, proposer: "init")
    }

    public func report(_ trial: Trial, objective: Double, cost: Double) {
        guard let t = ticketOfTrial.removeValue(forKey: trial.number), let threadID = threadOfTicket.removeValue(forKey: t) else {
            preconditionFailure("trial \(trial.number) was not suggested by this search or was reported twice")
        }
        let values = space.dimensions.map { trial.configuration[$0.name]! }
        costUsed += cost
        cache[space.signature(values)] = Evaluation(objective: objective, cost: cost)
        bestObjective = min(bestObjective, objective)
        if samplerTickets.remove(t) != nil { global.observe(point: space.normalize(values), objective: objective) }
        if threadID == 0 {
            globalStats.record(objective: objective, cost: cost, epsilon: Self.epsilon)
            let bests = locals.map(\.stats.best)
            if bests.isEmpty || objective < median(bests) { startLocalThread(at: values, objective: objective, cost: cost) }
        } else {
            guard let index = locals.firstIndex(where: { $0.id == threadID }) else { return }
            locals[index].flow.complete(trial: t, objective: objective, cost: cost)
            locals[index].stats.record(objective: objective, cost: cost, epsilon: Self.epsilon)
            clean(threadID)
        }
    }

    /// Speed denominators never fall under one cost unit (FLAML's SEARCH_THREAD_EPS without a time budget).
    static let epsilon = 1.0

    /// H, the budget left in cost units: speeds are objective per unit cost, so H·s is an objective change only
    /// when H is a cost too. Under a trial budget that is the trials left times the mean cost of a finished trial
    /// (FLAML's estimate when the cost is time; for any other cost FLAML uses the bare trial count, which makes
    /// H·s negligible when a trial costs thousands of units and hands every step to the thread with the best f1).
    var remainingHorizon: Double {
        if let limit = budget.cost { return max(limit - costUsed, 0) }
        guard let limit = budget.trials else { return .infinity }
        let left = Double(max(limit - cache.count, 0))
        let finished = cache.count - ticketOfTrial.count    // ticketOfTrial holds the trials in flight
        return finished > 0 ? left * costUsed / Double(finished) : .infinity
    }

    private func proposeLocal(at index: Int) -> Trial? {
        let thread = locals[index]
        guard let values = thread.flow.suggest(trial: ticket) else {
            if thread.flow.converged {
                box.expand()
                locals.remove(at: index)
            }
            return nil
        }
        if let cached = cache[space.signature(values)] {
            // Already evaluated: the thread learns the known result, no trial is run.
            if let result = cached {
                // As in FLAML, the thread's statistics count it too: a thread that keeps proposing known
                // configurations slows down and yields the stage.
                thread.flow.complete(trial: ticket, objective: result.objective, cost: result.cost)
                locals[index].stats.running += 1
                locals[index].stats.record(objective: result.objective, cost: result.cost, epsilon: Self.epsilon)
                clean(thread.id)
            }
            return nil
        }
        box.include(space.normalize(values))
        return accept(values, thread: thread.id, proposer: "local-\(thread.id)")
    }

    private func accept(_ values: [Double], thread: Int, proposer: String) -> Trial {
        cache[space.signature(values)] = .some(nil)
        threadOfTicket[ticket] = thread
        ticketOfTrial[trialsProposed] = ticket
        if thread == 0 {
            globalStats.running += 1
        } else if let index = locals.firstIndex(where: { $0.id == thread }) {
            locals[index].stats.running += 1
        }
        defer { trialsProposed += 1 }
        return Trial(number: trialsProposed, configuration: space.configuration(values), proposer: proposer, seed: seed)
    }

    /// The low-cost values with the other dimensions drawn uniformly; `disturbed` adds Gaussian noise (σ = box
    /// width, or 0.1 for a point box) to the cost-related coordinates, kept within 0.1 of the box.
    private func initialValues(disturbed: Bool) -> [Double] {
        var point = (0..<space.count).map { _ in random.uniform() }
        for (j, d) in box.dimensions.enumerated() {
            var x = space.dimensions[d].domain.normalize(lowCost[d]!)
            if disturbed {
                let width = box.upper[j] - box.lower[j]
                let sigma = width > 0 ? width : AdmissibleBox.margin
                let lo = max(box.lower[j] - AdmissibleBox.margin, 0), hi = min(box.upper[j] + AdmissibleBox.margin, 1)
                x = min(hi, max(lo, x + sigma * random.gaussian()))
            }
            point[d] = x
        }
        return space.denormalize(point)
    }

    private func startLocalThread(at values: [Double], objective: Double, cost: Double) {
        threadsCreated += 1
        let flow = FLOW2(space: space, start: values, objective: objective,
                         random: SeededRandom(seed: seed, stream: "blendsearch/flow2/\(threadsCreated)"))
        locals.append(LocalThread(id: threadsCreated, flow: flow, stats: ThreadStats(seedObjective: objective, seedCost: cost)))
        box.include(space.normalize(values))
    }

    /// Merges threads that landed on each other and retires `id` if it converged.
    private func clean(_ id: Int) {
        guard let thread = locals.first(where: { $0.id == id }) else { return }
        var doomed = Set<Int>()
        for other in locals where other.id != id {
            if Self.inferior(other, to: thread) { doomed.insert(other.id) }
        }
        for other in locals where other.id != id {
            if Self.inferior(thread, to: other) { doomed.insert(id); break }
        }
        if thread.flow.converged {
            doomed.insert(id)
            box.expand()
        }
        locals.removeAll { doomed.contains($0.id) }
    }

    /// A is inferior to B when B's previous best is no worse than A's best and B can reach A within its step.
    private static func inferior(_ a: LocalThread, to b: LocalThread) -> Bool {
        if a.stats.best < b.stats.previousBest { return false }
        return b.flow.reaches(a.flow)
    }
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    let n = s.count
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}
