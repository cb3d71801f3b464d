import Core
import Foundation

/// A subset-size searcher that cannot stall at its cheap start: a geometric ladder up from the low-cost end,
/// then Bayesian optimisation (a Gaussian process over the normalised log scale, expected improvement) inside the
/// range the ladder opened, stopping when no candidate is expected to improve by a useful amount.
///
/// Why this design (the literature, and issue #19). BlendSearch grows its admissible range only as far as a local
/// thread has walked, so an objective that is flat or slightly rising next to the cheap end keeps it there for the
/// whole budget (FLAML 2.7.0 and ours end at k_min on the double well of `bench/search`). A log-spaced probe of the
/// whole range would see every basin but spends the most expensive trials first; successive halving or Hyperband
/// need a cheap fidelity of the *same* configuration, while here cost and configuration are one thing (k), so
/// they have nothing to halve. This searcher takes the cost-effective initial design of cost-aware Bayesian
/// optimisation (Lee et al., "Cost-aware Bayesian optimization", CArBO, 2020) in its simplest form for one
/// cost-related dimension: an unbounded doubling search (Bentley & Yao, 1976) that climbs
///
/// - k_min, then k_min·r^(i + u) for i = 1, 2, … (r = ``ratio``, u drawn once per seed in ±``jitter``), up to
///   k_max,
/// - until the best rung is **bracketed**: an interior rung with a worse rung above it. A best rung at k_min is
///   never bracketed, so a flat or rising start does not stop the climb (the stall BlendSearch has), while a
///   found basin stops it before the expensive end: the ladder's cost is about twice its highest rung.
///
/// Then expected improvement (Jones, Schonlau & Welch, 1998) on a ``GaussianProcess1D`` proposes, among 513
/// log-spaced points of the explored range extended by one rung (so the model can still walk up when the top
/// looks promising) and the integers next to the incumbent, the one with the largest EI. The search is over
/// (``isExhausted``) once the largest EI falls under ``tolerance`` × the spread of the observed objective values,
/// Jones et al.'s stopping rule; it usually ends well inside a trial budget, which is where its cost saving is.
///
/// One dimension only, on a log scale (`.logInteger` or `.logUniform`); trials are sequential (suggest, report,
/// suggest). The seed enters only through u, so seeded runs reproduce exactly.
public final class LadderBO: Searcher {
    public let space: SearchSpace
    public let seed: UInt64
    /// Ratio between consecutive rungs of the ladder (in k).
    public let ratio: Double
    /// Stop when the largest expected improvement is under this share of the observed objective spread.
    public let tolerance: Double

    /// One rung in normalised units.
    private let rung: Double
    /// The seeded offset of rungs 1, 2, … in normalised units.
    private let offset: Double
    private var climbing = true
    private var nextRung = 0
    private var ladder: [Double] = []                 // objectives of the rungs, in climbing order
    private var observed: [(x: Double, y: Double)] = []
    private var seen: Set<[UInt64]> = []
    private var inFlight: Trial?
    private var converged = false
    private var proposed = 0

    /// - Parameters:
    ///   - ratio: consecutive rungs differ by this factor (2 doubles k).
    ///   - jitter: the rungs above k_min are shifted by u·(one rung), u uniform in ±jitter, drawn once from the seed.
    ///   - tolerance: the stopping rule's share of the observed spread.
    public init(space: SearchSpace, seed: UInt64 = 20, ratio: Double = 2, jitter: Double = 0.25, tolerance: Double = 1e-2) throws {
        guard space.count == 1, let domain = space.dimensions.first?.domain, domain.isLog else {
            throw SearchError.invalidSpace("LadderBO searches one log-scale dimension (logInteger or logUniform)")
        }
        guard ratio > 1, (0..<0.5).contains(jitter), tolerance > 0 else {
            throw SearchError.invalidConfiguration("LadderBO needs ratio > 1, 0 ≤ jitter < 0.5 and tolerance > 0")
        }
        (self.space, self.seed, self.ratio, self.tolerance) = (space, seed, ratio, tolerance)
        let (l, u) = domain.bounds
        rung = Foundation.log(ratio) / Foundation.log(u / l)
        var random = SeededRandom(seed: seed, stream: "ladder-bo/offset")
        offset = (2 * random.uniform() - 1) * jitter * rung
    }

    public var isExhausted: Bool { converged }

    /// Whether the search is still climbing its ladder (for diagnostics).
    public var isClimbing: Bool { climbing }

    public func suggest() -> Trial? {
        precondition(inFlight == nil, "LadderBO is sequential: report trial \(inFlight!.number) before asking for another")
        guard !converged else { return nil }
        if climbing, let x = nextLadderPoint() { return propose(x, by: "ladder") }
        climbing = false
        guard let x = modelProposal() else {
            converged = true
            return nil
        }
        return propose(x, by: "gp-ei")
    }

    public func report(_ trial: Trial, objective: Double, cost: Double) {
        guard let pending = inFlight, pending.number == trial.number else {
            preconditionFailure("trial \(trial.number) was not the one LadderBO suggested last, or was reported twice")
        }
        inFlight = nil
        let value = trial.configuration[space.dimensions[0].name]!
        observed.append((space.dimensions[0].domain.normalize(value), objective))
        if pending.proposer == "ladder" { ladder.append(objective) }
    }

    /// The next rung that is not yet evaluated, or nil once the ladder's best is bracketed or the top is reached.
    private func nextLadderPoint() -> Double? {
        if let best = ladder.indices.min(by: { ladder[$0] < ladder[$1] }), best > 0, best < ladder.count - 1 { return nil }
        if let last = observed.last, last.x >= 1 { return nil }
        while true {
            let x = nextRung == 0 ? 0 : min(1, Double(nextRung) * rung + offset)
            nextRung += 1
            if !seen.contains(signature(x)) { return x }
            if x >= 1 { return nil }
        }
    }

    /// The candidate with the largest expected improvement, or nil when none is worth a trial.
    private func modelProposal() -> Double? {
        guard let model = GaussianProcess1D(xs: observed.map(\.x), ys: observed.map(\.y)) else { return nil }
        let domain = space.dimensions[0].domain
        let top = min(1, observed.map(\.x).max()! + rung)
        var candidates = Set((0...512).map { domain.denormalize(Double($0) / 512 * top) })
        if domain.isInteger, let incumbent = observed.min(by: { $0.y < $1.y }) {
            let k = domain.denormalize(incumbent.x)
            for step in [1.0, 2, 4, 8, 16, 32] { candidates.formUnion([k - step, k + step]) }
        }
        let (lower, upper) = domain.bounds
        var best: (x: Double, ei: Double)?
        for value in candidates.sorted() where value >= lower && value <= upper {
            let x = domain.normalize(value)
            guard x <= top + 1e-12, !seen.contains(signature(x)) else { continue }
            let ei = model.expectedImprovement(at: x)
            if best == nil || ei > best!.ei { best = (x, ei) }
        }
        let ys = observed.map(\.y)
        guard let choice = best, choice.ei >= tolerance * (ys.max()! - ys.min()!) else { return nil }
        return choice.x
    }

    private func signature(_ x: Double) -> [UInt64] { space.signature(space.denormalize([x])) }

    private func propose(_ x: Double, by proposer: String) -> Trial {
        let values = space.denormalize([x])
        seen.insert(space.signature(values))
        let trial = Trial(number: proposed, configuration: space.configuration(values), proposer: proposer, seed: seed)
        proposed += 1
        inFlight = trial
        return trial
    }
}
