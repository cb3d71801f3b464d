import Core
import Corpus
import Foundation
import Indicators
import Neural
import Workbench

struct RewardModelPayload: Codable {
    var model: String
    var trainingDataDigest: String
    var trainingPairs: Int
    var heldOutPairs: Int
    var heldOutAccuracy: Double
    var trainingAccuracy: Double
}

/// Trains the workbench's reward model (Bradley–Terry head on all-MiniLM-L6-v2 embeddings) on the preference pool,
/// which the pool checks keep disjoint from the evaluation sets.
enum RewardModelStep: Step {
    static let name = "indicators.reward-model"
    static let version = 1
    static let summary = "Trains the reward model on the preference pool and reports its held-out pairwise accuracy."
    static let inputs = StepInputs.reads(PoolsStep.self)
    static let parameters = [ParameterSpec("pool", .string, default: "preference", "the pool of preference pairs")]
    static let profileKeys = ["indicators.embedding_max_tokens", "indicators.reward_pairs"]

    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] { SentenceEncoder.externalInputs(context) }

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let pool = try pools.pool(try context.parameters.string("pool"))
        // The prompt is the last user turn: hh-rlhf dialogues share long histories that a 128–256 word-piece window
        // would cut before the turn the two answers actually respond to.
        let all = pool.preferences.map { pair in
            RewardPair(prompt: pair.prompt.last?.text ?? "", chosen: pair.chosenText, rejected: pair.rejectedText)
        }
        let limit = try context.profile.int("indicators.reward_pairs")
        var random = context.random("reward-pairs")
        let pairs = all.count <= limit ? all : random.sample(limit, from: all.count).sorted().map { all[$0] }
        let encoder = try SentenceEncoder.load(context)
        var settings = RewardModelSettings()
        settings.seed = context.seed
        let progress = context.progress("reward model embeddings", total: 3 * pairs.count)
        let model = try RewardModel.train(pairs: pairs, encoder: encoder, settings: settings, progress: progress)
        let digest = try context.store.putArtifact(try CanonicalJSON.encode(model), kind: "reward-model")
        let payload = RewardModelPayload(model: digest, trainingDataDigest: model.trainingDataDigest, trainingPairs: model.trainingPairs,
                                         heldOutPairs: model.heldOutPairs, heldOutAccuracy: model.heldOutAccuracy, trainingAccuracy: model.trainingAccuracy)
        return try StepOutput(payload: payload)
            .table(Table(title: "Reward model (Bradley–Terry on MiniLM embeddings)",
                         columns: ["pairs (train / held out)", "training accuracy", "held-out pairwise accuracy", "training data SHA-256"],
                         rows: [["\(model.trainingPairs) / \(model.heldOutPairs)", Table.number(model.trainingAccuracy, digits: 3),
                                 Table.number(model.heldOutAccuracy, digits: 3), String(model.trainingDataDigest.prefix(16))]],
                         note: "The paper used OpenAssistant's Pythia-1.4B reward model; ours is far smaller. Held-out pairs are split by a seeded hash of the prompt, so no held-out prompt was trained on. Chance is 0.5."))
            .modelHash("reward-model", digest)
    }
}

/// The reward model of the `indicators.reward-model` cell a step uses, and its artifact's digest.
struct RewardRef {
    let model: RewardModel
    let digest: String

    init(_ context: StepContext) throws {
        let payload = try context.input(RewardModelStep.self, as: RewardModelPayload.self)
        digest = payload.model
        model = try JSONDecoder().decode(RewardModel.self, from: try context.store.artifact(payload.model))
    }
}
