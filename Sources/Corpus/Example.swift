import Core

/// One normalised instruction-tuning example. Its `id` is the SHA-256 of its content (instruction, input,
/// response and turns), so the same text from two sources is one example and duplicates can be detected.
public struct Example: Codable, Hashable, Sendable {
    public var id: String
    public var instruction: String
    public var input: String
    public var response: String
    /// Earlier conversation turns, oldest first, for multi-turn sources (LIMA, ShareGPT, MT-Bench).
    public var turns: [Turn]
    public var source: String
    public var licence: String
    public var split: String

    public struct Turn: Codable, Hashable, Sendable {
        public var role: String
        public var text: String
        public init(role: String, text: String) { self.role = role; self.text = text }
    }

    public init(instruction: String, input: String = "", response: String, turns: [Turn] = [],
                source: String, licence: String, split: String = "train") {
        (self.instruction, self.input, self.response, self.turns) = (instruction, input, response, turns)
        (self.source, self.licence, self.split) = (source, licence, split)
        self.id = Example.contentID(instruction: instruction, input: input, response: response, turns: turns)
    }

    /// The instruction followed, when there is one, by the input after a blank line: the user's message as a
    /// chat template or a single-prompt trainer sees it.
    public var promptText: String { input.isEmpty ? instruction : instruction + "\n\n" + input }

    /// The content hash: fields joined with unit separators so that field boundaries count.
    public static func contentID(instruction: String, input: String, response: String, turns: [Turn]) -> String {
        var hasher = SHA256()
        for turn in turns { hasher.update(turn.role + "\u{1F}" + turn.text + "\u{1E}") }
        hasher.update(instruction + "\u{1F}" + input + "\u{1F}" + response)
        return hasher.hexDigest()
    }
}
