import Core
import Foundation
import XCTest
@testable import Corpus

/// Small hand-made files: each format's mapping, and errors that name file, line or JSON path, and field.
final class FormatTests: XCTestCase {
    func load(_ text: String, _ format: DataFormat, policy: LoadPolicy = .standard, mapping: FieldMapping? = nil) throws -> LoadedFile {
        let directory = try TestData.temporaryDirectory("formats")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("input.json")
        try Data(text.utf8).write(to: url)
        return try Loader(policy: policy).load(url, display: "input.json", name: "t", format: format, licence: "x", mapping: mapping)
    }

    func error(_ text: String, _ format: DataFormat, policy: LoadPolicy = .standard) -> InputError? {
        do { _ = try load(text, format, policy: policy); return nil } catch { return error as? InputError }
    }

    func testMalformedAlpacaRecordNamesPathAndField() {
        let text = "[\n{\"instruction\": \"a\", \"input\": \"\", \"output\": \"b\"},\n{\"instruction\": \"c\", \"input\": \"\", \"output\": 7}\n]"
        let failure = error(text, .alpaca)
        XCTAssertEqual(failure?.path, "$[1].output")
        XCTAssertEqual(failure?.field, "output")
        XCTAssertEqual(failure?.line, 3)
        XCTAssertEqual(failure?.file, "input.json")
        XCTAssertEqual(error("[{\"instruction\": \"a\", \"input\": \"\"}]", .alpaca)?.path, "$[0].output")
        XCTAssertEqual(error("[{\"instruction\": \"a\", \"output\": \"b\"", .alpaca)?.field, "(record)")
    }

    func testJSONLErrorsNameTheLine() {
        let text = "{\"instruction\": \"a\", \"instances\": [{\"input\": \"\", \"output\": \"b\"}]}\n\n{\"instruction\": \"c\", \"instances\": [{\"input\": \"\"}]}\n"
        let failure = error(text, .selfInstruct)
        XCTAssertEqual(failure?.line, 3)
        XCTAssertEqual(failure?.path, "$.instances[0].output")
        XCTAssertEqual(failure?.field, "output")
    }

    func testPolicyCountsEmptyOverLongAndInvalidUTF8() throws {
        var bytes = Array("[{\"instruction\": \"a\", \"input\": \"\", \"output\": \"ok \"},{\"instruction\": \"b\", \"input\": \"\", \"output\": \"  \"},{\"instruction\": \"c\", \"input\": \"\", \"output\": \"0123456789\"},{\"instruction\": \"d\", \"input\": \"\", \"output\": \"X\"}]".utf8)
        bytes.insert(0xFF, at: bytes.lastIndex(of: UInt8(ascii: "X"))!)
        let directory = try TestData.temporaryDirectory("policy")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("p.json")
        try Data(bytes).write(to: url)
        let file = try Loader(policy: LoadPolicy(maxResponseChars: 5)).load(url, display: "p.json", name: "p", format: .alpaca, licence: "x")
        XCTAssertEqual(file.report.records, 4)
        XCTAssertEqual(file.report.emptyResponsesDropped, 1)
        XCTAssertEqual(file.report.overLongDropped, 1)
        XCTAssertEqual(file.report.invalidUTF8Repaired, 1)
        XCTAssertEqual(file.examples.map(\.response), ["ok", "\u{FFFD}X"])
        XCTAssertThrowsError(try Loader(policy: LoadPolicy(invalidUTF8: .reject)).load(url, display: "p.json", name: "p", format: .alpaca, licence: "x")) { error in
            XCTAssertEqual((error as? InputError)?.path, "$[3].output")
        }
        let kept = try Loader(policy: LoadPolicy(emptyResponse: .keep)).load(url, display: "p.json", name: "p", format: .alpaca, licence: "x")
        XCTAssertEqual(kept.examples.count, 4)
    }

    func testShareGPTAndOpenAIMessagesBecomeTurns() throws {
        let file = try load("""
        [{"system": "Be kind.", "conversations": [{"from": "human", "value": "Hi"}, {"from": "gpt", "value": "Hello"}, {"from": "human", "value": "Bye"}, {"from": "gpt", "value": "See you"}]},
         {"messages": [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]}]
        """, .sharegpt)
        XCTAssertEqual(file.examples.count, 2)
        XCTAssertEqual(file.examples[0].instruction, "Bye")
        XCTAssertEqual(file.examples[0].response, "See you")
        XCTAssertEqual(file.examples[0].turns.map(\.role), ["system", "user", "assistant"])
        XCTAssertEqual(error("[{\"conversations\": [{\"from\": \"human\", \"value\": \"Hi\"}]}]", .sharegpt)?.path, "$[0].conversations")
        XCTAssertEqual(error("[{\"conversations\": [{\"from\": \"alien\", \"value\": \"Hi\"}, {\"from\": \"gpt\", \"value\": \"x\"}]}]", .sharegpt)?.path, "$[0].conversations[0].from")
    }

