import Core
import Corpus
import Foundation
import Stats
import Workbench

struct SweepPayload: Codable {
    var sizes: [Int]
    var seeds: Int
    /// outcomes[kind][sizeIndex] = one outcome per seed; kind is "rule" or "random".
    var outcomes: [String: [[FinetuneOutcome]]]
    /// Examples in the selection pool the sizes are drawn from.
    var poolSize: Int
    /// Per size: the share of a random subset's examples that are also in the rule's top k (mean over seeds). Near
    /// the pool's size the two overlap by construction, and so must their losses.
    var shared: [Double]

    func losses(_ kind: String, set: String) -> [[Double]] {
        (outcomes[kind] ?? []).map { $0.map { $0.losses[set] ?? .nan } }
    }
}

/// Finetunes the rule's top k and random k at every size of the profile's log grid, over seeds.
enum SizeSweepStep: RuleSelectionStep {
    static let name = "sweep.sizes"
    static let version = 2
    static let summary = "Eval loss against data size for rule-selected and random data, over seeds."
    static let profileKeys = ["sweep", "selection.pool_size", "finetune"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let fitted = try context.input(RuleFitStep.self, as: RuleFitPayload.self)
        let pool = try SelectionPool(context, pools: pools)
        let ranking = try pool.ranked(by: fitted.rule, table: try IndicatorTable(context))
        let sizes = try context.profile.ints("sweep.sizes").filter { $0 <= pool.examples.count }
        let seeds = try context.profile.int("sweep.seeds")
        guard sizes.count >= 3 else { throw StepError.failed(step: name, "the sweep needs at least 3 sizes within the pool of \(pool.examples.count)") }
        let finetunes = try Finetunes(context, pools: pools)
        var requests: [FinetuneRequest] = []
        var shared = [Double](repeating: 0, count: sizes.count)
        for kind in ["rule", "random"] {
            for (i, size) in sizes.enumerated() {
                let top = kind == "random" ? Set(ranking.prefix(size).map(\.id)) : []
                for s in 0..<seeds {
                    let seed = context.seed &+ UInt64(s)
                    let subset = kind == "rule" ? Array(ranking.prefix(size)) : randomSubset(pool, size: size, seed: seed)
                    requests.append(FinetuneRequest(label: "\(kind) \(size) seed \(s)", subset: subset, seed: seed))
                    if kind == "random" {
                        shared[i] += Double(subset.filter { top.contains($0.id) }.count) / Double(size * seeds)
                    }
                }
            }
        }
        let outcomes = try finetunes.run(requests, label: "size sweep")
        var grouped: [String: [[FinetuneOutcome]]] = [:]
        for (k, kind) in ["rule", "random"].enumerated() {
            grouped[kind] = sizes.indices.map { i in
                let start = (k * sizes.count + i) * seeds
                return Array(outcomes[start..<(start + seeds)])
            }
        }
        let payload = SweepPayload(sizes: sizes, seeds: seeds, outcomes: grouped, poolSize: pool.examples.count, shared: shared)
        let rows = sizes.indices.map { i -> [String] in
            ["\(sizes[i])"] + ["rule", "random"].flatMap { kind in
                [Finetunes.mainSet, Finetunes.heldOutSet].map { set in Table.meanSD(payload.losses(kind, set: set)[i]) }
            } + [Table.number(shared[i] * 100, digits: 1) + "%"]
        }
        return try StepOutput(payload: payload)
            .table(Table(title: "Eval loss against size (mean ± sd over \(seeds) seeds)",
                         columns: ["size", "rule: self-instruct", "rule: MT-Bench", "random: self-instruct", "random: MT-Bench", "random ∩ rule"], rows: rows,
                         note: "random ∩ rule: the share of a random subset that is also in the rule's top k, from a pool of \(pool.examples.count) (by chance: size / pool)."))
            .figure(SweepFigures.curves(payload, set: Finetunes.mainSet, name: "double-descent-self-instruct", title: "Self-instruct loss against data size"))
            .figure(SweepFigures.curves(payload, set: Finetunes.heldOutSet, name: "double-descent-mt-bench", title: "MT-Bench + Vicuna loss against data size"))
    }
}

extension SizeSweepStep {
    /// The sweep's random subset of `size` for one seed (the regime check finetunes the same subsets on MicroLM).
    static func randomSubset(_ pool: SelectionPool, size: Int, seed: UInt64) -> [Example] {
        pool.random(size, seed: seed, stream: "sweep-\(size)")
    }
}

enum SweepFigures {
    /// Mean curves with a ±1 sd band for the rule's top k and random k.
    static func curves(_ sweep: SweepPayload, set: String, name: String, title: String, markers: [FigureSpec.Marker] = []) -> FigureSpec {
        let series = ["rule", "random"].map { kind -> FigureSpec.Series in
            let losses = sweep.losses(kind, set: set)
            return FigureSpec.Series(kind == "rule" ? "rule top k" : "random k", kind: .linesPoints, points: sweep.sizes.indices.map { i in
                let m = Sample.mean(losses[i]), sd = Sample.standardDeviation(losses[i])
                return .init(x: Double(sweep.sizes[i]), y: m, low: m - sd, high: m + sd)
            })
        }
        return FigureSpec(name: name, title: title + " (band: ±1 sd over \(sweep.seeds) seeds)", xLabel: "examples (log scale)", yLabel: "eval loss",
                          xLog: true, series: series, verticalLines: markers)
    }
}
