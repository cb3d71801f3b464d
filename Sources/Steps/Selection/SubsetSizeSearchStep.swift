import Core
import Corpus
import Foundation
import Search
import Workbench

/// Searches the subset size k of the rule's top-k; objective = self-instruct loss, cost = tokens. The profile's
/// `blendsearch.searcher` picks the searcher: `blendsearch` (the paper's, FLAML's algorithm; it can stay at its
/// cheap start, issue #19), `ladder-bo` (``LadderBO``: a doubling ladder from k_min, then Bayesian optimisation) or
/// `random`.
enum SubsetSizeSearchStep: RuleSelectionStep {
    static let name = "search.subset-size"
    static let version = 3
    static let summary = "A search over k (log-integer; BlendSearch, LadderBO or random, by profile) with the real finetune as objective and training tokens as cost."
    static let profileKeys = ["blendsearch", "selection.pool_size", "finetune"]
    static let searchers = SubsetSizeSearch.searchers

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let fitted = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let pool = try SelectionPool(context, pools: pools)
        let ranking = try pool.ranked(by: fitted.rule, table: try IndicatorTable(context))
        let search = try SubsetSizeSearch(context, available: ranking.count, step: name)
        let kind = search.kind, kMin = search.kMin, kMax = search.kMax
        let finetunes = try Finetunes(context, pools: pools)
        let result = try search.run(ranked: ranking, finetunes: finetunes, objectiveSet: Finetunes.mainSet, heldOutSet: Finetunes.heldOutSet, context: context)
        let outcome = result.outcome, bestK = result.bestK
        let searchID = try CanonicalJSON.digest(["notebook": context.notebook, "cell": context.cellID, "rule": fitted.rule.equation(digits: 8),
                                                 "space": "\(kMin)-\(kMax)", "searcher": kind, "seed": "\(context.seed)"])
        try TrialLog.replace(searchID, with: outcome.trials, in: context.store)
        let held = result.trials.map(\.heldOut)
        let payload = SearchPayload(searchID: searchID, searcher: kind, kMin: kMin, kMax: kMax, trials: outcome.trials, heldOutLoss: held, bestK: bestK, costSpent: outcome.costSpent,
                                    stopReason: outcome.stopReason)
        let rows = zip(outcome.trials, held).map { trial, heldLoss in
            ["\(trial.number)", "\(trial.integer("k")!)", trial.proposer, trial.objective.map { Table.number($0) } ?? "—", Table.number(heldLoss),
             "\(Int(trial.cost ?? 0))"]
        }
        let points = outcome.trials.map { FigureSpec.Point(x: Double($0.integer("k")!), y: $0.objective ?? .nan) }
        let trajectory = FigureSpec(name: "search-trajectory", title: "k proposed at each \(kind) trial", xLabel: "trial", yLabel: "k", yLog: true,
                                    series: [.init("k", kind: .linesPoints, points: outcome.trials.map { .init(x: Double($0.number), y: Double($0.integer("k")!)) })])
        let lossFigure = FigureSpec(name: "search-loss", title: "Loss against k at the trials", xLabel: "k (rule's top k)", yLabel: "eval loss", xLog: true,
                                    series: [.init("self-instruct (objective)", kind: .points, points: points),
                                             .init("MT-Bench + Vicuna (held out)", kind: .points,
                                                   points: zip(outcome.trials, held).map { .init(x: Double($0.integer("k")!), y: $1) })],
                                    verticalLines: [.init(at: Double(bestK), label: "best k = \(bestK)")])
        return try StepOutput(payload: payload)
            .table(Table(title: "Trials (\(kind), seed \(context.seed), stop: \(outcome.stopReason.rawValue))",
                         columns: ["trial", "k", "proposed by", "self-instruct loss (objective)", "held-out loss", "tokens (cost)"], rows: rows,
                         note: "The paper found k = 2,532 of 100,000 (P). The held-out column answers the reviewers: is the k that is best on the search objective also good on an evaluation set the search never saw?"))
            .text("**Best k: \(bestK)** of a pool of \(ranking.count), found after \(outcome.trials.count) trials and \(Int(outcome.costSpent)) training tokens.")
            .figure(trajectory)
            .figure(lossFigure)
    }
}

struct SearchPayload: Codable {
    var searchID: String
    /// The profile's `blendsearch.searcher`: blendsearch, ladder-bo or random.
    var searcher: String

    /// The searcher as a table names it ("BlendSearch", "LadderBO", "random search").
    var searcherLabel: String {
        ["blendsearch": "BlendSearch", "ladder-bo": "LadderBO", "random": "random search"][searcher] ?? searcher
    }
    /// The range searched: the profile's k_min and k_max, capped by the ranked pool.
    var kMin, kMax: Int
    var trials: [Trial]
    /// Held-out (MT-Bench + Vicuna) loss of each trial's finetune, which the search never saw.
    var heldOutLoss: [Double]
    var bestK: Int
    var costSpent: Double
    var stopReason: StopReason
}
