/// What a loader does with text that is valid JSON but doubtful as training data. Every choice is counted in the
/// file's ``LoadReport``; nothing is dropped or changed silently.
///
/// | case | default | alternative |
/// |---|---|---|
/// | invalid UTF-8 (or a lone `\uD800` escape) in a string | replace the bad bytes with U+FFFD and count the string | `.reject`: the whole file fails, naming line, JSON path and field |
/// | empty response (whitespace only) | drop the example and count it | `.keep` |
/// | response longer than `maxResponseChars` Unicode scalars (profile key `data.max_response_chars`) | drop and count | `nil`: no limit |
///
/// Leading and trailing whitespace of instruction, input and response is trimmed before hashing: it is layout, not
/// content, and trimming makes the same example from two files one example. Prompt-only sets (Koala, WizardLM,
/// MT-Bench questions) have no response by design; the empty-response rule does not apply to them.
public struct LoadPolicy: Sendable, Equatable, Codable {
    public enum InvalidUTF8: String, Sendable, Codable { case replace, reject }
    public enum EmptyResponse: String, Sendable, Codable { case drop, keep }

    public var invalidUTF8: InvalidUTF8
    public var emptyResponse: EmptyResponse
    public var maxResponseChars: Int?

    public init(invalidUTF8: InvalidUTF8 = .replace, emptyResponse: EmptyResponse = .drop, maxResponseChars: Int? = nil) {
        (self.invalidUTF8, self.emptyResponse, self.maxResponseChars) = (invalidUTF8, emptyResponse, maxResponseChars)
    }

    public static let standard = LoadPolicy()
}

/// What loading one file found: how many records it has (the number MANIFEST.tsv states) and what the policy did.
public struct LoadReport: Codable, Equatable, Sendable {
    /// Records read: JSON records, JSONL lines, text lines, or, for vocabularies and plain text, the unit in `unit`.
    public var records = 0
    /// What `records` counts: "records", "words" or "tokens" (as MANIFEST.tsv's count column says).
    public var unit = "records"
    /// Items produced (examples, pairs, documents) after the policy.
    public var kept = 0
    public var emptyResponsesDropped = 0
    public var overLongDropped = 0
    public var invalidUTF8Repaired = 0
    /// Items whose content hash already occurred earlier in the same file.
    public var duplicatesWithinFile = 0

    public init() {}
}
