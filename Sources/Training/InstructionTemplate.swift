import Corpus
import Neural

/// How an Example becomes a token sequence for MicroLM: Alpaca's section headers without its preamble sentence.
///
///     <|endoftext|>### Instruction:
///     {instruction}
///
///     ### Input:            ← only when the input is non-empty
///     {input}
///
///     ### Response:
///     {response}<|endoftext|>
///
/// The leading end-of-text serves as beginning-of-sequence. Earlier turns of a multi-turn example come first, each
/// user turn as an instruction section and each assistant turn as a response section. Alpaca's one-sentence
/// preamble is left out: it is the same ~30 tokens on every example, a large share of a 192-token context.
/// The loss (and every response score) covers the response tokens and the closing end-of-text.
public enum InstructionTemplate {
    public static func prompt(for example: Example) -> String {
        var text = ""
        for turn in example.turns {
            let role = turn.role.lowercased()
            let header = (role == "assistant" || role == "gpt" || role == "model") ? "### Response:\n" : "### Instruction:\n"
            text += header + turn.text + "\n\n"
        }
        text += "### Instruction:\n" + example.instruction + "\n\n"
        if !example.input.isEmpty { text += "### Input:\n" + example.input + "\n\n" }
        return text + "### Response:\n"
    }
}

/// An example's prompt and response as tokens, ready to be packed into training or scoring batches.
public struct EncodedExample: Sendable, Hashable {
    public var prompt: [Int32]
    public var response: [Int32]

    /// Encodes with `InstructionTemplate` and fits `context`: when too long, the prompt keeps its last tokens (the
    /// response header stays) but at least half the window unless the response is shorter, then the response is cut
    /// at the end (losing its closing end-of-text).
    public init(_ example: Example, tokenizer: BytePairTokenizer, context: Int) {
        self.init(prompt: tokenizer.encode(InstructionTemplate.prompt(for: example)),
                  response: tokenizer.encode(example.response) + [tokenizer.endOfText], context: context)
    }

    public init(prompt: [Int32], response: [Int32], context: Int) {
        // Sequence = [bos] + prompt + response; its inputs drop the last token, so it may hold context + 1 tokens.
        let room = context  // prompt + response tokens that fit after bos
        var prompt = prompt, response = response
        if prompt.count + response.count > room {
            let promptRoom = max(room / 2, room - response.count)
            if prompt.count > promptRoom { prompt = Array(prompt.suffix(promptRoom)) }
            if prompt.count + response.count > room { response = Array(response.prefix(room - prompt.count)) }
        }
        self.prompt = prompt
        self.response = response
    }

    /// Inputs and next-token targets, with the prompt's targets masked (-1): the conditional sequence.
    public func conditional(bos: Int32) -> (tokens: [Int32], targets: [Int32]) {
        let full = [bos] + prompt + response
        var targets = Array(full.dropFirst())
        for j in 0..<prompt.count { targets[j] = -1 }
        return (Array(full.dropLast()), targets)
    }

    /// The response alone after beginning-of-sequence, every target counted: the unconditional sequence.
    public func unconditional(bos: Int32) -> (tokens: [Int32], targets: [Int32]) {
        let full = [bos] + response
        return (Array(full.dropLast()), Array(full.dropFirst()))
    }
}
