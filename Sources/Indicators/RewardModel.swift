import Core
import Corpus
import Foundation

/// One human preference as the reward model reads it: for the `prompt` text, the `chosen` response text was
/// preferred to the `rejected` one. (Corpus' ``PreferencePair`` keeps the whole conversation; a step reduces it to
/// these three texts.)
public struct RewardPair: Codable, Hashable, Sendable {
    public var prompt: String
    public var chosen: String
    public var rejected: String

    public init(prompt: String, chosen: String, rejected: String) {
        (self.prompt, self.chosen, self.rejected) = (prompt, chosen, rejected)
    }
}

/// How a reward model is trained; part of its identity (stored with it).
public struct RewardModelSettings: Codable, Hashable, Sendable {
    /// Hidden ReLU units of the head; 0 makes the head linear.
    public var hidden = 64
    public var epochs = 40
    public var batchSize = 64
    public var learningRate = 1e-3
    /// L2 penalty on the weights (not the biases), added to the mean pair loss.
    public var weightDecay = 1e-4
    public var seed: UInt64 = 1
    /// Share of prompts held out for the accuracy estimate; the split hashes the prompt with the seed, so every
    /// pair of one prompt lands on the same side and the split does not depend on the data's order.
    public var heldOutFraction = 0.2

    public init() {}
}

/// A reward model trained in the workbench: a small head on a frozen backbone's features of the prompt and the
/// response (``RewardBackbone``: all-MiniLM-L6-v2 embeddings, or a real language model's hidden state), fitted with
/// the Bradley–Terry objective P(chosen ≻ rejected) = σ(r(prompt, chosen) − r(prompt, rejected)).
///
/// ```swift
/// let backbone = MiniLMRewardBackbone(encoder: encoder)
/// let model = try RewardModel.train(pairs: pairs, backbone: backbone, settings: RewardModelSettings())
/// print(model.heldOutAccuracy)                      // pairwise accuracy on prompts never trained on
/// let rewards = try model.scores(prompts: ["…"], responses: ["…"], backbone: backbone)
/// try CanonicalJSON.encode(model)                   // weights + settings + training-data hash
/// ```
public struct RewardModel: Codable, Equatable, Sendable {
    public var settings: RewardModelSettings
    /// The backbone's ``RewardBackbone/name`` and ``RewardBackbone/digest()`` (the names date from when MiniLM's
    /// encoder was the only backbone; kept so stored MiniLM models stay byte for byte the same).
    public var encoderModel: String
    public var encoderDigest: String
    /// SHA-256 over the training pairs (prompt, chosen, rejected, in the given order): what the model was fitted to.
    public var trainingDataDigest: String
    public var trainingPairs: Int
    public var heldOutPairs: Int
    /// Share of held-out pairs where the chosen response scores higher (ties count half).
    public var heldOutAccuracy: Double
    public var trainingAccuracy: Double
    public var head: RewardHead

    /// The reward of each (prompt, response), read through `backbone` (the one the model was trained on).
    public func scores(prompts: [String], responses: [String], backbone: some RewardBackbone) throws -> [Double] {
        precondition(prompts.count == responses.count, "one prompt per response")
        try checkBackbone(backbone)
        return try backbone.features(prompts: prompts, responses: responses).map(head.reward)
    }

    /// The scores of examples' responses to their prompts (``IndicatorVariant/TextField/instructionInput``: the
    /// instruction, then a newline and the input when there is one), as the reward indicators read an example.
    public func scores(of examples: [Example], backbone: some RewardBackbone) throws -> [Double] {
        let prompts = examples.map {
            IndicatorVariant.text(instruction: $0.instruction, input: $0.input, response: $0.response, field: .instructionInput)
        }
        return try scores(prompts: prompts, responses: examples.map(\.response), backbone: backbone)
    }

    /// Share of `pairs` where the chosen response scores higher (ties count half), read through `backbone`.
    public func accuracy(on pairs: [RewardPair], backbone: some RewardBackbone) throws -> Double {
        guard !pairs.isEmpty else { throw RewardModelError(description: "no preference pairs to measure accuracy on") }
        try checkBackbone(backbone)
        return head.accuracy(try backbone.pairFeatures(pairs, progress: nil))
    }

    private func checkBackbone(_ backbone: some RewardBackbone) throws {
        let digest = try backbone.digest()
        guard digest == encoderDigest else {
            throw RewardModelError(description: "the reward model was trained on backbone \(encoderModel) (\(encoderDigest.prefix(24))…) but is read through \(backbone.name) (\(digest.prefix(24))…)")
        }
    }

    /// SHA-256 of the pairs as the model's provenance records them.
    public static func digest(of pairs: [RewardPair]) -> String {
        var hasher = SHA256()
        for pair in pairs {
            for text in [pair.prompt, pair.chosen, pair.rejected] {
                hasher.update("\(text.utf8.count):")
                hasher.update(text)
            }
        }
        return hasher.hexDigest()
    }

    /// Whether a pair is held out: a seeded hash of its prompt, compared with the held-out fraction.
    public static func isHeldOut(_ pair: RewardPair, settings: RewardModelSettings) -> Bool {
        let digest = SHA256.hex("reward-split/\(settings.seed)/" + pair.prompt)
        return Double(UInt64(digest.prefix(13), radix: 16)!) / Double(1 << 52) < settings.heldOutFraction
    }

    /// Reads the pairs through `backbone`, splits them, trains the head on the training side and measures both sides.
    public static func train(pairs: [RewardPair], backbone: some RewardBackbone, settings: RewardModelSettings,
                             progress: Core.Progress? = nil) throws -> RewardModel {
        guard !pairs.isEmpty else { throw RewardModelError(description: "no preference pairs to train on") }
        let features = try backbone.pairFeatures(pairs, progress: progress)
        progress?.finish()
        let heldOut = pairs.map { isHeldOut($0, settings: settings) }
        var train = features.indices.filter { !heldOut[$0] }.map { features[$0] }
        var test = features.indices.filter { heldOut[$0] }.map { features[$0] }
        guard !train.isEmpty, !test.isEmpty else {
            throw RewardModelError(description: "the split left \(train.count) training and \(test.count) held-out pairs")
        }
        var standardization: RewardHead.Standardization?
        if backbone.standardizesFeatures {
            let s = RewardHead.Standardization(train.flatMap { [$0.chosen, $0.rejected] })
            standardization = s
            train = train.map { (s.apply($0.chosen), s.apply($0.rejected)) }
            test = test.map { (s.apply($0.chosen), s.apply($0.rejected)) }
        }
        var head = RewardHead.fit(train, settings: settings)
        let (heldOutAccuracy, trainingAccuracy) = (head.accuracy(test), head.accuracy(train))
        head.standardization = standardization  // after measuring: from here on the head reads raw features
        return RewardModel(settings: settings, encoderModel: backbone.name, encoderDigest: try backbone.digest(),
                           trainingDataDigest: digest(of: pairs), trainingPairs: train.count, heldOutPairs: test.count,
                           heldOutAccuracy: heldOutAccuracy, trainingAccuracy: trainingAccuracy, head: head)
    }
}

public struct RewardModelError: Error, CustomStringConvertible {
    public var description: String
}
