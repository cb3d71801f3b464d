import Core

/// Preference data for the reward model: hh-rlhf transcripts, LLaMA-Factory DPO pairs and KTO-labelled examples.
enum PreferenceFormats {
    static func hhRLHF(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            let chosenField = try record.required("chosen"), rejectedField = try record.required("rejected")
            let chosen = try transcript(chosenField), rejected = try transcript(rejectedField)
            // The prompt is the longest shared prefix that ends with a user turn; what follows is each side's answer.
            var shared = 0
            while shared < min(chosen.count, rejected.count), chosen[shared] == rejected[shared] { shared += 1 }
            while shared > 0, chosen[shared - 1].role != "user" { shared -= 1 }
            guard shared > 0 else { throw chosenField.error("chosen and rejected share no opening user turn") }
            guard shared < chosen.count, shared < rejected.count else {
                throw (shared == chosen.count ? chosenField : rejectedField).error("the transcript has no answer after the shared conversation")
            }
            collector.add(PreferencePair(prompt: Array(chosen[..<shared]), chosen: Array(chosen[shared...]), rejected: Array(rejected[shared...]),
                                         source: reading.name, licence: reading.licence))
        }
    }

    /// Splits an hh-rlhf transcript (`\n\nHuman: ...\n\nAssistant: ...`) into turns.
    static func transcript(_ field: JSONRecord) throws -> [Example.Turn] {
        let text = try field.string()
        var turns: [Example.Turn] = []
        var rest = Substring(text)
        let markers = [("\n\nHuman:", "user"), ("\n\nAssistant:", "assistant")]
        guard let opening = markers.first(where: { rest.hasPrefix($0.0) }) else {
            throw field.error("a transcript must start with '\\n\\nHuman:' or '\\n\\nAssistant:'")
        }
        var role = opening.1
        rest = rest.dropFirst(opening.0.count)
        while true {
            let next = markers.compactMap { marker in rest.range(of: marker.0).map { ($0, marker.1) } }.min { $0.0.lowerBound < $1.0.lowerBound }
            let end = next?.0.lowerBound ?? rest.endIndex
            turns.append(Example.Turn(role: role, text: String(rest[..<end]).trimmed))
            guard let (range, nextRole) = next else { break }
            role = nextRole
            rest = rest[range.upperBound...]
        }
        return turns
    }

    static func sharegptPreference(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .auto) { record, collector in
            let list = try record.required("conversations")
            let prompt = try ConversationFormats.turns(list.array(), roleKey: "from", textKey: "value")
            guard prompt.last?.role == "user" else { throw list.error("the conversation must end with the user's message") }
            let chosen = try ConversationFormats.turn(record.required("chosen"), roleKey: "from", textKey: "value")
            let rejected = try ConversationFormats.turn(record.required("rejected"), roleKey: "from", textKey: "value")
            for (answer, key) in [(chosen, "chosen"), (rejected, "rejected")] where answer.role != "assistant" {
                throw try record.required(key).error("the \(key) answer must be the assistant's")
            }
            collector.add(PreferencePair(prompt: prompt, chosen: [chosen], rejected: [rejected], source: reading.name, licence: reading.licence))
        }
    }

    static func kto(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .auto) { record, collector in
            let example = try ConversationFormats.example(ConversationFormats.messages(of: record), record: record, listKey: "messages", reading)
            collector.add(JudgedExample(example: example, desirable: try record.required("label").bool()))
        }
    }
}
