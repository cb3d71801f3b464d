/// The text of an example that an embedding is made from, and the name recorded for that choice.
public enum EmbeddingText {
    /// Instruction, input and response joined by newlines, empty parts skipped (the paper embeds the whole example).
    public static let instructionInputResponse = "instruction+input+response"

    public static func instructionInputResponse(instruction: String, input: String, response: String) -> String {
        [instruction, input, response].filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
