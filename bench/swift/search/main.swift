// bench-search: our BlendSearch against FLAML 2.7.0's on the same objectives, budgets and seeds.
//
//   .venv-search/bin/python bench/search/flaml_parity.py      # refreshes bench/search/fixtures/flaml_results.json
//   swift run -c release bench-search
//   swift run -c release bench-search --stall    # issue #19: LadderBO, BlendSearch and FLAML on stall-prone objectives
//
// Prints, per objective, the median and IQR of the best value found and of the cost spent over the seeds, ours
// and FLAML's, the cost ratio, and the verdict: ours no worse in median best value and at most 1.1× FLAML's
// median cost. Exits 1 when any verdict fails.
import Core
import Foundation
import Search

struct FlamlResults: Decodable {
    struct Run: Decodable { let seed: UInt64; let best: Double; let cost: Double; let trials: Int }
    struct Check: Decodable { let config: [String: Double]; let objective: Double; let cost: Double }
    struct Problem: Decodable { let runs: [Run]; let checks: [Check] }
    let peer: String
    let seeds: [UInt64]
    let problems: [String: Problem]
}

/// Linear-interpolation quantile (numpy's default).
func quantile(_ xs: [Double], _ q: Double) -> Double {
    let s = xs.sorted()
    let h = Double(s.count - 1) * q
    let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}

func summary(_ xs: [Double], _ format: String) -> String {
    "median " + String(format: format, quantile(xs, 0.5)) + "  IQR [" + String(format: format, quantile(xs, 0.25))
        + ", " + String(format: format, quantile(xs, 0.75)) + "]"
}

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../search/fixtures").standardized
// --fixture PATH: compare against another FLAML results file (e.g. other seeds) instead of the committed one.
let fixtureArgument = CommandLine.arguments.firstIndex(of: "--fixture").map { URL(fileURLWithPath: CommandLine.arguments[$0 + 1]) }
// --stall: the stall benchmark of issue #19 (StallBench.swift) instead of the parity benchmark.
if CommandLine.arguments.contains("--stall") {
    exit(try runStallBench(fixtures: fixtures, peerFile: fixtureArgument, verbose: CommandLine.arguments.contains("--verbose")) ? 0 : 1)
}
let fixtureURL = fixtureArgument ?? fixtures.appendingPathComponent("flaml_results.json")
let flaml = try JSONDecoder().decode(FlamlResults.self, from: Data(contentsOf: fixtureURL))
let curve: LossCurve
do {
    curve = try LossCurve.load(fixtures.appendingPathComponent("loss_vs_k.json"))
} catch let error as InputError {
    print("bench-search: \(error)")
    exit(2)
}
let verbose = CommandLine.arguments.contains("--verbose")
// --trace <objective> <seed>: print one run's trials (for comparing with FLAML's trajectory).
if let i = CommandLine.arguments.firstIndex(of: "--trace"), CommandLine.arguments.count > i + 2 {
    let problem = try parityProblems(curve: curve).first { $0.name == CommandLine.arguments[i + 1] }!
    let seed = UInt64(CommandLine.arguments[i + 2])!
    let search = try BlendSearch(space: problem.space, budget: problem.budget, lowCost: problem.lowCost, seed: seed)
    let outcome = run(search, budget: problem.budget) { problem.objective($0.configuration) }
    for t in outcome.trials {
        print(t.number, t.proposer, t.configuration.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "),
              String(format: "%.4f", t.objective!))
    }
    exit(0)
}

print("bench-search: ours (Search.BlendSearch, TPE-style global + FLOW2) vs \(flaml.peer)")
print("workload: 4 objectives x \(flaml.seeds.count) seeds (\(flaml.seeds.first!)...\(flaml.seeds.last!)), same budgets as the peer\n")
var allHold = true
for problem in try parityProblems(curve: curve) {
    guard let peer = flaml.problems[problem.name] else { fatalError("no FLAML results for \(problem.name)") }
    for check in peer.checks {
        let ours = problem.objective(check.config)
        guard abs(ours.objective - check.objective) <= 1e-9 * max(1, abs(check.objective)), ours.cost == check.cost else {
            fatalError("\(problem.name): objective mismatch at \(check.config): ours \(ours.objective), objectives.py \(check.objective) (fixture stale?)")
        }
    }
    var bests: [Double] = [], costs: [Double] = [], counts: [Double] = []
    let start = Date()
    for seed in flaml.seeds {
        let search = try BlendSearch(space: problem.space, budget: problem.budget, lowCost: problem.lowCost, seed: seed)
        let outcome = run(search, budget: problem.budget) { problem.objective($0.configuration) }
        bests.append(outcome.best!.objective!)
        costs.append(outcome.costSpent)
        counts.append(Double(outcome.trials.count))
        if verbose {
            var byProposer: [String: Int] = [:]
            for t in outcome.trials { byProposer[t.proposer.hasPrefix("local") ? "local" : t.proposer, default: 0] += 1 }
            print("  seed \(seed): proposers \(byProposer.sorted { $0.key < $1.key })")
            print("  seed \(seed): best \(outcome.best!.objective!) at \(outcome.best!.configuration), cost \(outcome.costSpent), \(outcome.trials.count) trials, stop \(outcome.stopReason)")
        }
    }
    let seconds = Date().timeIntervalSince(start)
    let peerBests = peer.runs.map(\.best), peerCosts = peer.runs.map(\.cost)
    let budget = problem.budget.trials.map { "\($0) trials" } ?? "cost \(problem.budget.cost!)"
    print("\(problem.name)  (budget \(budget); ours took \(String(format: "%.2f", seconds)) s for all seeds)")
    print("  best  ours  " + summary(bests, "%.5f") + "   FLAML " + summary(peerBests, "%.5f"))
    print("  cost  ours  " + summary(costs, "%.1f") + "   FLAML " + summary(peerCosts, "%.1f"))
    print("  trials ours median \(quantile(counts, 0.5))   FLAML median \(quantile(peer.runs.map { Double($0.trials) }, 0.5))")
    let bestHolds = quantile(bests, 0.5) <= quantile(peerBests, 0.5) + 1e-12
    let ratio = quantile(costs, 0.5) / quantile(peerCosts, 0.5)
    let costHolds = ratio <= 1.1
    allHold = allHold && bestHolds && costHolds
    print("  verdict: median best \(bestHolds ? "no worse" : "WORSE"); median cost ratio ours/FLAML = "
          + String(format: "%.3f", ratio) + (costHolds ? " (<= 1.1)" : " (> 1.1: FAIL)") + "\n")
}
print(allHold ? "VERDICT: parity holds on all objectives" : "VERDICT: parity FAILS on at least one objective")
exit(allHold ? 0 : 1)
