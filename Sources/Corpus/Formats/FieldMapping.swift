import Core

/// Which JSON fields of a user's file hold the instruction, input and response, for ``DataFormat/mapped``.
///
/// ```swift
/// let mapping = try FieldMapping(parsing: "instruction=question,input=context,response=answer")
/// ```
public struct FieldMapping: Sendable, Equatable, Codable {
    public var instruction: String
    public var input: String?
    public var response: String
    /// Optional field holding earlier turns as `[[user, assistant], ...]`.
    public var history: String?

    public init(instruction: String, input: String? = nil, response: String, history: String? = nil) {
        (self.instruction, self.input, self.response, self.history) = (instruction, input, response, history)
    }

    /// Parses `role=field` pairs separated by commas; roles are instruction, input, response, history.
    public init(parsing text: String) throws {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",") {
            let pieces = part.split(separator: "=", maxSplits: 1).map { String($0).trimmed }
            guard pieces.count == 2, ["instruction", "input", "response", "history"].contains(pieces[0]), !pieces[1].isEmpty else {
                throw InputError(file: "--map", field: String(part), "expected role=field with role one of instruction, input, response, history")
            }
            fields[pieces[0]] = pieces[1]
        }
        guard let instruction = fields["instruction"], let response = fields["response"] else {
            throw InputError(file: "--map", "a mapping needs at least instruction=FIELD and response=FIELD")
        }
        self.init(instruction: instruction, input: fields["input"], response: response, history: fields["history"])
    }
}
