import Core
import Corpus
import Foundation
import GRDB
import Indicators
import Neural
import Stats
import Training
import Store
import Workbench

/// Computes every built-in indicator for the rule-fitting and selection pool samples and stores the values with
/// their exact variants: lengths (BPE tokens of the base model), MTLD (lexicalrichness variant), KNN-i (cosine
/// distance in all-MiniLM-L6-v2 space to the i-th nearest example of the rule-fitting sample), response
/// perplexity and IFD under the base model, and the workbench's reward model.
enum IndicatorsStep: Step {
    static let name = "indicators.compute"
    static let version = 1
    static let summary = "Computes and stores lengths, MTLD, KNN-i, perplexity, IFD and reward for the rule-fit and selection pools."
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        SentenceEncoder.externalInputs(context).merging(try ScoringLMs.externalInputs(context)) { a, _ in a }
    }

    static let profileKeys = ["rule_fit.pool_size", "selection.pool_size", "indicators"]

    static func run(_ context: StepContext) throws -> StepOutput {
        SharedLoads.pinBLASThreads()
        let pools = try PoolsRef(context)
        let reference = try SelectionPool.ruleFit(context, pools: pools)
        let selection = try SelectionPool(context, pools: pools)
        let examples = reference.examples + selection.examples
        try StoredExamples.ensure(examples, in: context.store)
        let tokenizerPayload = try context.input(ofStep: TokenizerStep.name, as: TokenizerPayload.self)
        let base = try context.input(ofStep: PretrainStep.name, as: BaseModelPayload.self)
        let checkpoint = try SharedLoads.shared.checkpoint(base.checkpoint, store: context.store)
        let reward = try RewardRef(context)
        var entries: [IndicatorsPayload.Entry] = []
        var described: [[String]] = []

        func store(_ name: String, _ description: String, _ variant: IndicatorVariant, _ values: [Double], flags: [String?]? = nil) throws {
            let rows = examples.indices.map { IndicatorValue(exampleID: examples[$0].id, value: values[$0], flag: flags?[$0]) }
            let key = try context.store.putIndicatorValues(rows, variant: variant)
            entries.append(.init(name: name, key: key, description: description))
            let finite = values.filter(\.isFinite)
            described.append([name, description, Table.number(Sample.mean(finite), digits: 3), Table.number(Sample.standardDeviation(finite), digits: 3),
                              Table.number(finite.min() ?? .nan, digits: 3), Table.number(finite.max() ?? .nan, digits: 3)])
        }

        // Lengths, in the base model's BPE tokens.
        let tokenizer = checkpoint.tokenizer
        let lengths = LengthIndicators(tokenizerID: "bpe:\(tokenizerPayload.digest)") { tokenizer.encode($0).count }
        let counts = examples.map { lengths.measure(instruction: $0.instruction, input: $0.input, response: $0.response) }
        try store("input_length", "tokens of instruction + input", lengths.variants.inputTokens, counts.map { Double($0.inputTokens) })
        try store("output_length", "tokens of the response", lengths.variants.outputTokens, counts.map { Double($0.outputTokens) })

        // MTLD, as lexicalrichness 0.5.1 computes it (the paper's package).
        let meter = MTLDMeter(.lexicalRichness)
        // A response with no word tokens (code, numbers only) has no MTLD; it is stored as 0 and flagged, so the
        // count of such examples is visible rather than the examples silently dropped.
        let mtld = examples.map { meter.measure($0.response) }
        let undefinedMTLD = mtld.filter { $0.value == nil }.count
        try store("mtld", "MTLD of the response (lexicalrichness); \(undefinedMTLD) without words stored as 0", .mtld(.lexicalRichness),
                  mtld.map { $0.value ?? 0 }, flags: mtld.map { $0.value == nil ? "no-words" : $0.flag })

        // KNN-i in all-MiniLM-L6-v2 space against the rule-fitting sample.
        let i = try context.profile.int("indicators.knn_i")
        let encoder = try SentenceEncoder.load(context)
        let texts = examples.map { EmbeddingText.instructionInputResponse(instruction: $0.instruction, input: $0.input, response: $0.response) }
        let progress = context.progress("MiniLM embeddings", total: texts.count)
        let embeddings = encoder.embed(texts, progress: progress)
        progress.finish()
        let referenceRows = Array(0..<reference.examples.count)
        let referenceEmbeddings = embeddings.rows(referenceRows)
        let inside = try KNNSearch.ithNeighbours(of: referenceEmbeddings, i: i)
        let outside = try KNNSearch.ithNeighbours(queries: embeddings.rows(Array(reference.examples.count..<examples.count)), pool: referenceEmbeddings, i: i)
        let knnVariant = IndicatorVariant(name: "knn", parameters: ["i": "\(i)", "metric": "cosine", "max_tokens": "\(encoder.maxSequenceLength)"],
                                          textField: .instructionInputResponse, tokenizer: "wordpiece:all-minilm-l6-v2",
                                          modelHash: try encoder.weightsDigest,
                                          referencePool: "rule-fit sample \(SHA256.hex(reference.examples.map(\.id).joined(separator: "\n")))")
        try store("knn\(i)", "cosine distance to the \(i)th nearest rule-fit example (MiniLM)", knnVariant,
                  (inside.distances + outside.distances).map(Double.init))

        // Perplexity and IFD under the profile's scoring LM (default: the base model).
        let scorer = try ScoringLMs.scorer(context, base: base)
        let scores = scorer.scores(examples)
        let template = "alpaca"
        let perplexity = ResponsePerplexity(modelHash: scorer.modelHash) { _, _ in throw StepError.failed(step: name, "not used") }
        let pplVariants = perplexity.variants(template: template, tokenizer: "bpe:\(tokenizerPayload.digest)")
        try store("ppl", "response perplexity given the prompt (base model)", pplVariants.conditional, scores.map(\.conditionalPerplexity))
        try store("ifd", "IFD: conditional / unconditional response loss", pplVariants.ifd, scores.map(\.ifd))

        // Reward.
        let rewards = reward.score(examples, encoder: encoder)
        try store("reward", "reward model score (Bradley–Terry on MiniLM)", reward.variant, rewards)

        let valuesDigest = try CanonicalJSON.digest(entries.map(\.key))
        let payload = IndicatorsPayload(indicators: entries, pools: [reference.name, selection.name], valuesDigest: valuesDigest)
        return try StepOutput(payload: payload)
            .table(Table(title: "Indicators over \(examples.count) examples (\(reference.examples.count) rule-fit, \(selection.examples.count) selection)",
                         columns: ["indicator", "what", "mean", "sd", "min", "max"], rows: described,
                         note: "Every value is stored in indicator_value under its exact variant (tokenizer, model hash, reference pool); a change of any is a new indicator."))
            .modelHash("all-minilm-l6-v2", try encoder.weightsDigest)
    }
}

/// Makes sure examples are in the store's `example` table (indicator values reference them).
enum StoredExamples {
    static func ensure(_ examples: [Example], in store: Store) throws {
        try store.write { db in
            for example in examples { try Ingest.insert(example, in: db) }
        }
    }
}
