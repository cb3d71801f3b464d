import Core
import Corpus
import Foundation
import Indicators
import Neural
import Workbench

/// Trains the workbench's reward model (Bradley–Terry head on all-MiniLM-L6-v2 embeddings) on the preference pool,
/// which the pool checks keep disjoint from the evaluation sets; when `indicators.lm` is a real GGUF model, also a
/// head on that model's hidden states (``LanguageModelRewardBackbone``) on at most `indicators.reward_lm_pairs` of
/// the same pairs (two forward passes each), reported beside the MiniLM head on the same held-out pairs.
///
/// Version 2: the language-model head (a GGUF `indicators.lm`); under MicroLM the output is version 1's.
/// Version 3: both heads' summaries are one type (``RewardHeadSummary``); the payload's bytes change, not its values.
enum RewardModelStep: ScoringStep {
    static let name = "indicators.reward-model"
    static let version = 3
    static let summary = "Trains the reward model(s) on the preference pool and reports held-out pairwise accuracy."
    static let inputs = StepInputs.reads(PoolsStep.self)
    static let parameters = [ParameterSpec("pool", .string, default: "preference", "the pool of preference pairs")]
    // The whole section: `indicators.lm` and `indicators.reward_lm_pairs` are read only when set (a GGUF model), and a
    // declared key must be set by every profile.
    static let profileKeys = ["indicators"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let pools = try PoolsRef(context)
        let pool = try pools.pool(try context.parameters.string("pool"))
        // The prompt is the last user turn: hh-rlhf dialogues share long histories that a 128–256 word-piece window
        // would cut before the turn the two answers actually respond to.
        let all = pool.preferences.map { pair in
            RewardPair(prompt: pair.prompt.last?.text ?? "", chosen: pair.chosenText, rejected: pair.rejectedText)
        }
        let pairs = sample(all, limit: try context.profile.int("indicators.reward_pairs"), context: context, stream: "reward-pairs")
        let miniLM = MiniLMRewardBackbone(encoder: try SentenceEncoder.load(context))
        var settings = RewardModelSettings()
        settings.seed = context.seed
        let progress = context.progress("reward model embeddings", total: 3 * pairs.count)
        let model = try RewardModel.train(pairs: pairs, backbone: miniLM, settings: settings, progress: progress)
        let digest = try context.store.putArtifact(try CanonicalJSON.encode(model), kind: "reward-model")
        var payload = RewardModelPayload(miniLM: RewardHeadSummary(model, digest: digest))
        if let backbone = try ScoringLMs.rewardBackbone(context.profile, models: context.modelsDirectory) {
            // A sample of the MiniLM head's pairs: the split hashes prompts, so its held-out pairs are held out there too.
            let lmPairs = sample(pairs, limit: try context.profile.int("indicators.reward_lm_pairs"), context: context, stream: "reward-lm-pairs")
            let lmProgress = context.progress("reward model \(backbone.model) states", total: 2 * lmPairs.count)
            let lmModel = try RewardModel.train(pairs: lmPairs, backbone: backbone, settings: settings, progress: lmProgress)
            let lmDigest = try context.store.putArtifact(try CanonicalJSON.encode(lmModel), kind: "reward-model")
            let heldOut = lmPairs.filter { RewardModel.isHeldOut($0, settings: settings) }
            payload.languageModel = RewardLMSummary(head: RewardHeadSummary(lmModel, digest: lmDigest), backbone: backbone.model,
                                                    miniLMHeldOutAccuracy: try model.accuracy(on: heldOut, backbone: miniLM))
        }
        let output = try StepOutput(payload: payload).table(table(payload)).modelHash("reward-model", digest)
        return payload.languageModel.map { output.modelHash("reward-model-lm", $0.head.model) } ?? output
    }

    /// At most `limit` of `pairs`, a seeded sample kept in the pairs' order.
    static func sample(_ pairs: [RewardPair], limit: Int, context: StepContext, stream: String) -> [RewardPair] {
        var random = context.random(stream)
        return pairs.count <= limit ? pairs : random.sample(limit, from: pairs.count).sorted().map { pairs[$0] }
    }

