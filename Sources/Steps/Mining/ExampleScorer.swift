import Core
import Corpus
import Foundation
import Indicators
import Neural
import Store
import Training
import Workbench

/// Scores any examples with the workbench's indicators, under exactly the variants notebook 01 stored for the
/// rule-fit and selection pools (same tokenizer, base model, MiniLM, reward model and KNN reference pool), and keeps
/// every value in the store by (example content hash × variant key).
///
/// A value already stored is never computed again, so a second run over the same or an overlapping file computes
/// only the new examples, and an interrupted run resumes: values are committed every ``chunkSize`` examples.
///
/// ```swift
/// let scorer = try ExampleScorer(setup)
/// let scores = try scorer.score(userFiles.examples, indicators: ["mtld", "reward"])
/// ```
public final class ExampleScorer {
    /// The indicators, in the order notebook 01 computes them (`knn6` carries the profile's i).
    public let names: [String]
    /// Each indicator's exact variant (its key is what a rule names).
    public let variants: [String: IndicatorVariant]
    /// Examples per committed batch.
    public var chunkSize = 1_000

    private let context: StepContext
    private let knnI: Int
    private lazy var encoder: Result<MiniLMEncoder, Error> = Result { try SentenceEncoder.load(context) }

    public init(_ setup: MiningSetup) throws {
        context = setup.context
        SharedLoads.pinBLASThreads()  // as notebook 01 computes them
        knnI = try context.profile.int("indicators.knn_i")
        let stored = try context.input(ofStep: IndicatorsStep.name, as: IndicatorsPayload.self)
        var variants: [String: IndicatorVariant] = [:]
        for entry in stored.indicators { variants[entry.name] = try context.store.indicatorVariant(key: entry.key) }
        names = stored.indicators.map(\.name)
        self.variants = variants
        guard Set(names) == Set(Self.groups(knnI: knnI).flatMap(\.names)) else {
            throw StepError.failed(step: "mine", "notebook 01 stored the indicators \(names) but this scorer computes \(Self.groups(knnI: knnI).flatMap(\.names)); the two must change together")
        }
    }

    /// Indicators computed together (one pass of one model serves each group).
    struct Group { var names: [String] }
    static func groups(knnI: Int) -> [Group] {
        [Group(names: ["input_length", "output_length"]), Group(names: ["mtld"]), Group(names: ["knn\(knnI)"]),
         Group(names: ["ppl", "ifd"]), Group(names: ["reward"])]
    }

    /// The indicators' values for `examples` (one column per name, rows in `examples` order): read from the store
    /// where present, computed and stored in batches where not.
    /// - Parameter log: one line per group saying how many values were cached and how many computed.
    public func score(_ examples: [Example], indicators wanted: [String], log: (String) -> Void = { _ in }) throws -> [String: [Double]] {
        for name in wanted where variants[name] == nil {
            throw InputError(file: "--indicators", "unknown indicator '\(name)'; known: \(names.joined(separator: ", "))")
        }
        try StoredExamples.ensure(examples, in: context.store)
        var columns: [String: [Double]] = [:]
        for group in Self.groups(knnI: knnI) where group.names.contains(where: { wanted.contains($0) }) {
            var stored: [String: [String: Double]] = [:]
            for name in group.names {
                stored[name] = Dictionary(try context.store.indicatorValues(variantKey: variants[name]!.key).map { ($0.exampleID, $0.value) },
                                          uniquingKeysWith: { a, _ in a })
            }
            let missing = examples.filter { example in group.names.contains { stored[$0]![example.id] == nil } }
            log("\(group.names.joined(separator: ", ")): \(examples.count - missing.count) cached, \(missing.count) to compute")
            if !missing.isEmpty { try verify(group) }
            let progress = Core.Progress(group.names.joined(separator: "+"), total: missing.count)
            var start = 0
            while start < missing.count {
                let chunk = Array(missing[start..<min(start + chunkSize, missing.count)])
                let computed = try compute(group, chunk)
                try context.store.write { db in
                    for name in group.names {
                        let rows = chunk.indices.compactMap { i -> IndicatorValue? in
                            stored[name]![chunk[i].id] == nil ? IndicatorValue(exampleID: chunk[i].id, value: computed[name]![i]) : nil
                        }
                        try context.store.putIndicatorValues(rows, variant: variants[name]!, in: db)
                    }
                }
                for name in group.names { for (i, example) in chunk.enumerated() where stored[name]![example.id] == nil { stored[name]![example.id] = computed[name]![i] } }
                progress.advance(by: chunk.count)
                start += chunk.count
            }
            progress.finish()
            for name in group.names where wanted.contains(name) { columns[name] = examples.map { stored[name]![$0.id]! } }
        }
        return columns
    }

