import Corpus
import Foundation
import Search
import Workbench

/// One search over the subset size k of a ranked list: each trial finetunes on the list's top k through the
/// profile's oracle (``Finetunes``) and reports the loss on an objective evaluation set, with the training tokens as
/// cost. The profile's `blendsearch` keys (k_min, k_max, trials, searcher) set it up. Both the notebooks' step
/// ``SubsetSizeSearchStep`` and `imine mine --search` run this, so a user's search is the paper's search.
struct SubsetSizeSearch {
    static let searchers = ["blendsearch", "ladder-bo", "random"]

    /// One finished trial, as progress lines and tables show it.
    struct TrialResult {
        var trial: Trial
        var k: Int
        var objective, heldOut: Double
        var tokens: Int
    }

    /// The trials in proposal order, the best k (lowest objective, earliest among ties) and why the search stopped.
    struct Result {
        var outcome: SearchOutcome
        var trials: [TrialResult]
        var bestK: Int
    }

    /// The profile's `blendsearch.searcher`.
    let kind: String
    /// The profile's k_min and k_max, k_max capped by the length of the ranked list.
    let kMin, kMax: Int
    let budget: SearchBudget
    let seed: UInt64
    let step: String

    /// Reads the profile's settings for a ranked list of `available` examples; `step` names the caller in errors.
    init(_ context: StepContext, available: Int, step: String) throws {
        kind = try context.profile.string("blendsearch.searcher")
        guard Self.searchers.contains(kind) else {
            throw StepError.failed(step: step, "profile key blendsearch.searcher must be one of \(Self.searchers.joined(separator: ", ")), not '\(kind)'")
        }
        kMin = try context.profile.int("blendsearch.k_min")
        kMax = min(try context.profile.int("blendsearch.k_max"), available)
        guard kMin >= 1, kMax >= kMin else {
            throw StepError.failed(step: step, "the search needs at least blendsearch.k_min = \(kMin) ranked examples to choose from (it has \(available), k_max \(kMax))")
        }
        budget = SearchBudget(trials: try context.profile.int("blendsearch.trials"))
        seed = context.seed
        self.step = step
    }

    func makeSearcher() throws -> Searcher {
        let space = try SearchSpace([Dimension("k", .logInteger(kMin, kMax))])
        switch kind {
        case "blendsearch": return try BlendSearch(space: space, budget: budget, lowCost: ["k": Double(kMin)], seed: seed)
        case "ladder-bo": return try LadderBO(space: space, seed: seed)
        default: return RandomSearch(space: space, seed: seed)
        }
    }

    /// Runs the search: trial k finetunes on `ranked.prefix(k)`; `objectiveSet` is the loss minimised, `heldOutSet`
    /// one the search never sees (reported beside it). `onTrial` hears of each finished trial as it finishes.
    func run(ranked: [Example], finetunes: Finetunes, objectiveSet: String, heldOutSet: String, context: StepContext,
             onTrial: (TrialResult) -> Void = { _ in }) throws -> Result {
        var finished: [Int: TrialResult] = [:]
        let progress = context.progress("\(kind) trials", total: budget.trials ?? 0)
        let outcome = try makeSearcher().run(budget: budget) { trial in
            let k = trial.integer("k")!
            let result = try finetunes.run([FinetuneRequest(label: "k=\(k)", subset: Array(ranked.prefix(k)), seed: seed)], label: "trial \(trial.number)")[0]
            guard let main = result.losses[objectiveSet], let held = result.losses[heldOutSet] else {
                throw StepError.failed(step: step, "the finetune for k = \(k) reported no loss on \(objectiveSet) or \(heldOutSet)")
            }
            let done = TrialResult(trial: trial, k: k, objective: main, heldOut: held, tokens: result.tokens)
            finished[trial.number] = done
            progress.advance(note: "k=\(k)")
            onTrial(done)
            return Evaluation(objective: main, cost: Double(result.tokens))
        }
        progress.finish()
        guard let best = outcome.best, let bestK = best.integer("k") else { throw StepError.failed(step: step, "the search produced no finished trial") }
        let trials = try outcome.trials.map { trial -> TrialResult in
            guard var done = finished[trial.number] else { throw StepError.failed(step: step, "trial \(trial.number) has no result") }
            done.trial = trial  // the outcome's copy carries the objective and cost
            return done
        }
        return Result(outcome: outcome, trials: trials, bestK: bestK)
    }
}
