import Core

/// What a reward head reads: a frozen model that turns a (prompt, response) into one feature vector. The
/// Bradley–Terry training, the prompt-hashed split and the accuracies (``RewardModel/train(pairs:backbone:settings:progress:)``)
/// are the same for every backbone; only the features differ.
///
/// Two backbones ship: ``MiniLMRewardBackbone`` (sentence embeddings of prompt and response) and
/// ``LanguageModelRewardBackbone`` (a real language model's hidden state at the end of the exchange).
public protocol RewardBackbone: Sendable {
    /// The backbone by name (stored with the model as `encoderModel`).
    var name: String { get }
    /// Names the exact weights and how they are read (stored with the model as `encoderDigest`).
    func digest() throws -> String
    /// The feature rows of each pair's (prompt, chosen) and (prompt, rejected), in order. `progress` advances by
    /// one per text or sequence read (the caller finishes it).
    func pairFeatures(_ pairs: [RewardPair], progress: Core.Progress?) throws -> [(chosen: [Double], rejected: [Double])]
    /// The feature row of each (prompt, response), in order.
    func features(prompts: [String], responses: [String]) throws -> [[Double]]
    /// Whether the head reads the features standardised (each dimension shifted and scaled by its mean and standard
    /// deviation over the training rows, kept in the head): for features whose dimensions differ widely in scale, as a
    /// language model's hidden state's do. False by default (MiniLM's rows are unit vectors).
    var standardizesFeatures: Bool { get }
}

extension RewardBackbone {
    public var standardizesFeatures: Bool { false }
}
