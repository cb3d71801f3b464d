import Core

/// Chat transcripts: ShareGPT (`conversations: [{from, value}]`) and OpenAI-style (`messages: [{role, content}]`).
enum ConversationFormats {
    /// Role names as the formats spell them, mapped onto the three the workbench uses.
    static let roles: [String: String] = [
        "human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant", "bot": "assistant",
        "chatgpt": "assistant", "system": "system",
    ]

    /// Reads the messages under `conversations` or `messages`, whichever the record has.
    static func messages(of record: JSONRecord) throws -> [Example.Turn] {
        if let list = try record.field("conversations") { return try turns(list.array(), roleKey: "from", textKey: "value") }
        if let list = try record.field("messages") { return try turns(list.array(), roleKey: "role", textKey: "content") }
        throw InstructionFormats.missing(record, "conversations")
    }

    static func turns(_ items: [JSONRecord], roleKey: String, textKey: String) throws -> [Example.Turn] {
        try items.map { try turn($0, roleKey: roleKey, textKey: textKey) }
    }

    static func turn(_ item: JSONRecord, roleKey: String, textKey: String) throws -> Example.Turn {
        let roleField = try item.required(roleKey)
        let name = try roleField.string()
        guard let role = roles[name.lowercased()] else { throw roleField.error("unknown role '\(name)' (expected one of \(roles.keys.sorted().joined(separator: ", ")))") }
        return Example.Turn(role: role, text: try item.string(textKey).trimmed)
    }

    /// A conversation as an example: the last message is the response and must be the assistant's, the one before
    /// it is the instruction and must be the user's, everything earlier is history.
    static func example(_ turns: [Example.Turn], record: JSONRecord, listKey: String, _ reading: Loader.Reading) throws -> Example {
        let list = try record.field(listKey) ?? record
        guard turns.count >= 2 else { throw list.error("a conversation needs a user message and an assistant reply, found \(turns.count) message(s)") }
        guard turns[turns.count - 1].role == "assistant" else { throw list.error("the last message must be the assistant's reply") }
        guard turns[turns.count - 2].role == "user" else { throw list.error("the message before the reply must be the user's") }
        let instruction = turns[turns.count - 2].text
        guard !instruction.isEmpty else { throw list.error("the final user message is empty") }
        return Example(instruction: instruction, response: turns[turns.count - 1].text, turns: Array(turns.dropLast(2)),
                       source: reading.name, licence: reading.licence, split: reading.split)
    }

    static func sharegpt(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .auto) { record, collector in
            let key = try record.field("conversations") != nil ? "conversations" : "messages"
            var turns = try messages(of: record)
            if let system = try record.optionalString("system")?.trimmed, !system.isEmpty { turns.insert(Example.Turn(role: "system", text: system), at: 0) }
            collector.add(try example(turns, record: record, listKey: key, reading))
        }
    }
}