    /// One group's values for `examples`, computed as `IndicatorsStep` computes them.
    private func compute(_ group: Group, _ examples: [Example]) throws -> [String: [Double]] {
        switch group.names[0] {
        case "input_length":
            let checkpoint = try checkpointOfBase()
            let tokenizer = checkpoint.tokenizer
            let digest = try context.input(ofStep: TokenizerStep.name, as: TokenizerPayload.self).digest
            let lengths = LengthIndicators(tokenizerID: "bpe:\(digest)") { tokenizer.encode($0).count }
            let counts = examples.map { lengths.measure(instruction: $0.instruction, input: $0.input, response: $0.response) }
            return ["input_length": counts.map { Double($0.inputTokens) }, "output_length": counts.map { Double($0.outputTokens) }]
        case "mtld":
            // As notebook 01: a response with no words has no MTLD and is stored as 0.
            let meter = MTLDMeter(.lexicalRichness)
            return ["mtld": examples.map { meter.measure($0.response).value ?? 0 }]
        case "ppl":
            let base = try context.input(ofStep: PretrainStep.name, as: BaseModelPayload.self)
            let scores = try ScoringLMs.scorer(context, base: base).scores(examples)
            return ["ppl": scores.map(\.conditionalPerplexity), "ifd": scores.map(\.ifd)]
        case "reward":
            return ["reward": try RewardRef(context).score(examples, encoder: try encoder.get())]
        default:
            let encoder = try encoder.get()
            let texts = examples.map { EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response) }
            let neighbours = try KNNSearch.ithNeighbours(queries: encoder.embed(texts), pool: try referenceEmbeddings(), i: knnI)
            return [group.names[0]: neighbours.distances.map(Double.init)]
        }
    }

    /// Recomputes a group for the first examples of notebook 01's selection sample and compares them with the values
    /// that notebook stored under the same variants: the values here are computed by this file, the variants are read
    /// from the store, and this check is what keeps the two from drifting apart (a changed computation must fail
    /// here, not store different numbers under an old variant).
    private func verify(_ group: Group) throws {
        let probes = Array(try SelectionPool(context, pools: try PoolsRef(context)).examples.prefix(4))
        let computed = try compute(group, probes)
        for name in group.names {
            let stored = Dictionary(try context.store.indicatorValues(variantKey: variants[name]!.key).map { ($0.exampleID, $0.value) },
                                    uniquingKeysWith: { a, _ in a })
            for (i, probe) in probes.enumerated() {
                guard let old = stored[probe.id] else { continue }
                let new = computed[name]![i]
                guard abs(new - old) <= 1e-5 * max(1, abs(old)) else {
                    throw StepError.failed(step: "mine", "indicator \(name) computed here (\(new)) differs from notebook 01's stored value (\(old)) for example \(probe.id.prefix(12)) under the same variant: the scorer and indicators.compute have drifted apart")
                }
            }
        }
    }

    private func checkpointOfBase() throws -> MicroLMCheckpoint {
        let base = try context.input(ofStep: PretrainStep.name, as: BaseModelPayload.self)
        return try SharedLoads.shared.checkpoint(base.checkpoint, store: context.store)
    }

    /// What a reference implementation needs to compute the same values (`bench/mine`): the KNN reference pool's
    /// examples and the reward model (weights and settings as JSON).
    public func referenceBundle() throws -> (knnPool: [Example], rewardModel: Data) {
        let pool = try SelectionPool.ruleFit(context, pools: try PoolsRef(context))
        return (pool.examples, try CanonicalJSON.encode(try RewardRef(context).model))
    }

    /// The rule-fit sample's embeddings: the pool every KNN value is measured against.
    private var reference: EmbeddingMatrix?
    private func referenceEmbeddings() throws -> EmbeddingMatrix {
        if let reference { return reference }
        let pool = try SelectionPool.ruleFit(context, pools: try PoolsRef(context))
        let encoder = try encoder.get()
        let embedded = encoder.embed(pool.examples.map {
            EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response)
        })
        reference = embedded
        return embedded
    }
}
