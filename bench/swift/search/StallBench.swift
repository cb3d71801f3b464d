import Core
import Foundation
import Search

// bench-search --stall: the stall benchmark of issue #19. FLAML 2.7.0's BlendSearch (fixtures/flaml_stall.json,
// written by bench/search/flaml_stall.py), our BlendSearch and LadderBO on the same 1-D objectives over k, budgets
// and seeds. The must-hold verdict: on the double well LadderBO's median best is within 2% of the true minimum with
// at most 30 trials at a median cost at most 3× FLAML's; on every other objective its median best is no worse than
// FLAML's.

struct StallResults: Decodable {
    struct Run: Decodable { let seed: UInt64; let best: Double; let cost: Double; let trials: Int; let largest_k: Int }
    struct Check: Decodable { let k: Int; let objective: Double }
    struct TrueMin: Decodable { let k: Int; let objective: Double }
    struct Problem: Decodable { let k_min: Int; let k_max: Int; let trials: Int; let true_min: TrueMin; let checks: [Check]; let runs: [Run] }
    let peer: String
    let seeds: [UInt64]
    let problems: [String: Problem]
}

/// The double well of issue #19 (objectives.py documents the shape): minimum 0.7083 at k = 899 over the integers.
func doubleWell(_ c: [String: Double]) -> Evaluation {
    func shape(_ k: Double) -> Double {
        let t = log10(k)
        return 0.01 * (t - 2) - 0.30 * exp(-pow(t - log10(900), 2) / (2 * 0.12 * 0.12)) - 0.25 * exp(-pow(t - log10(9000), 2) / (2 * 0.15 * 0.15))
    }
    let k = c["k"]!
    return Evaluation(objective: 0.7083 + shape(k) - shape(899), cost: k)
}

func midBowl(_ c: [String: Double]) -> Evaluation {
    let k = c["k"]!, mid = (2 + log10(20000.0)) / 2
    return Evaluation(objective: 0.9 + 0.4 * pow(log10(k) - mid, 2), cost: k)
}

func monotone(_ c: [String: Double]) -> Evaluation {
    let k = c["k"]!
    return Evaluation(objective: 2 + 3 * pow(k / 100, -0.3), cost: k)
}

/// One searcher's results over the seeds.
struct SeedRuns {
    var best: [Double] = [], cost: [Double] = [], trials: [Double] = [], largest: [Double] = []

    mutating func record(_ outcome: SearchOutcome) {
        best.append(outcome.best!.objective!)
        cost.append(outcome.costSpent)
        trials.append(Double(outcome.trials.count))
        largest.append(outcome.trials.map { $0.configuration["k"]! }.max()!)
    }
}

