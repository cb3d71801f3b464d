import Core
import Foundation

/// The file layouts a subset can be exported as.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    /// A JSON array of `{instruction, input, output, system?, history?}`: LLaMA-Factory's alpaca format (and
    /// axolotl's `alpaca` type). `history` is `[[user, assistant], ...]`.
    case alpaca
    /// The same records one per line, plus `id` and `source`: axolotl and TRL read JSONL directly.
    case jsonl
    /// A JSON array of `{conversations: [{from, value}], system?}` with `from` in human/gpt: LLaMA-Factory's and
    /// FastChat's ShareGPT format. The input, if any, follows the instruction after a blank line.
    case sharegpt
}

/// Writes examples for external trainers. The output is deterministic: same examples, same bytes (sorted keys).
///
/// ```swift
/// try Export.write(pools["selection"]!.examples.prefix(1000), as: .sharegpt, to: URL(fileURLWithPath: "top1k.json"))
/// ```
public enum Export {
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var exampleID: String
        public var message: String
        public var description: String { "example \(exampleID): \(message)" }
    }

    struct AlpacaRecord: Encodable {
        var id: String?
        var source: String?
        var instruction: String
        var input: String
        var output: String
        var system: String?
        var history: [[String]]?
    }

    struct ShareGPTRecord: Encodable {
        struct Message: Encodable { var from: String; var value: String }
        var conversations: [Message]
        var system: String?
    }

    public static func data<S: Sequence>(_ examples: S, as format: ExportFormat) throws -> Data where S.Element == Example {
        switch format {
        case .alpaca:
            return try pretty(examples.map { try alpacaRecord($0, withIdentity: false) })
        case .jsonl:
            var out = Data()
            for example in examples {
                out += try CanonicalJSON.encode(try alpacaRecord(example, withIdentity: true))
                out.append(0x0A)
            }
            return out
        case .sharegpt:
            return try pretty(examples.map(shareGPTRecord))
        }
    }

    public static func write<S: Sequence>(_ examples: S, as format: ExportFormat, to url: URL) throws where S.Element == Example {
        try data(examples, as: format).write(to: url, options: .atomic)
    }

    private static func pretty<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Splits history into an optional system prompt and (user, assistant) pairs; other shapes cannot be exported
    /// as alpaca history.
    static func systemAndPairs(_ example: Example) throws -> (String?, [[String]]) {
        var turns = example.turns[...]
        var system: String?
        if turns.first?.role == "system" { system = turns.removeFirst().text }
        var pairs: [[String]] = []
        while let user = turns.first {
            turns.removeFirst()
            guard user.role == "user", let reply = turns.first, reply.role == "assistant" else {
                throw Failure(exampleID: example.id, message: "its history is not (user, assistant) pairs after an optional system prompt")
            }
            turns.removeFirst()
            pairs.append([user.text, reply.text])
        }
        return (system, pairs)
    }

    static func alpacaRecord(_ example: Example, withIdentity: Bool) throws -> AlpacaRecord {
        let (system, pairs) = try systemAndPairs(example)
        return AlpacaRecord(id: withIdentity ? example.id : nil, source: withIdentity ? example.source : nil,
                            instruction: example.instruction, input: example.input, output: example.response,
                            system: system, history: pairs.isEmpty ? nil : pairs)
    }

    static func shareGPTRecord(_ example: Example) throws -> ShareGPTRecord {
        let (system, pairs) = try systemAndPairs(example)
        var messages: [ShareGPTRecord.Message] = []
        for pair in pairs { messages += [.init(from: "human", value: pair[0]), .init(from: "gpt", value: pair[1])] }
        messages += [.init(from: "human", value: example.promptText), .init(from: "gpt", value: example.response)]
        return ShareGPTRecord(conversations: messages, system: system)
    }
}
