import Core
import Foundation
import Stats
import Workbench

/// One oracle's random-subset loss at each size, relative to its smallest size.
struct RegimeCurve: Codable {
    var oracle: String
    var sizes: [Int]
    /// Mean eval loss over seeds per size, per evaluation set.
    var losses: [String: [Double]]
    var deviations: [String: [Double]]

    /// Each size's mean loss divided by the smallest size's.
    func relative(_ set: String) -> [Double] {
        guard let values = losses[set], let first = values.first else { return [] }
        return values.map { $0 / first }
    }

    /// The largest |relative − 1| over sizes: how far the loss moves across the sizes tried.
    func largestMove(_ set: String) -> Double { relative(set).map { abs($0 - 1) }.max() ?? .nan }
}

struct RegimeCheckPayload: Codable {
    var curves: [RegimeCurve]
    var flatWithin: Double
}

/// Which regime is the oracle in? The paper's LLaMA-2-7B barely moves with random data of any size (1K 1.001, 20K
/// 0.991, 90K 1.010 on self-instruct); a model that does not yet know the language falls steeply with any extra
/// data, and every verdict about selection then reflects that. This step puts the sweep's random-subset curve
/// beside the paper's and beside MicroLM's on the same random subsets with the same finetune recipe (epochs,
/// batch, learning rate, evaluation sample), each relative to its smallest size.
enum RegimeCheckStep: FinetuningStep {
    static let name = "sweep.regime"
    static let version = 1
    static let summary = "Random-subset loss against size beside the paper's and MicroLM's: which regime the oracle is in."
    static let inputs = StepInputs.reads(PoolsStep.self, PretrainStep.self, SizeSweepStep.self)
    static let profileKeys = ["sweep", "selection.pool_size", "finetune"]
    static let parameters = [ParameterSpec("flat_within", .double, default: 0.02,
                                           "a curve is 'flat' when every size's mean loss is within this share of the smallest size's",
                                           range: 1e-6...1)]

    static func run(_ context: StepContext) throws -> StepOutput {
        let sweep = try context.input(SizeSweepStep.self, as: SweepPayload.self)
        let flatWithin = try context.parameters.double("flat_within")
        let oracle = try OracleSpec(context.profile, models: context.modelsDirectory)
        let sets = [Finetunes.mainSet, Finetunes.heldOutSet]
        // Under a MicroLM oracle the sweep's own curve is MicroLM's and no contrast is needed.
        let isMicroLM = try oracle.finetunesWorkbenchModel(context)
        var curves = [try paperCurve()]
        curves.append(curve(isMicroLM ? "MicroLM (this run's oracle)" : "\(oracle.modelName) (this run's oracle)",
                            sizes: sweep.sizes, outcomes: sweep.outcomes["random"] ?? [], sets: sets))
        if !isMicroLM {
            curves.append(try microLMCurve(context, sweep: sweep, sets: sets))
        }
        let payload = RegimeCheckPayload(curves: curves, flatWithin: flatWithin)
        return try StepOutput(payload: payload)
            .table(table(payload, sets: sets))
            .figure(figure(payload, set: Finetunes.mainSet))
    }

    private static func paperCurve() throws -> RegimeCurve {
        let reference = try PaperReference.load()
        let keys = [(1_000, "random_1k"), (20_000, "random_20k"), (90_000, "random_90k")]
        var losses: [String: [Double]] = [:]
        for (index, set) in [Finetunes.mainSet, Finetunes.heldOutSet].enumerated() {
            losses[set] = try keys.map { _, key in
                guard let pair = reference.value("selection.losses.\(key)") as? [Any], pair.count == 2,
                      let value = (pair[index] as? Double) ?? (pair[index] as? Int).map(Double.init) else {
                    throw StepError.failed(step: name, "\(PaperReference.path): selection.losses.\(key) is not a pair of numbers")
                }
                return value
            }
        }
        return RegimeCurve(oracle: "paper: LLaMA-2-7B (R)", sizes: keys.map(\.0), losses: losses, deviations: [:])
    }