    func testGenericMappingReadsDeclaredFields() throws {
        let mapping = try FieldMapping(parsing: "instruction=question, input=context, response=answer")
        let file = try load("{\"question\": \"Q\", \"context\": \"C\", \"answer\": \"A\"}\n{\"question\": \"Q2\", \"answer\": \"A2\"}\n", .mapped, mapping: mapping)
        XCTAssertEqual(file.examples.map(\.input), ["C", ""])
        XCTAssertThrowsError(try FieldMapping(parsing: "question=q"))
        XCTAssertThrowsError(try load("[]", .mapped)) { XCTAssertTrue("\($0)".contains("field mapping")) }
    }

    func testHHTranscriptsSplitAtTheSharedPrefix() throws {
        let file = try load("""
        {"chosen": "\\n\\nHuman: A\\n\\nAssistant: B\\n\\nHuman: C\\n\\nAssistant: good", "rejected": "\\n\\nHuman: A\\n\\nAssistant: B\\n\\nHuman: C\\n\\nAssistant: bad"}
        {"chosen": "\\n\\nHuman: A\\n\\nAssistant: x\\n\\nHuman: D\\n\\nAssistant: y", "rejected": "\\n\\nHuman: A\\n\\nAssistant: z"}
        """, .hhRLHF)
        XCTAssertEqual(file.preferences[0].prompt.map(\.text), ["A", "B", "C"])
        XCTAssertEqual(file.preferences[0].chosenText, "good")
        XCTAssertEqual(file.preferences[1].prompt.map(\.text), ["A"])
        XCTAssertEqual(file.preferences[1].chosen.map(\.text), ["x", "D", "y"])
        XCTAssertEqual(file.preferences[1].rejected.map(\.text), ["z"])
        XCTAssertEqual(error("{\"chosen\": \"Human: A\", \"rejected\": \"x\"}", .hhRLHF)?.field, "chosen")
    }

    func testParserHandlesEscapesSurrogatesAndRejectsBadSyntax() throws {
        var parser = JSONParser(bytes: Array("{\"a\": \"\\u00e9\\ud83d\\ude00\\n\\\"\", \"b\": [1.5e2, -0, true, null]}".utf8), file: "x")
        let value = try parser.parseDocument()
        XCTAssertEqual(value, .object(["a": .string("é😀\n\""), "b": .array([.double(150), .int(0), .bool(true), .null])]))
        // Integers stay integers only when written as such and when they fit an Int.
        var numbers = JSONParser(bytes: Array("[7, 7.0, 7e0, 9223372036854775808]".utf8), file: "x")
        XCTAssertEqual(try numbers.parseDocument(), .array([.int(7), .double(7), .double(7), .double(9223372036854775808)]))
        for bad in ["{\"a\": 01x}", "[1,]", "{\"a\" 1}", "\"abc", "[\"\\q\"]", "{\"a\": tru}", "[1] 2", "[\"a\nb\"]"] {
            var p = JSONParser(bytes: Array(bad.utf8), file: "x")
            XCTAssertThrowsError(try p.parseDocument(), bad)
        }
        var deep = JSONParser(bytes: Array(String(repeating: "[", count: 10_000).utf8), file: "x")
        XCTAssertThrowsError(try deep.parseDocument())
    }
}

final class FormatGuessTests: XCTestCase {
    func testEveryCataloguedFileIsGuessedAsItsFormat() throws {
        let folder = TestData.folder
        var wrong: [String] = []
        for entry in Catalog.entries {
            let head = try RecordReader.bytes(of: folder.file(entry.path), display: entry.path).prefix(4096)
            let guess = DataFormat.guess(path: entry.path, firstBytes: Array(head))
            // Prompt sets and question files share a shape with other formats; the catalog names them explicitly.
            if guess != entry.format && ![.promptSet, .fastchatQuestions, .selfInstructPredictions, .judgePrompts].contains(entry.format) {
                wrong.append("\(entry.path): guessed \(guess.rawValue), is \(entry.format.rawValue)")
            }
        }
        XCTAssertEqual(wrong, [])
    }
}
