import Core
import Foundation
import Neural
import Workbench

/// Pretrains the base MicroLM on the pretraining text: the model every finetune starts from.
enum PretrainStep: Step {
    static let name = "lm.pretrain"
    static let version = 1
    static let summary = "Pretrains the base GPT on the pretraining pool (sizes from the profile's model section)."
    static let inputs = StepInputs.reads(PoolsStep.self, TokenizerStep.self)
    static let parameters = [ParameterSpec("pool", .string, default: "pretraining", "the pool whose documents it reads")]
    static let profileKeys = ["model", "pretrain"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let (payload, settings) = try pretrain(context, section: "model", pool: try context.parameters.string("pool"))
        let config = payload.config
        let report = (heldOutLossBefore: payload.heldOutLossBefore, heldOutLoss: payload.heldOutLoss, unigramLoss: payload.unigramLoss,
                      trainTokens: payload.trainTokens)
        let digest = payload.checkpoint
        let verdict = report.heldOutLoss < report.unigramLoss ? "below the unigram baseline: the model learned" : "NOT below the unigram baseline"
        return try StepOutput(payload: payload)
            .table(Table(title: "Base model", columns: ["layers", "d_model", "heads", "context", "vocab", "train tokens", "steps"],
                         rows: [["\(config.layers)", "\(config.dModel)", "\(config.heads)", "\(config.context)", "\(config.vocabSize)",
                                 "\(report.trainTokens)", "\(settings.steps)"]]))
            .table(Table(title: "Held-out loss (nats per token)", columns: ["before training", "after", "unigram baseline"],
                         rows: [[Table.number(report.heldOutLossBefore), Table.number(report.heldOutLoss), Table.number(report.unigramLoss)]],
                         note: "Held-out: the last 5% of the pretraining token stream, never trained on. After training the loss is \(verdict)."))
            .modelHash("base-microlm", digest)
    }

    /// Pretrains a base model with the sizes of profile section `section` and stores its checkpoint.
    static func pretrain(_ context: StepContext, section: String, pool: String = "pretraining") throws -> (BaseModelPayload, PretrainSettings) {
        BLAS.pinForReproducibility()
        let pools = try PoolsRef(context)
        let documents = try pools.pool(pool).documents.map(\.text)
        let tokenizerPayload = try context.input(TokenizerStep.self, as: TokenizerPayload.self)
        let tokenizer = try BytePairTokenizer(json: try context.store.artifact(tokenizerPayload.digest))
        let config = GPTConfig(vocabSize: tokenizer.vocabularySize, context: try context.profile.int("\(section).context", atLeast: 1),
                               layers: try context.profile.int("\(section).layers", atLeast: 1), dModel: try context.profile.int("\(section).d_model", atLeast: 1),
                               heads: try context.profile.int("\(section).heads", atLeast: 1))
        let settings = PretrainSettings(steps: try context.profile.int("pretrain.steps", atLeast: 1), batch: try context.profile.int("pretrain.batch", atLeast: 1),
                                        learningRate: try context.profile.double("pretrain.learning_rate"), seed: context.seed,
                                        shards: try context.profile.int("pretrain.shards", atLeast: 1))
        let progress = context.progress("pretraining \(section)", total: settings.steps)
        let (weights, report) = try Pretraining.run(documents: documents, tokenizer: tokenizer, config: config, settings: settings) { _, loss in
            progress.advance(note: String(format: "loss %.3f", loss))
        }
        progress.finish()
        let checkpoint = MicroLMCheckpoint(weights: weights, tokenizer: tokenizer, info: ["role": "base", "pool": pool, "sizes": section])
        let digest = try context.store.putArtifact(try checkpoint.serialized(), kind: "checkpoint", mediaType: "application/vnd.safetensors")
        let payload = BaseModelPayload(checkpoint: digest, config: config, heldOutLossBefore: report.heldOutLossBefore,
                                       heldOutLoss: report.heldOutLoss, unigramLoss: report.unigramLoss,
                                       trainTokens: report.trainTokens, curve: [report.firstTrainLoss, report.lastTrainLoss])
        return (payload, settings)
    }
}

struct BaseModelPayload: Codable {
    var checkpoint: String
    var config: GPTConfig
    var heldOutLossBefore, heldOutLoss, unigramLoss: Double
    var trainTokens: Int
    var curve: [Double]
}
