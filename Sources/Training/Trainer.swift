import Corpus
import Foundation

/// What a finetune needs besides its data: everything that changes the result is in here, so a job's key can be
/// derived from its content and a finished job is never recomputed.
public struct FinetuneSettings: Codable, Hashable, Sendable {
    /// The base model: a checkpoint digest for MicroLM, a model name for external trainers.
    public var baseModel: String
    public var epochs: Int
    public var learningRate: Double
    public var batchSize: Int
    public var seed: UInt64
    /// Which layers train (nil: all). A partial finetune is the workbench's analogue of LoRA.
    public var trainableLayers: [Int]?
    /// Named evaluation sets to report a loss on.
    public var evaluationSets: [String]

    public init(baseModel: String, epochs: Int, learningRate: Double, batchSize: Int, seed: UInt64,
                trainableLayers: [Int]? = nil, evaluationSets: [String]) {
        (self.baseModel, self.epochs, self.learningRate, self.batchSize) = (baseModel, epochs, learningRate, batchSize)
        (self.seed, self.trainableLayers, self.evaluationSets) = (seed, trainableLayers, evaluationSets)
    }
}

/// What a finetune reports back.
public struct FinetuneResult: Codable, Hashable, Sendable {
    /// Mean token NLL of each evaluation set's reference responses given their prompts, by set name.
    public var evalLosses: [String: Double]
    public var tokensProcessed: Int
    public var wallSeconds: Double
    /// Digest of the finetuned checkpoint, when the backend keeps one.
    public var checkpoint: String?

    public init(evalLosses: [String: Double], tokensProcessed: Int, wallSeconds: Double, checkpoint: String? = nil) {
        (self.evalLosses, self.tokensProcessed) = (evalLosses, tokensProcessed)
        (self.wallSeconds, self.checkpoint) = (wallSeconds, checkpoint)
    }
}

/// A finetuning backend. The built-in one trains MicroLM on the CPU; the command trainer hands jobs to an external
/// program (a GPU script, a Slurm array). Experiments only ever talk to this protocol.
public protocol Trainer: Sendable {
    /// A short name recorded with every result ("microlm", "command:...").
    var backend: String { get }
    /// Finetunes the base model in `settings` on `subset` and evaluates it on `evaluationSets`.
    func finetune(subset: [Example], settings: FinetuneSettings, evaluationSets: [String: [Example]]) throws -> FinetuneResult
}
