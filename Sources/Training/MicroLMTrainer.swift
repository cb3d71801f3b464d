import Corpus
import Foundation
import Neural

/// The built-in `Trainer`: finetunes MicroLM on the CPU from a base checkpoint and reports each evaluation set's
/// mean response NLL (given the prompts, token-weighted, end-of-text included).
///
/// Construction is cheap (the checkpoint is already in memory; its digest is computed once). Every finetune gets
/// its own buffers, so one trainer may serve several threads; OpenBLAS's thread count is process-wide
/// (`BLAS.setThreads`) and must stay fixed for bit-for-bit reproducible results.
///
///     let trainer = try MicroLMTrainer(base: checkpoint)
///     let settings = FinetuneSettings(baseModel: trainer.baseDigest, epochs: 3, learningRate: 5e-4, batchSize: 16,
///                                     seed: 20, evaluationSets: ["self-instruct"])
///     let result = try trainer.finetune(subset: subset, settings: settings, evaluationSets: ["self-instruct": refs])
public struct MicroLMTrainer: Trainer {
    public let base: MicroLMCheckpoint
    /// SHA-256 of the base checkpoint's safetensors bytes; `settings.baseModel` must name it.
    public let baseDigest: String
    public var backend: String { "microlm" }
    /// Whether results carry the finetuned checkpoint's digest (serialising it costs a few milliseconds).
    public var recordsCheckpointDigest = true

    public init(base: MicroLMCheckpoint) throws {
        self.base = base
        self.baseDigest = try base.digest()
    }

    public func finetune(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneResult {
        guard settings.baseModel == baseDigest else {
            throw TrainerError.wrongBaseModel(expected: baseDigest, got: settings.baseModel)
        }
        let sets = try settings.evaluationSets.map { name -> (String, [Example]) in
            guard let examples = evaluationSets[name] else { throw TrainerError.missingEvaluationSet(name) }
            return (name, examples)
        }
        let started = Date()
        let outcome = try MicroLMFinetuning(base: base).run(subset, settings: settings)
        let scorer = ResponseScorer(weights: outcome.weights, tokenizer: base.tokenizer, batchSize: max(1, settings.batchSize))
        var losses: [String: Double] = [:]
        for (name, examples) in sets { losses[name] = scorer.meanConditionalNLL(examples) }
        let digest = recordsCheckpointDigest
            ? try MicroLMCheckpoint(weights: outcome.weights, tokenizer: base.tokenizer).digest() : nil
        return FinetuneResult(evalLosses: losses, tokensProcessed: outcome.tokensProcessed,
                              wallSeconds: Date().timeIntervalSince(started), checkpoint: digest)
    }
}

public enum TrainerError: Error, CustomStringConvertible, Equatable, Sendable {
    case wrongBaseModel(expected: String, got: String)
    case missingEvaluationSet(String)
    /// The job was not started because an earlier job of its batch failed.
    case notRun(key: String)

    public var description: String {
        switch self {
        case let .wrongBaseModel(expected, got): return "settings name base model \(got), but this trainer holds \(expected)"
        case let .missingEvaluationSet(name): return "evaluation set '\(name)' was requested but not provided"
        case let .notRun(key): return "job \(key.prefix(12)) was not started because an earlier job of its batch failed"
        }
    }
}
