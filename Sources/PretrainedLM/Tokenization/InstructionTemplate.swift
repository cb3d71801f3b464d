import Core
import GGUF

/// How a model expects an (instruction, response) pair to be written: the prompt text the model reads and the
/// response text it is trained to produce, each meant to be encoded with `parseSpecial: true` so the turn markers
/// become their control tokens. `prompt + response` is the whole conversation as the model's chat template
/// renders it.
public enum InstructionTemplate: Sendable, Equatable {
    /// ChatML (`<|im_start|>role\n…<|im_end|>\n`), with the system message the template inserts when the
    /// conversation has none (SmolLM2's "You are a helpful AI assistant named SmolLM, …").
    case chatML(defaultSystem: String?)
    /// Gemma's turns: `<start_of_turn>user\n…<end_of_turn>\n<start_of_turn>model\n…<end_of_turn>\n`, after BOS
    /// (which the tokenizer adds).
    case gemmaTurns

    /// The template of a model file: ChatML when `tokenizer.chat_template` uses it (its default system message
    /// read from the template), Gemma's turns for the `gemma3` architecture.
    public static func of(_ file: GGUFFile) throws -> InstructionTemplate {
        if let template = file.metadata["tokenizer.chat_template"]?.stringValue, template.contains("<|im_start|>") {
            return .chatML(defaultSystem: defaultSystemMessage(inChatML: template))
        }
        let architecture = try file.string("general.architecture")
        if architecture.hasPrefix("gemma") { return .gemmaTurns }
        throw InputError(file: file.name, path: "metadata key 'tokenizer.chat_template'",
                         "no known instruction template for architecture '\(architecture)' (ChatML templates and Gemma are known)")
    }

    /// The system text a ChatML Jinja template writes literally after `<|im_start|>system\n`, if any.
    static func defaultSystemMessage(inChatML template: String) -> String? {
        let opening = "<|im_start|>system\n"
        guard let start = template.range(of: opening), let end = template.range(of: "<|im_end|>", range: start.upperBound..<template.endIndex)
        else { return nil }
        let message = String(template[start.upperBound..<end.lowerBound])
        // A template that writes the system message from a variable has Jinja syntax here, not a literal.
        return message.contains("{{") || message.contains("'") || message.contains("+") ? nil : message
    }

    /// What comes before and after a user message up to where the assistant's answer starts: `before + message +
    /// after` is ``format(instruction:response:)``'s prompt for that message.
    public var userTurn: (before: String, after: String) {
        switch self {
        case .chatML(let system):
            return ((system.map { "<|im_start|>system\n\($0)<|im_end|>\n" } ?? "") + "<|im_start|>user\n", "<|im_end|>\n<|im_start|>assistant\n")
        case .gemmaTurns:
            return ("<start_of_turn>user\n", "<end_of_turn>\n<start_of_turn>model\n")
        }
    }

    /// The prompt (everything up to where the response starts) and the response (with its end-of-turn marker).
    public func format(instruction: String, response: String) -> (prompt: String, response: String) {
        switch self {
        case .chatML:
            return (userTurn.before + instruction + userTurn.after, "\(response)<|im_end|>\n")
        case .gemmaTurns:
            return (userTurn.before + instruction + userTurn.after, "\(response)<end_of_turn>\n")
        }
    }
}
