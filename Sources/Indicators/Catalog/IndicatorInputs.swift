import Core
import Corpus
import Neural
import PretrainedLM
import Training

/// What indicators read: the examples, and whatever of the ``IndicatorNeed``s the caller prepared.
///
/// The caller (the indicators cell, the audit, `imine score`) prepares each need its catalog has once; an indicator
/// that asks for one that was not prepared gets an error naming both.
public struct IndicatorInputs: Sendable {
    public let examples: [Example]
    public var tokens: Tokens?
    public var embeddings: Embeddings?
    public var languageModel: LanguageModelScores?
    public var reward: Reward?
    public var rewardLM: RewardLM?
    public var judge: Judge?

    public init(examples: [Example]) { self.examples = examples }

    /// Counts tokens as the finetuned model's tokenizer does.
    public struct Tokens: Sendable {
        /// Names the tokenizer and its vocabulary's hash in variants (`bpe:<sha256>`).
        public var id: String
        public var count: @Sendable (String) -> Int
        public init(id: String, count: @escaping @Sendable (String) -> Int) { self.id = id; self.count = count }
    }

    /// Sentence embeddings of every example's ``EmbeddingText/instructionInputResponse``, in example order.
    public struct Embeddings: Sendable {
        public var matrix: EmbeddingMatrix
        /// SHA-256 of the encoder's weights and the word pieces it reads at most.
        public var encoderDigest: String
        public var maxTokens: Int
        /// The first `referenceCount` examples are the pool KNN-i searches; every other example is a query
        /// against it. All of them: each example's neighbours are the others (the paper's setting).
        public var referenceCount: Int
        /// Names the reference pool in variants (`rule-fit sample <sha256 of its ids>`), and in words (`rule-fit`).
        public var referencePool: String
        public var referenceLabel: String
        public init(matrix: EmbeddingMatrix, encoderDigest: String, maxTokens: Int, referenceCount: Int, referencePool: String,
                    referenceLabel: String) {
            self.matrix = matrix; self.encoderDigest = encoderDigest; self.maxTokens = maxTokens
            self.referenceCount = referenceCount; self.referencePool = referencePool; self.referenceLabel = referenceLabel
        }
    }

    /// Every example's response losses under one language model (``ResponseScorer`` or ``PretrainedResponseScorer``).
    public struct LanguageModelScores: Sendable {
        public var scores: [ResponseScore]
        /// The model's digest, its tokenizer's id and the template the prompt is written in, for the variants.
        public var modelHash: String
        public var tokenizer: String
        public var template: String
        /// The model in words, for descriptions (`base model`).
        public var modelLabel: String
        public init(scores: [ResponseScore], modelHash: String, tokenizer: String, template: String, modelLabel: String) {
            self.scores = scores; self.modelHash = modelHash; self.tokenizer = tokenizer; self.template = template
            self.modelLabel = modelLabel
        }
    }

    /// A trained reward model, its artifact's digest, and the encoder it reads through.
    public struct Reward: Sendable {
        public var model: RewardModel
        public var digest: String
        public var encoder: MiniLMEncoder
        public init(model: RewardModel, digest: String, encoder: MiniLMEncoder) { self.model = model; self.digest = digest; self.encoder = encoder }
    }

    /// A reward model trained on a real language model's hidden states, its artifact's digest, and that model.
    public struct RewardLM: Sendable {
        public var model: RewardModel
        public var digest: String
        public var backbone: LanguageModelRewardBackbone
        public init(model: RewardModel, digest: String, backbone: LanguageModelRewardBackbone) {
            self.model = model; self.digest = digest; self.backbone = backbone
        }
    }

    /// An instruction-tuned model asked Boolean questions (``BooleanJudge``): P(Yes) / (P(Yes) + P(No)) per question.
    public struct Judge: Sendable {
        /// The judge by name (`smollm2-135m-instruct`), and its file digest with the prompt length for the variants.
        public var model: String
        public var modelHash: String
        public var yesShare: @Sendable ([BooleanQuestion]) throws -> [Double]
        public init(model: String, modelHash: String, yesShare: @escaping @Sendable ([BooleanQuestion]) throws -> [Double]) {
            self.model = model; self.modelHash = modelHash; self.yesShare = yesShare
        }
    }

    /// The prepared `need`, or an error naming the indicator that asked for it.
    public func required<T>(_ value: T?, _ need: IndicatorNeed, by indicator: String) throws -> T {
        guard let value else { throw IndicatorInputsError(indicator: indicator, need: need) }
        return value
    }
}

/// An indicator asked for an input its caller did not prepare (its `needs` and the caller disagree).
public struct IndicatorInputsError: Error, CustomStringConvertible, Equatable {
    public var indicator: String
    public var need: IndicatorNeed
    public var description: String { "indicator \(indicator) needs \(need.rawValue), which was not prepared for it" }
}
