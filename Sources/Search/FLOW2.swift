import Core
import Foundation

/// FLOW2, the randomised direct-search local thread of CFO/BlendSearch (Wu, Wang & Huang, AAAI 2021).
///
/// From an incumbent x* it proposes x* + δu for a random unit direction u, then the mirror x* − δu.
/// `2^min(d,9)` proposals without improvement shrink δ by √(K_prev/K), so the step decays like 1/√K. A better
/// result moves the incumbent and undoes the latest shrink once (δ·√(K/K_prev)): an improving probe made before
/// that shrink gets back the step it was made with, one made after it widens the step by the shrink's factor.
/// The thread has converged once δ falls under the smallest move that still changes a value (δ_lb) and enough
/// results came back.
final class FLOW2 {
    static let initialStep = 0.1
    static let realStepLowerBound = 1e-4

    let space: SearchSpace
    private var random: SeededRandom

    private(set) var incumbent: [Double]       // normalised
    private(set) var bestValues: [Double]      // denormalised
    private(set) var bestObjective: Double
    private(set) var step: Double
    let stepUpperBound: Double
    /// Proposals from one incumbent before δ shrinks: 2^min(d, 9).
    let patience: Int

    private var directionTried: [Double]?
    private var completedForIncumbent = 0
    private var allowedForIncumbent: Int
    private var proposedByIncumbent = 0
    private var proposedBy: [Int: [Double]] = [:]
    private var proposals: [Int: [Double]] = [:]      // denormalised
    private var k = 0.0, oldK = 0.0
    private var proposalAtBest = 1
    private var proposedCount = 1, completedCount = 1
    private var mirrorRoundedToIncumbent = false
    private var initialPhase = true

    /// Starts a thread at `values` whose objective `objective` is already known.
    init(space: SearchSpace, start values: [Double], objective: Double, random: SeededRandom) {
        self.space = space
        self.random = random
        bestValues = values
        incumbent = space.normalize(values)
        bestObjective = objective
        let d = Double(space.count)
        stepUpperBound = d.squareRoot()
        patience = 1 << min(space.count, 9)
        allowedForIncumbent = 2 * space.count
        step = Self.initialStep * stepUpperBound
        let lb = Self.stepLowerBound(space: space, at: values)
        if lb > step { step = 2 * lb }
        step = min(step, stepUpperBound)
    }

    /// δ_lb: the smallest normalised move that changes some integer value at `values`, times √d; 1e-4 for real spaces.
    static func stepLowerBound(space: SearchSpace, at values: [Double]) -> Double {
        let steps = zip(space.dimensions, values).compactMap { $0.domain.smallestStep(at: $1) }
        guard let smallest = steps.min() else { return realStepLowerBound }
        return smallest * Double(space.count).squareRoot()
    }

    var stepLowerBound: Double { Self.stepLowerBound(space: space, at: bestValues) }

    /// A thread that proposed 2d configurations from its incumbent waits for their results before proposing more.
    var canSuggest: Bool { allowedForIncumbent > 0 }

    var converged: Bool { completedForIncumbent >= patience - 2 && step < stepLowerBound }

    /// The next configuration (denormalised), or nil when the step has fallen below δ_lb.
    func suggest(trial number: Int) -> [Double]? {
        proposedCount += 1
        allowedForIncumbent -= 1
        var move = incumbent
        if let tried = directionTried {
            for i in move.indices { move[i] -= tried[i] }
            directionTried = nil
        } else {
            let direction = unitDirection().map { $0 * step }
            for i in move.indices { move[i] += direction[i] }
            directionTried = direction
        }
        for i in move.indices { move[i] = min(1, max(0, move[i])) }
        let values = space.denormalize(move)
        proposedBy[number] = incumbent
        proposals[number] = values
        proposedByIncumbent += 1
        let roundsToIncumbent = values == bestValues
        if initialPhase {
            if directionTried == nil {
                // Both + and − rounded back onto the incumbent: an integer plateau, so widen the step.
                if mirrorRoundedToIncumbent, roundsToIncumbent { step = min(step + Self.initialStep, stepUpperBound) }
            } else {
                mirrorRoundedToIncumbent = roundsToIncumbent
            }
        }
        if proposedByIncumbent == patience {
            proposedByIncumbent -= 2
            initialPhase = false
            if step < stepLowerBound { return nil }
            oldK = k != 0 ? k : Double(proposalAtBest)
            k = Double(proposedCount + 1)
            step *= (oldK / k).squareRoot()
        }
        // On a plateau the incumbent slides to the rounded-away point so the next direction starts from there.
        if !initialPhase, roundsToIncumbent { incumbent = move }
        return values
    }

    /// Records the result of a trial this thread proposed.
    func complete(trial number: Int, objective: Double, cost: Double) {
        completedCount += 1
        if objective < bestObjective, let values = proposals[number] {
            bestObjective = objective
            bestValues = values
            // Undo the latest shrink, once, from the step as it is now. FLAML instead restarts from the step the
            // improving proposal was made with and then undoes the latest shrink: the same when the proposal came
            // after that shrink, but when the shrink came after it (in 1-D the usual case: the probe itself
            // triggered it) FLAML undoes that one shrink twice. bench/search/README.md has the measurements.
            if k > 0 { step *= (k / oldK).squareRoot() }
            incumbent = space.normalize(bestValues)
            completedForIncumbent = 0
            proposedByIncumbent = 0
            allowedForIncumbent = 2 * space.count
            proposedBy.removeAll()
            step = min(step, stepUpperBound)
            proposalAtBest = completedCount
            return
        }
        guard proposedBy[number] == incumbent else { return }
        completedForIncumbent += 1
        if completedForIncumbent >= 2 * space.count, allowedForIncumbent == 0 { allowedForIncumbent = 2 }
        if completedForIncumbent == patience {
            completedForIncumbent -= 2
            allowedForIncumbent = max(allowedForIncumbent, 2)
        }
    }

    /// Whether this thread's incumbent lies within its step of `other`'s incumbent (used to merge threads).
    func reaches(_ other: FLOW2) -> Bool {
        var squared = 0.0
        for i in incumbent.indices { squared += (incumbent[i] - other.incumbent[i]) * (incumbent[i] - other.incumbent[i]) }
        return squared.squareRoot() <= step
    }

    private func unitDirection() -> [Double] {
        while true {
            let v = (0..<space.count).map { _ in random.gaussian() }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm > 0 { return v.map { $0 / norm } }
        }
    }
}
