import Core
import Foundation

/// Evaluation material: FastChat question and reference-answer files (MT-Bench, Vicuna bench), single-field prompt
/// sets (Koala, WizardLM, LIMA and Vicuna test prompts) and MT-Bench's judge prompts.
enum BenchmarkFormats {
    static func questions(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            _ = try record.required("question_id").int()
            let turns = try record.array("turns").map { try $0.string().trimmed }
            guard let first = turns.first else { throw try record.required("turns").error("a question needs at least one turn") }
            guard !first.isEmpty else { throw try record.array("turns")[0].error("the question is empty") }
            collector.addPrompt(Example(instruction: first, response: "", source: reading.name, licence: reading.licence, split: reading.split))
        }
    }

    /// Reference answers joined with the questions in `../question.jsonl`: one example per turn, each later turn
    /// carrying the earlier questions and reference answers as history.
    static func references(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        let questionURL = reading.url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("question.jsonl")
        let questionDisplay = URL(fileURLWithPath: reading.display).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("question.jsonl").relativePath
        let questionBytes = try RecordReader.bytes(of: questionURL, display: questionDisplay)
        var questions: [Int: [String]] = [:]
        for record in try RecordReader.records(in: questionBytes, file: questionDisplay, container: .jsonLines, policy: reading.policy).records {
            questions[try record.required("question_id").int()] = try record.array("turns").map { try $0.string().trimmed }
        }
        try collector.readRecords(reading, .jsonLines) { record, collector in
            let idField = try record.required("question_id")
            let id = try idField.int()
            guard let asked = questions[id] else { throw idField.error("question \(id) is not in \(questionDisplay)") }
            let choices = try record.array("choices")
            guard let choice = choices.first else { throw try record.required("choices").error("no answer choices") }
            let answers = try choice.array("turns").map { try $0.string().trimmed }
            guard answers.count == asked.count else {
                throw try choice.required("turns").error("\(answers.count) answer turn(s) for a question with \(asked.count) turn(s)")
            }
            var history: [Example.Turn] = []
            for (question, answer) in zip(asked, answers) {
                collector.add(Example(instruction: question, response: answer, turns: history, source: reading.name,
                                      licence: reading.licence, split: reading.split))
                history += [Example.Turn(role: "user", text: question), Example.Turn(role: "assistant", text: answer)]
            }
        }
    }

    /// The field names, in order of preference, that hold the prompt of a single-field prompt set.
    static let promptFields = ["prompt", "text", "Instruction", "instruction", "conversations", "question"]

    static func promptSet(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .auto) { record, collector in
            guard let key = try promptFields.first(where: { try record.field($0) != nil }) else {
                throw InstructionFormats.missing(record, "prompt")
            }
            let field = try record.required(key)
            let prompt = try field.string().trimmed
            guard !prompt.isEmpty else { throw field.error("the prompt is empty") }
            collector.addPrompt(Example(instruction: prompt, response: "", source: reading.name, licence: reading.licence, split: reading.split))
        }
    }

    struct JudgePrompt: Codable {
        var name: String
        var type: String
        var systemPrompt: String
        var promptTemplate: String
        var description: String?
        var category: String?
        var outputFormat: String?
    }

    static func judgePrompts(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            let prompt = JudgePrompt(name: try record.string("name"), type: try record.string("type"),
                                     systemPrompt: try record.string("system_prompt"), promptTemplate: try record.string("prompt_template"),
                                     description: try record.optionalString("description"), category: try record.optionalString("category"),
                                     outputFormat: try record.optionalString("output_format"))
            collector.file.attachments[prompt.name] = try CanonicalJSON.string(prompt)
            collector.file.report.kept += 1
        }
    }
}