    private static func curve(_ oracle: String, sizes: [Int], outcomes: [[FinetuneOutcome]], sets: [String]) -> RegimeCurve {
        var losses: [String: [Double]] = [:], deviations: [String: [Double]] = [:]
        for set in sets {
            losses[set] = outcomes.map { Sample.mean($0.losses(set)) }
            deviations[set] = outcomes.map { Sample.standardDeviation($0.losses(set)) }
        }
        return RegimeCurve(oracle: oracle, sizes: sizes, losses: losses, deviations: deviations)
    }

    /// MicroLM (the base model notebook 1 pretrained) finetuned on exactly the sweep's random subsets.
    private static func microLMCurve(_ context: StepContext, sweep: SweepPayload, sets: [String]) throws -> RegimeCurve {
        let pools = try PoolsRef(context)
        let pool = try SelectionPool(context, pools: pools)
        let finetunes = try Finetunes(context, pools: pools, oracle: try OracleSpec(nil, file: context.profile.profile.file))
        var requests: [FinetuneRequest] = []
        for size in sweep.sizes {
            for s in 0..<sweep.seeds {
                let seed = context.seed &+ UInt64(s)
                requests.append(FinetuneRequest(label: "MicroLM random \(size) seed \(s)",
                                                subset: SizeSweepStep.randomSubset(pool, size: size, seed: seed), seed: seed))
            }
        }
        let outcomes = try finetunes.run(requests, label: "regime check: MicroLM")
        let grouped = sweep.sizes.indices.map { Array(outcomes[($0 * sweep.seeds)..<(($0 + 1) * sweep.seeds)]) }
        return curve("MicroLM (same subsets and recipe)", sizes: sweep.sizes, outcomes: grouped, sets: sets)
    }

    private static func table(_ payload: RegimeCheckPayload, sets: [String]) -> Table {
        var rows: [[String]] = []
        for curve in payload.curves {
            for (i, size) in curve.sizes.enumerated() {
                rows.append([curve.oracle, "\(size)"] + sets.flatMap { set -> [String] in
                    let loss = curve.losses[set]![i], sd = curve.deviations[set]?[i]
                    return [sd.map { Table.number(loss, digits: 4) + " ± " + Table.number($0, digits: 4) } ?? Table.number(loss, digits: 3),
                            Table.number(curve.relative(set)[i], digits: 3)]
                })
            }
            let moves = sets.map { curve.largestMove($0) }
            let verdict = moves.allSatisfy { $0 <= payload.flatWithin } ? "flat" : "moves"
            rows.append([curve.oracle, "regime"] + moves.flatMap { ["", "\(verdict): ≤ \(Table.number($0 * 100, digits: 1))%"] })
        }
        return Table(title: "Which regime is each oracle in? Random-subset eval loss against size",
                     columns: ["oracle", "size", "self-instruct loss", "÷ smallest size", "MT-Bench loss", "÷ smallest size"], rows: rows,
                     note: "Loss: mean ± sd over the sweep's seeds (paper: single runs, quoted by reviews). '÷ smallest size': each size's mean over the smallest size's. Regime row: the largest move of the mean from the smallest size's, 'flat' when every size on both sets is within \(Table.number(payload.flatWithin * 100, digits: 1))%. Absolute losses of different models are not comparable; the shapes are. The paper's sizes are 1K–90K of 100K; ours are the profile's sweep sizes.")
    }

    private static func figure(_ payload: RegimeCheckPayload, set: String) -> FigureSpec {
        let series = payload.curves.map { curve in
            FigureSpec.Series(curve.oracle, kind: .linesPoints, points: curve.sizes.indices.map { i in
                .init(x: Double(curve.sizes[i]) / Double(curve.sizes[0]), y: curve.relative(set)[i])
            })
        }
        return FigureSpec(name: "regime", title: "Random-subset self-instruct loss against size, each oracle relative to its smallest size",
                          xLabel: "size ÷ smallest size (log scale)", yLabel: "mean loss ÷ smallest size's", xLog: true, series: series,
                          horizontalLines: [.init(at: 1, label: "no change")])
    }
}
