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
    /// The indicators, in catalog order (`knn6` carries the profile's i).
    public let names: [String]
    /// Each indicator's exact variant as notebook 01 stored it (its key is what a rule names).
    public let variants: [String: IndicatorVariant]
    /// Examples per committed batch.
    public var chunkSize = 1_000

    private let context: StepContext
    private let catalog: IndicatorCatalog
    private lazy var encoder: Result<MiniLMEncoder, Error> = Result { try SentenceEncoder.load(context) }
    private lazy var rewardModel: Result<RewardRef, Error> = Result { try RewardRef(context) }

    public init(_ setup: MiningSetup) throws {
        BLAS.pinForReproducibility()  // as notebook 01 computes them
        context = setup.context
        catalog = try ScoringLMs.catalog(context.profile)
        let stored = try context.input(IndicatorsStep.self, as: IndicatorsPayload.self)
        var variants: [String: IndicatorVariant] = [:]
        for entry in stored.indicators { variants[entry.name] = try context.store.indicatorVariant(key: entry.key) }
        names = catalog.names
        self.variants = variants
        guard Set(stored.indicators.map(\.name)) == Set(names) else {
            throw StepError.failed(step: "mine", "notebook 01 stored the indicators \(stored.indicators.map(\.name)) but the catalog has \(names): run notebook 01 again")
        }
    }

    /// Indicators that read the same prepared input (tokens, embeddings, a language model, the reward model) are
    /// computed together, so one pass of one model serves each group.
    var groups: [[any Indicator]] {
        var groups: [[any Indicator]] = []
        for entry in catalog.entries {
            if let i = groups.firstIndex(where: { $0[0].needs == entry.needs }) { groups[i].append(entry) } else { groups.append([entry]) }
        }
        return groups
    }

    /// The indicators' values for `examples` (one column per name, rows in `examples` order): read from the store
    /// where present, computed and stored in batches where not.
    /// - Parameter log: one line per group saying how many values were cached and how many computed.
    public func score(_ examples: [Example], indicators wanted: [String], log: (String) -> Void = { _ in }) throws -> [String: [Double]] {
        for name in wanted where variants[name] == nil {
            throw InputError(file: "--indicators", "unknown indicator '\(name)'; known: \(names.joined(separator: ", "))")
        }
        try Ingest.ensure(examples, in: context.store)
        var columns: [String: [Double]] = [:]
        for group in groups where group.contains(where: { wanted.contains($0.name) }) {
            let groupNames = group.map(\.name)
            var stored: [String: [String: Double]] = [:]
            for name in groupNames {
                stored[name] = Dictionary(try context.store.indicatorValues(variantKey: variants[name]!.key).map { ($0.exampleID, $0.value) },
                                          uniquingKeysWith: { a, _ in a })
            }
            let missing = examples.filter { example in groupNames.contains { stored[$0]![example.id] == nil } }
            log("\(groupNames.joined(separator: ", ")): \(examples.count - missing.count) cached, \(missing.count) to compute")
            if !missing.isEmpty { try verify(group) }
            let progress = Core.Progress(groupNames.joined(separator: "+"), total: missing.count)
            var start = 0
            while start < missing.count {
                let chunk = Array(missing[start..<min(start + chunkSize, missing.count)])
                let computed = try compute(group, chunk)
                try context.store.write { db in
                    for name in groupNames {
                        let rows = computed[name]!.filter { stored[name]![$0.exampleID] == nil }
                        try context.store.putIndicatorValues(rows, variant: variants[name]!, in: db)
                    }
                }
                for name in groupNames { for row in computed[name]! where stored[name]![row.exampleID] == nil { stored[name]![row.exampleID] = row.value } }
                progress.advance(by: chunk.count)
                start += chunk.count
            }
            progress.finish()
            for name in groupNames where wanted.contains(name) { columns[name] = examples.map { stored[name]![$0.id]! } }
        }
        return columns
    }

    /// One group's values for `examples`, computed by the catalog's indicators as the indicators cell computes them
    /// (KNN against the rule-fit sample, which is embedded once per run and put first, as that cell does).
    private func compute(_ group: [any Indicator], _ examples: [Example]) throws -> [String: [IndicatorValue]] {
        let needs = group[0].needs
        var inputs: IndicatorInputs
        var offset = 0
        if needs.contains(.embeddings) {
            let (reference, matrix) = try referenceEmbeddings()
            let encoder = try encoder.get()
            let embedded = encoder.embed(examples.map {
                EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response)
            })
            inputs = IndicatorInputs(examples: reference + examples)
            inputs.embeddings = .init(matrix: EmbeddingMatrix(count: matrix.count + embedded.count, dimension: matrix.dimension, values: matrix.values + embedded.values),
                                      encoderDigest: try encoder.weightsDigest, maxTokens: encoder.maxSequenceLength, referenceCount: reference.count,
                                      referencePool: "rule-fit sample \(SHA256.hex(reference.map(\.id).joined(separator: "\n")))", referenceLabel: "rule-fit")
            offset = reference.count
        } else if needs == [.reward] {
            // The run's one encoder and reward model, not a fresh load of both (90 MB of weights) for every batch.
            let reward = try rewardModel.get()
            inputs = IndicatorInputs(examples: examples)
            inputs.reward = .init(model: reward.model, digest: reward.digest, encoder: try encoder.get())
        } else {
            inputs = try IndicatorInputs.prepare(IndicatorCatalog(group), examples: examples, referenceCount: 0, referenceLabel: "rule-fit", context: context)
        }
        var out: [String: [IndicatorValue]] = [:]
        for indicator in group {
            var column = try indicator.compute(inputs)
            guard column.variant.key == variants[indicator.name]!.key else {
                throw StepError.failed(step: "mine", "indicator \(indicator.name) is computed here under variant \(column.variant.canonicalJSON), but notebook 01 stored \(variants[indicator.name]!.canonicalJSON)")
            }
            column.values.removeFirst(offset)
            column.flags.removeFirst(offset)
            out[indicator.name] = try IndicatorsStep.storedValues(column, of: indicator, examples: examples)
        }
        return out
    }

    /// Recomputes a group for the first examples of notebook 01's selection sample and compares them with the values
    /// that notebook stored: a changed computation must fail here, not store different numbers under an old variant.
    private func verify(_ group: [any Indicator]) throws {
        let probes = Array(try SelectionPool(context, pools: try PoolsRef(context)).examples.prefix(4))
        let computed = try compute(group, probes)
        for indicator in group {
            let stored = Dictionary(try context.store.indicatorValues(variantKey: variants[indicator.name]!.key).map { ($0.exampleID, $0.value) },
                                    uniquingKeysWith: { a, _ in a })
            for row in computed[indicator.name]! {
                guard let old = stored[row.exampleID] else { continue }
                guard abs(row.value - old) <= 1e-5 * max(1, abs(old)) else {
                    throw StepError.failed(step: "mine", "indicator \(indicator.name) computed here (\(row.value)) differs from notebook 01's stored value (\(old)) for example \(row.exampleID.prefix(12)) under the same variant")
                }
            }
        }
    }

    /// What a reference implementation needs to compute the same values (`bench/mine`): the KNN reference pool's
    /// examples and the reward model (weights and settings as JSON).
    public func referenceBundle() throws -> (knnPool: [Example], rewardModel: Data) {
        (try referenceEmbeddings().examples, try CanonicalJSON.encode(try RewardRef(context).model))
    }

    /// The rule-fit sample and its embeddings: the pool every KNN value is measured against.
    private var reference: (examples: [Example], matrix: EmbeddingMatrix)?
    private func referenceEmbeddings() throws -> (examples: [Example], matrix: EmbeddingMatrix) {
        if let reference { return reference }
        let pool = try SelectionPool.ruleFit(context, pools: try PoolsRef(context)).examples
        let matrix = try encoder.get().embed(pool.map {
            EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response)
        })
        reference = (pool, matrix)
        return (pool, matrix)
    }
}
