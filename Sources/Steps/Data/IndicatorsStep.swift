import Core
import Corpus
import Foundation
import Indicators
import Neural
import Stats
import Training
import Store
import Workbench

/// Computes every indicator of the catalog (``IndicatorCatalog/paper(knnI:)``) for the rule-fitting and selection
/// pool samples and stores the values with their exact variants: lengths (BPE tokens of the base model), MTLD
/// (lexicalrichness variant), KNN-i (cosine distance in all-MiniLM-L6-v2 space to the i-th nearest example of the
/// rule-fitting sample), response perplexity and IFD under the `indicators.lm` scorer, the workbench's reward
/// model, and (when `indicators.lm` is a real GGUF model) UniEval-style naturalness, coherence and understandability
/// with that model as judge.
///
/// Version 2: IFD is the ratio of the mean losses (docs/indicators.md, Cherry LLM), stored under a new variant
/// (`ratio: mean_loss`); version 1 stored the ratio of the perplexities under a description that named the losses.
/// Version 3: under a real `indicators.lm` the catalog adds the judge indicators (``JudgeIndicator``), so a cell
/// stored by version 2 under such a profile lacks them.
/// Version 4: under a real `indicators.lm` the catalog adds `reward_lm` (``RewardLMIndicator``).
/// Version 5: the values are also the cell's artifact (``IndicatorColumns``, `columnsDigest`), which later cells read.
enum IndicatorsStep: ScoringStep {
    static let name = "indicators.compute"
    static let version = 5
    static let summary = "Computes and stores lengths, MTLD, KNN-i, perplexity, IFD and reward for the rule-fit and selection pools."
    static let inputs = StepInputs.reads(PoolsStep.self, RewardModelStep.self, PretrainStep.self, TokenizerStep.self)
    static let profileKeys = ["rule_fit.pool_size", "selection.pool_size", "indicators"]

    static func run(_ context: StepContext) throws -> StepOutput {
        try run(context, catalog: try ScoringLMs.catalog(context.profile))
    }

    /// The cell's work over any catalog (a test registers a step that adds an indicator to the paper's).
    static func run(_ context: StepContext, catalog: IndicatorCatalog) throws -> StepOutput {
        BLAS.pinForReproducibility()
        let pools = try PoolsRef(context)
        let reference = try SelectionPool.ruleFit(context, pools: pools)
        let selection = try SelectionPool(context, pools: pools)
        let examples = reference.examples + selection.examples
        try Ingest.ensure(examples, in: context.store)
        let inputs = try IndicatorInputs.prepare(catalog, examples: examples, referenceCount: reference.examples.count,
                                                 referenceLabel: "rule-fit", context: context)
        var entries: [IndicatorsPayload.Entry] = []
        var columns: [String: [Double]] = [:]
        var described: [[String]] = []
        for indicator in catalog.entries {
            let column = try indicator.compute(inputs)
            let values = try storedValues(column, of: indicator, examples: examples)
            let key = try context.store.putIndicatorValues(values, variant: column.variant)
            entries.append(.init(name: indicator.name, key: key, description: column.description))
            let numbers = values.map(\.value)
            columns[indicator.name] = numbers
            let finite = numbers.filter(\.isFinite)
            described.append([indicator.name, column.description, Table.number(Sample.mean(finite), digits: 3), Table.number(Sample.standardDeviation(finite), digits: 3),
                              Table.number(finite.min() ?? .nan, digits: 3), Table.number(finite.max() ?? .nan, digits: 3)])
        }

        let valuesDigest = try CanonicalJSON.digest(entries.map(\.key))
        let columnsDigest = try context.store.putArtifact(try CanonicalJSON.encode(IndicatorColumns(exampleIDs: examples.map(\.id), columns: columns)),
                                                          kind: "indicator-columns")
        let payload = IndicatorsPayload(indicators: entries, pools: [reference.name, selection.name], valuesDigest: valuesDigest,
                                        columnsDigest: columnsDigest)
        var output = try StepOutput(payload: payload)
            .table(Table(title: "Indicators over \(examples.count) examples (\(reference.examples.count) rule-fit, \(selection.examples.count) selection)",
                         columns: ["indicator", "what", "mean", "sd", "min", "max"], rows: described,
                         note: "Every value is stored in indicator_value under its exact variant (tokenizer, model hash, reference pool); a change of any is a new indicator."))
        if let embeddings = inputs.embeddings { output = output.modelHash("all-minilm-l6-v2", embeddings.encoderDigest) }
        return output
    }

    /// The column as stored rows: an undefined value becomes the indicator's ``Indicator/storedWhenUndefined`` (its
    /// flag says so), or an error naming the indicator and the example when it has none.
    static func storedValues(_ column: IndicatorColumn, of indicator: any Indicator, examples: [Example]) throws -> [IndicatorValue] {
        guard column.values.count == examples.count else {
            throw StepError.failed(step: name, "indicator \(indicator.name) gave \(column.values.count) values for \(examples.count) examples")
        }
        return try examples.indices.map { i in
            guard let value = column.values[i] ?? indicator.storedWhenUndefined else {
                throw StepError.failed(step: name, "indicator \(indicator.name) has no value for example \(examples[i].id.prefix(12)) and no stored stand-in")
            }
            return IndicatorValue(exampleID: examples[i].id, value: value, flag: column.flags[i])
        }
    }
}
