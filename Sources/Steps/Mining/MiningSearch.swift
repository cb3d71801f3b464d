import Corpus
import Foundation
import Workbench

/// `imine mine --search`: the notebooks' subset-size search (``SubsetSizeSearch``, the profile's `blendsearch`
/// settings and oracle) over k for the user's ranked examples. Each trial finetunes the profile's base model on the
/// top k and measures the eval loss on the objective set: the profile's self-instruct evaluation pool, or the
/// user's own evaluation file. MT-Bench + Vicuna loss is reported beside it as a held-out check the search never sees.
///
/// Finetunes go through the store's job ledger, so a repeated search reads its trials back; the same data, rule,
/// profile and seed give the same trials and the same k.
public struct MiningSearch: Sendable {
    /// One trial as the report's table shows it.
    public struct Row: Sendable {
        public let number: Int
        public let k: Int
        public let proposer: String
        public let objective: Double
        public let heldOut: Double
        public let tokens: Int
    }

    /// The evaluation-set name under which a user's `--eval` file is scored.
    static let userSet = "eval-user"

    public let searcher: String
    public let kMin: Int
    public let kMax: Int
    public let seed: UInt64
    /// What the objective was measured on, in words.
    public let objectiveLabel: String
    public let rows: [Row]
    public let bestK: Int
    public let stopReason: String

    /// Searches k over `ranked` (best first, near-duplicates already removed). `evaluation`, when given, is the
    /// user's evaluation set (its `label` names it in the report) and becomes the objective. `log` hears one line per
    /// finished trial.
    public init(setup: MiningSetup, ranked: [Example], evaluation: (label: String, examples: [Example])?,
                log: @escaping (String) -> Void) throws {
        let context = setup.context
        let search = try SubsetSizeSearch(context, available: ranked.count, step: "mine --search")
        let extra = evaluation.map { [Self.userSet: $0.examples] } ?? [:]
        let finetunes = try Finetunes(context, pools: try PoolsRef(context), extraSets: extra)
        let objectiveSet = evaluation == nil ? Finetunes.mainSet : Self.userSet
        let label = evaluation.map { "your evaluation file \($0.label)" } ?? "the profile's self-instruct evaluation pool"
        log("searching k in [\(search.kMin), \(search.kMax)] with \(search.kind) (seed \(search.seed), \(search.budget.trials ?? 0) trials); objective: loss on \(label)")
        let result = try search.run(ranked: ranked, finetunes: finetunes, objectiveSet: objectiveSet, heldOutSet: Finetunes.heldOutSet, context: context) { done in
            log("trial \(done.trial.number): k = \(done.k) → loss \(Self.number(done.objective)) (held out \(Self.number(done.heldOut)), \(done.tokens) tokens)")
        }
        searcher = search.kind
        kMin = search.kMin
        kMax = search.kMax
        seed = search.seed
        objectiveLabel = label
        rows = result.trials.map { Row(number: $0.trial.number, k: $0.k, proposer: $0.trial.proposer, objective: $0.objective, heldOut: $0.heldOut, tokens: $0.tokens) }
        bestK = result.bestK
        stopReason = result.outcome.stopReason.rawValue
    }

    /// The report's section: what was searched, the trial table and the chosen k.
    func reportLines() -> [String] {
        var lines = ["## Subset-size search", ""]
        lines.append("\(searcher) (seed \(seed)) searched k in [\(kMin), \(kMax)] of the ranked examples; each trial finetuned the profile's base model on the top k and measured the loss on \(objectiveLabel). MT-Bench + Vicuna loss is shown as a held-out check the search never saw. Stopped: \(stopReason).")
        lines.append("")
        lines.append("| trial | k | proposed by | objective loss | held-out loss | tokens (cost) |")
        lines.append("| --- | --- | --- | --- | --- | --- |")
        for row in rows {
            lines.append("| \(row.number) | \(row.k) | \(row.proposer) | \(Self.number(row.objective)) | \(Self.number(row.heldOut)) | \(row.tokens) |")
        }
        lines += ["", "**Chosen k: \(bestK)** (lowest objective loss; the earliest trial among ties).", ""]
        return lines
    }

    /// Loss against k at the trials, with the chosen k marked.
    func figure() -> FigureSpec {
        FigureSpec(name: "search-loss", title: "Eval loss against k at the \(searcher) trials", xLabel: "k (rule's top k)", yLabel: "eval loss", xLog: true,
                   series: [.init("objective", kind: .points, points: rows.map { .init(x: Double($0.k), y: $0.objective) }),
                            .init("MT-Bench + Vicuna (held out)", kind: .points, points: rows.map { .init(x: Double($0.k), y: $0.heldOut) })],
                   verticalLines: [.init(at: Double(bestK), label: "chosen k = \(bestK)")])
    }

    static func number(_ x: Double) -> String { String(format: "%.6g", x) }
}
