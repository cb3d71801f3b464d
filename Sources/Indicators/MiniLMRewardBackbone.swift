import Core
import Neural

/// The reward backbone of all-MiniLM-L6-v2: prompt and response are embedded separately and the head reads
/// [p, r, p ⊙ r] (``RewardHead/features(prompt:response:)``), so that it can score how a response fits its prompt.
/// Separately because in dialogue data (hh-rlhf) chosen and rejected share a long history and differ only in the
/// last turn, which a single 256-token window would often cut off.
public struct MiniLMRewardBackbone: RewardBackbone {
    public let encoder: MiniLMEncoder
    public init(encoder: MiniLMEncoder) { self.encoder = encoder }

    public var name: String { MiniLMEncoder.modelName }
    public func digest() throws -> String { try encoder.weightsDigest }

    public func pairFeatures(_ pairs: [RewardPair], progress: Core.Progress?) throws -> [(chosen: [Double], rejected: [Double])] {
        // Each text once: the prompt's embedding serves both of its responses.
        let prompts = encoder.embed(pairs.map(\.prompt), progress: progress)
        let chosen = encoder.embed(pairs.map(\.chosen), progress: progress)
        let rejected = encoder.embed(pairs.map(\.rejected), progress: progress)
        return pairs.indices.map { i in
            (RewardHead.features(prompt: prompts[i], response: chosen[i]), RewardHead.features(prompt: prompts[i], response: rejected[i]))
        }
    }

    public func features(prompts: [String], responses: [String]) throws -> [[Double]] {
        let p = encoder.embed(prompts), r = encoder.embed(responses)
        return prompts.indices.map { RewardHead.features(prompt: p[$0], response: r[$0]) }
    }
}
