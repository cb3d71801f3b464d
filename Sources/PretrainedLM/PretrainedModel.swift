import Foundation
import GGUF

/// Everything the workbench needs from one GGUF model file: the decoder's weights, its tokenizer and its
/// instruction template, read once.
public struct PretrainedModel: Sendable {
    public let weights: DecoderWeights
    public let tokenizer: any PretrainedTokenizer
    public let template: InstructionTemplate

    public init(gguf url: URL) throws {
        let file = try GGUFFile(contentsOf: url)
        weights = try DecoderWeights(gguf: file)
        tokenizer = try PretrainedTokenizers.load(from: file)
        template = try InstructionTemplate.of(file)
    }

    /// The prompt as the template writes it (with BOS when the model's metadata asks for one) and the response with
    /// its end-of-turn marker, as token ids; the turn markers become their control tokens.
    public func encode(instruction: String, response: String) -> (prompt: [Int32], response: [Int32]) {
        let (prompt, answer) = template.format(instruction: instruction, response: response)
        return (tokenizer.encode(prompt, addSpecial: true, parseSpecial: true),
                tokenizer.encode(answer, addSpecial: false, parseSpecial: true))
    }
}