/// - Parameter peerFile: FLAML's results (fixtures/flaml_stall.json, or another seed set's file).
func runStallBench(fixtures: URL, peerFile: URL?, verbose: Bool) throws -> Bool {
    let peer = try JSONDecoder().decode(StallResults.self, from: Data(contentsOf: peerFile ?? fixtures.appendingPathComponent("flaml_stall.json")))
    var objectives: [String: ([String: Double]) -> Evaluation] = ["double_well": doubleWell, "mid_bowl": midBowl, "monotone": monotone]
    for (name, file) in [("loss_vs_k_quick", "loss_vs_k.json"), ("loss_vs_k_paper", "loss_vs_k_paper.json"),
                         ("loss_vs_k_paper_random", "loss_vs_k_paper_random.json")] {
        objectives[name] = try LossCurve.load(fixtures.appendingPathComponent(file)).evaluate
    }
    print("bench-search --stall: LadderBO and our BlendSearch vs \(peer.peer)")
    print("workload: \(objectives.count) objectives x \(peer.seeds.count) seeds (\(peer.seeds.first!)...\(peer.seeds.last!)), cost = k, start k_min\n")
    print("| objective | k range | trials | true min (k) | FLAML best | BlendSearch best | LadderBO best | FLAML cost | BlendSearch cost | LadderBO cost | LadderBO / FLAML cost | LadderBO trials | largest k: FLAML / BlendSearch / LadderBO | verdict |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    var allHold = true
    for name in ["double_well", "mid_bowl", "monotone", "loss_vs_k_quick", "loss_vs_k_paper", "loss_vs_k_paper_random"] {
        guard let problem = peer.problems[name], let objective = objectives[name] else { fatalError("no FLAML results or objective for \(name)") }
        for check in problem.checks {
            let ours = objective(["k": Double(check.k)]).objective
            guard abs(ours - check.objective) <= 1e-9 * max(1, abs(check.objective)) else {
                fatalError("\(name): objective mismatch at k = \(check.k): ours \(ours), objectives.py \(check.objective) (fixture stale?)")
            }
        }
        let space = try SearchSpace([Dimension("k", .logInteger(problem.k_min, problem.k_max))])
        let budget = SearchBudget(trials: problem.trials)
        var blend = SeedRuns(), ladder = SeedRuns()
        for seed in peer.seeds {
            blend.record(run(try BlendSearch(space: space, budget: budget, lowCost: ["k": Double(problem.k_min)], seed: seed), budget: budget) {
                objective($0.configuration)
            })
            let outcome = run(try LadderBO(space: space, seed: seed), budget: budget) { objective($0.configuration) }
            ladder.record(outcome)
            if verbose {
                print("  \(name) seed \(seed): " + outcome.trials.map { "\($0.integer("k")!)" }.joined(separator: " ")
                      + String(format: "  best %.6f, cost %.0f", outcome.best!.objective!, outcome.costSpent))
            }
        }
        let flamlBest = quantile(problem.runs.map(\.best), 0.5), flamlCost = quantile(problem.runs.map(\.cost), 0.5)
        let ladderBest = quantile(ladder.best, 0.5), ladderCost = quantile(ladder.cost, 0.5)
        let ratio = ladderCost / flamlCost
        let holds: Bool
        let verdict: String
        if name == "double_well" {
            let within = ladderBest <= problem.true_min.objective * 1.02
            holds = within && ratio <= 3 && quantile(ladder.trials, 1) <= 30
            let seedsWithin = ladder.best.filter { $0 <= problem.true_min.objective * 1.02 }.count
            verdict = (within ? "within 2% of the minimum" : "NOT within 2%") + " (\(seedsWithin)/\(ladder.best.count) seeds)" + (ratio <= 3 ? ", cost ≤ 3× FLAML" : ", cost > 3× FLAML: FAIL")
        } else {
            holds = ladderBest <= flamlBest + 1e-12
            verdict = holds ? "no worse than FLAML" : "WORSE than FLAML"
        }
        allHold = allHold && holds
        let f6 = { (x: Double) in String(format: "%.6f", x) }, f0 = { (x: Double) in String(format: "%.0f", x) }
        let largest = [quantile(problem.runs.map { Double($0.largest_k) }, 0.5), quantile(blend.largest, 0.5), quantile(ladder.largest, 0.5)]
        print("| \(name) | \(problem.k_min)–\(problem.k_max) | \(problem.trials) | \(f6(problem.true_min.objective)) (\(problem.true_min.k)) | "
              + "\(f6(flamlBest)) | \(f6(quantile(blend.best, 0.5))) | \(f6(ladderBest)) | \(f0(flamlCost)) | \(f0(quantile(blend.cost, 0.5))) | "
              + "\(f0(ladderCost)) | \(String(format: "%.2f", ratio)) | \(f0(quantile(ladder.trials, 0.5))) (max \(f0(quantile(ladder.trials, 1)))) | "
              + largest.map(f0).joined(separator: " / ") + " | \(verdict) |")
    }
    print("\nMedians over the seeds. LadderBO stops on its own (expected improvement under 1% of the observed spread), so it may use fewer trials than the budget.")
    print(allHold ? "VERDICT: issue #19's must-hold list holds" : "VERDICT: issue #19's must-hold list FAILS")
    return allHold
}