    static func table(_ payload: RewardModelPayload) -> Table {
        let note = "The paper used OpenAssistant's Pythia-1.4B reward model; ours are far smaller. Held-out pairs are split by a seeded hash of the prompt, so no held-out prompt was trained on. Chance is 0.5."
        func cells(_ head: RewardHeadSummary) -> [String] {
            ["\(head.trainingPairs) / \(head.heldOutPairs)", Table.number(head.trainingAccuracy, digits: 3), Table.number(head.heldOutAccuracy, digits: 3)]
        }
        let miniLMRow = ["all-MiniLM-L6-v2 embeddings (prompt, response)"] + cells(payload.miniLM)
        guard let lm = payload.languageModel else {
            return Table(title: "Reward model (Bradley–Terry on MiniLM embeddings)",
                         columns: ["pairs (train / held out)", "training accuracy", "held-out pairwise accuracy", "training data SHA-256"],
                         rows: [cells(payload.miniLM) + [String(payload.miniLM.trainingDataDigest.prefix(16))]], note: note)
        }
        return Table(title: "Reward models (Bradley–Terry heads on two frozen backbones)",
                     columns: ["backbone", "pairs (train / held out)", "training accuracy", "held-out pairwise accuracy",
                               "held-out accuracy on the \(lm.head.heldOutPairs) pairs both hold out"],
                     rows: [miniLMRow + [Table.number(lm.miniLMHeldOutAccuracy, digits: 3)],
                            ["\(lm.backbone) final-norm hidden state, last token of the chat exchange"] + cells(lm.head)
                                + [Table.number(lm.head.heldOutAccuracy, digits: 3)]],
                     note: note + " The language-model head trains on a seeded sample of the MiniLM head's pairs (indicators.reward_lm_pairs), so its held-out pairs are among the MiniLM head's; the last column compares both heads on exactly those pairs.")
    }
}

struct RewardModelPayload: Codable {
    /// The head on all-MiniLM-L6-v2 embeddings.
    var miniLM: RewardHeadSummary
    /// The head on the `indicators.lm` GGUF model's hidden states; nil when `indicators.lm` is not a GGUF model.
    var languageModel: RewardLMSummary?
}

/// One trained reward head: its artifact's digest, what it trained on, and how well it orders pairs.
struct RewardHeadSummary: Codable {
    var model: String
    var trainingDataDigest: String
    var trainingPairs, heldOutPairs: Int
    var heldOutAccuracy, trainingAccuracy: Double

    init(_ head: RewardModel, digest: String) {
        model = digest
        trainingDataDigest = head.trainingDataDigest
        trainingPairs = head.trainingPairs
        heldOutPairs = head.heldOutPairs
        heldOutAccuracy = head.heldOutAccuracy
        trainingAccuracy = head.trainingAccuracy
    }
}

/// The language-model reward head of a reward-model cell, and the MiniLM head measured on the same held-out pairs.
struct RewardLMSummary: Codable {
    var head: RewardHeadSummary
    var backbone: String
    /// The MiniLM head's accuracy on this head's held-out pairs (a subset of its own held-out pairs).
    var miniLMHeldOutAccuracy: Double
}

/// The reward models of the `indicators.reward-model` cell a step uses, and their artifacts' digests.
struct RewardRef {
    let model: RewardModel
    let digest: String
    /// The head on the `indicators.lm` GGUF model's hidden states, when the cell trained one.
    let languageModel: (model: RewardModel, digest: String)?

    init(_ context: StepContext) throws {
        let payload = try context.input(RewardModelStep.self, as: RewardModelPayload.self)
        digest = payload.miniLM.model
        model = try JSONDecoder().decode(RewardModel.self, from: try context.store.artifact(digest))
        languageModel = try payload.languageModel.map { lm in
            (try JSONDecoder().decode(RewardModel.self, from: try context.store.artifact(lm.head.model)), lm.head.model)
        }
    }
}
