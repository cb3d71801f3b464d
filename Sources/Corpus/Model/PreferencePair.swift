import Core

/// One preference judgement: a conversation so far (`prompt`, ending with the user's turn) and two continuations,
/// the preferred `chosen` and the dispreferred `rejected` (usually one assistant turn each; hh-rlhf transcripts that
/// diverge earlier keep every turn after the shared prefix). The reward model trains on these.
public struct PreferencePair: Codable, Hashable, Sendable {
    /// SHA-256 of the prompt, chosen and rejected turns: the same judgement from two files is one pair.
    public var id: String
    public var prompt: [Example.Turn]
    public var chosen: [Example.Turn]
    public var rejected: [Example.Turn]
    public var source: String
    public var licence: String

    public init(prompt: [Example.Turn], chosen: [Example.Turn], rejected: [Example.Turn], source: String, licence: String) {
        (self.prompt, self.chosen, self.rejected) = (prompt, chosen, rejected)
        (self.source, self.licence) = (source, licence)
        var hasher = SHA256()
        for (label, turns) in [("prompt", prompt), ("chosen", chosen), ("rejected", rejected)] {
            hasher.update(label + "\u{1D}")
            for turn in turns { hasher.update(turn.role + "\u{1F}" + turn.text + "\u{1E}") }
        }
        id = hasher.hexDigest()
    }

    /// The final chosen and rejected texts, the form most reward-model trainers want.
    public var chosenText: String { chosen.last?.text ?? "" }
    public var rejectedText: String { rejected.last?.text ?? "" }
}
