import Foundation
import XCTest
@testable import Corpus
import Core

/// `imine score|mine FILE…` input: the real LLaMA-Factory Alpaca demo (999 records) written in every layout a user
/// may have must load to the same examples, and bad records are named or skipped.
final class UserFilesTests: XCTestCase {
    var demo: URL { TestData.folder.url.appendingPathComponent("llama-factory-demo/alpaca_en_demo.json") }

    func records() throws -> [[String: String]] {
        let parsed = try JSONSerialization.jsonObject(with: Data(contentsOf: demo)) as! [[String: Any]]
        return parsed.map { $0.compactMapValues { $0 as? String } }
    }

    func write(_ lines: [String], _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }

    func json(_ object: Any) throws -> String { String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) }

    func testEveryLayoutOfARealFileLoadsToTheSameExamples() throws {
        let folder = try TestData.temporaryDirectory("layouts")
        let records = try records()
        let reference = try UserFiles.load([demo.path])
        XCTAssertEqual(reference.files[0].report.records, 999)
        XCTAssertEqual(reference.examples.count + reference.exactDuplicates, reference.files[0].examples.count)
        let ids = reference.examples.map(\.id)

        let jsonl = try write(try records.map(json), "demo.jsonl", in: folder)
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", "-n", jsonl]
        try gzip.run(); gzip.waitUntilExit()
        XCTAssertEqual(gzip.terminationStatus, 0)
        // Conversations carry the prompt as one message; without an input field the ids match only input-free records.
        let sharegpt = try write(try records.map { try json(["conversations": [["from": "human", "value": $0["instruction"]!], ["from": "gpt", "value": $0["output"]!]]]) },
                                 "demo-sharegpt.jsonl", in: folder)
        let messages = try write(try records.map { try json(["messages": [["role": "user", "content": $0["instruction"]!], ["role": "assistant", "content": $0["output"]!]]]) },
                                 "demo-openai.jsonl", in: folder)
        let mapped = try write(try records.map { try json(["q": $0["instruction"]!, "ctx": $0["input"] ?? "", "a": $0["output"]!]) }, "demo-mapped.jsonl", in: folder)

        XCTAssertEqual(try UserFiles.load([jsonl]).examples.map(\.id), ids)
        XCTAssertEqual(try UserFiles.load([jsonl + ".gz"]).examples.map(\.id), ids)
        XCTAssertEqual(try UserFiles.load([mapped], mapping: FieldMapping(parsing: "instruction=q,input=ctx,response=a")).examples.map(\.id), ids)
        let noInput = reference.examples.filter { $0.input.isEmpty }.map(\.id)
        XCTAssertGreaterThan(noInput.count, 100)
        for path in [sharegpt, messages] {
            let loaded = try UserFiles.load([path])
            XCTAssertEqual(loaded.files[0].format, .sharegpt)
            XCTAssertEqual(Set(loaded.examples.map(\.id)).intersection(ids), Set(noInput), path)
        }
        // The same file twice: every example once, the second copy counted as duplicates.
        let twice = try UserFiles.load([demo.path, jsonl])
        XCTAssertEqual(twice.examples.map(\.id), ids)
        XCTAssertEqual(twice.exactDuplicates, reference.exactDuplicates + 999)
    }

    func testBadRecordsAreNamedOrSkipped() throws {
        let folder = try TestData.temporaryDirectory("bad")
        var lines = try records().prefix(10).map(json)
        lines[2] = String(lines[2].dropLast())                               // line 3: truncated JSON
        lines[4] = lines[4].replacingOccurrences(of: "\"output\"", with: "\"answer\"")  // line 5: no output field
        let path = try write(lines, "bad.jsonl", in: folder)

        XCTAssertThrowsError(try UserFiles.load([path])) { error in
            let error = error as! InputError
            XCTAssertEqual(error.file, path)
            XCTAssertEqual(error.line, 3)
        }
        let skipped = try UserFiles.load([path], skipBadRecords: true)
        XCTAssertEqual(skipped.examples.count, 8)
        XCTAssertEqual(skipped.skipped.map(\.line), [3, 5])
        XCTAssertEqual(skipped.skipped[1].field, "output")
        XCTAssertEqual(skipped.files[0].report.records, 10)
        XCTAssertEqual(skipped.files[0].report.kept, 8)
    }

    func testAFileThatHoldsNoInstructionsAsksForAMapping() throws {
        let c4 = TestData.folder.url.appendingPathComponent("llama-factory-demo/c4_demo.jsonl").path
        XCTAssertThrowsError(try UserFiles.load([c4])) { error in
            XCTAssertTrue("\(error)".contains("--map"), "\(error)")
        }
    }
}
