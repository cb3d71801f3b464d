import Core

/// Alpaca-style instruction data and its relatives: Code Alpaca, Dolly, LIMA, self-instruct and user mappings.
enum InstructionFormats {
    static func alpaca(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .auto) { record, collector in
            let instruction = try record.string("instruction")
            let input = try record.optionalString("input") ?? ""
            let output = try record.optionalString("output")
            let response = try record.optionalString("response")
            if let output, let response, output.trimmed != response.trimmed {
                throw try record.required("response").error("'response' and 'output' both present and different; which one is the answer is ambiguous")
            }
            guard let answer = output ?? response else { throw missing(record, "output") }
            var turns = try history(record.field("history"))
            if let system = try record.optionalString("system")?.trimmed, !system.isEmpty { turns.insert(Example.Turn(role: "system", text: system), at: 0) }
            try collector.add(example(record, instruction: instruction, input: input, response: answer, turns: turns, reading))
        }
    }

    /// `[[user, assistant], ...]` (LIMA, LLaMA-Factory) into alternating turns.
    static func history(_ record: JSONRecord?) throws -> [Example.Turn] {
        guard let record else { return [] }
        var turns: [Example.Turn] = []
        for pair in try record.array() {
            let texts = try pair.array()
            guard texts.count == 2 else { throw pair.error("a history entry must be [user, assistant], found \(texts.count) item(s)") }
            turns.append(Example.Turn(role: "user", text: try texts[0].string().trimmed))
            turns.append(Example.Turn(role: "assistant", text: try texts[1].string().trimmed))
        }
        return turns
    }

    static func selfInstruct(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            let instruction = try record.string("instruction")
            let instances = try record.array("instances")
            guard !instances.isEmpty else { throw try record.required("instances").error("a task needs at least one instance") }
            for instance in instances {
                try collector.add(example(instance, instruction: instruction, input: try instance.string("input"),
                                          response: try instance.string("output"), turns: [], reading))
            }
        }
    }

    static func predictions(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            try collector.add(example(record, instruction: try record.string("instruction"), input: try record.optionalString("input") ?? "",
                                      response: try record.string("response"), turns: [], reading))
        }
    }

    static func mapped(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        guard let mapping = reading.mapping else { throw InputError(file: reading.display, "the 'mapped' format needs a field mapping (--map instruction=FIELD,response=FIELD)") }
        try collector.readRecords(reading, .auto) { record, collector in
            let input = try mapping.input.map { try record.optionalString($0) ?? "" } ?? ""
            let turns = try history(mapping.history.map { try record.field($0) } ?? nil)
            try collector.add(example(record, instruction: try record.string(mapping.instruction), input: input,
                                      response: try record.string(mapping.response), turns: turns, reading))
        }
    }

    /// Builds a trimmed example; an instruction that is empty after trimming (with no input) is a malformed record.
    static func example(_ record: JSONRecord, instruction: String, input: String, response: String, turns: [Example.Turn],
                        _ reading: Loader.Reading) throws -> Example {
        let instruction = instruction.trimmed, input = input.trimmed
        if instruction.isEmpty && input.isEmpty {
            let field = (try? record.field("instruction")) ?? nil
            throw (field ?? record).error("the instruction is empty")
        }
        return Example(instruction: instruction, input: input, response: response.trimmed, turns: turns,
                       source: reading.name, licence: reading.licence, split: reading.split)
    }

    static func missing(_ record: JSONRecord, _ field: String) -> InputError {
        InputError(file: record.file, line: record.line, path: JSONPath.render(record.path + [.key(field)]), field: field, "the required field '\(field)' is missing")
    }
}
