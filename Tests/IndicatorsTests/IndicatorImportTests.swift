import Core
import Foundation
import XCTest
@testable import Indicators
import Store

final class IndicatorImportTests: XCTestCase {
    let examples = toyExamples(3)

    private func file(_ name: String, _ text: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString)-\(name)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    private func spec(_ key: IndicatorImport.Key, allowMissing: Bool = false) -> IndicatorImport {
        IndicatorImport(name: "unieval_naturalness", textField: .response, source: "UniEval-dialog test run", key: key,
                        valueField: "score", allowMissing: allowMissing)
    }

    func testCSVByExampleIDWithQuotedFields() throws {
        let store = try makeIndicatorStore(examples)
        let csv = "id,note,score\n\(examples[0].id),\"multi\nline, \"\"quoted\"\"\",0.25\r\n\(examples[1].id),x,1e-1\n\(examples[2].id),,  3 \n"
        let result = try store.importIndicator(spec(.exampleID(field: "id")), from: try file("s.csv", csv), expectedPool: "eval")
        XCTAssertEqual(result.missing, [])
        let stored = try store.indicatorValues(variantKey: result.variant.key)
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: stored.map { ($0.exampleID, $0.value) }),
                       [examples[0].id: 0.25, examples[1].id: 0.1, examples[2].id: 3])
        XCTAssertEqual(try store.indicatorVariant(key: result.variant.key).source, "UniEval-dialog test run")
    }

    func testJSONLByContentHashAndByPosition() throws {
        let store = try makeIndicatorStore(examples)
        let lines = examples.map { e -> String in
            let object: [String: Any] = ["instruction": e.instruction, "input": e.input, "response": e.response, "score": 0.5]
            return String(decoding: try! JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let byContent = spec(.content(instruction: "instruction", input: "input", response: "response"))
        let result = try store.importIndicator(byContent, from: try file("s.jsonl", lines.joined(separator: "\n") + "\n\n"))
        XCTAssertEqual(Set(result.values.map(\.exampleID)), Set(examples.map(\.id)))

        var byPosition = spec(.position(field: "row", dataset: "toy"))
        byPosition.source = "another reward model"
        let jsonl = "{\"row\": 2, \"score\": -1.5}\n{\"row\": \"0\", \"score\": 2}\n{\"row\": 1, \"score\": 0}\n"
        let positioned = try store.importIndicator(byPosition, from: try file("p.jsonl", jsonl))
        XCTAssertEqual(try store.indicatorMean(variantKey: positioned.variant.key, exampleIDs: [examples[2].id]).mean, -1.5)
        XCTAssertNotEqual(positioned.variant.key, result.variant.key)
    }

    func testEveryProblemIsReportedWithLineAndFieldAndNothingIsWritten() throws {
        let store = try makeIndicatorStore(examples)
        let csv = """
            id,score
            \(examples[0].id),0.5
            deadbeef,0.1
            \(examples[0].id),0.7
            \(examples[1].id),high
            \(examples[1].id),nan
            """
        let url = try file("bad.csv", csv)
        XCTAssertThrowsError(try store.importIndicator(spec(.exampleID(field: "id")), from: url, expectedPool: "eval")) { error in
            guard let failure = error as? IndicatorImport.Failure else { return XCTFail("\(error)") }
            let problems = failure.problems
            XCTAssertEqual(problems.count, 5, failure.description)
            XCTAssertEqual(problems[0], InputError(file: url.path, line: 3, field: "id", "unknown example id 'deadbeef'"))
            XCTAssertEqual(problems[1].line, 4)
            XCTAssertTrue(problems[1].message.contains("already has a value on line 2"))
            XCTAssertEqual(problems[2].line, 5)
            XCTAssertEqual(problems[2].field, "score")
            XCTAssertTrue(problems[2].message.contains("'high'"))
            XCTAssertEqual(problems[3].line, 6)
            // Examples 1 (no valid value) and 2 (absent) are missing.
            XCTAssertTrue(problems[4].message.contains("2 expected example(s) have no value"), problems[4].message)
        }
        XCTAssertEqual(try store.indicatorVariants(named: "unieval_naturalness"), [:])
    }

    func testMissingExamplesCanBeAllowedButAreStillReported() throws {
        let store = try makeIndicatorStore(examples)
        let url = try file("some.jsonl", "{\"id\": \"\(examples[1].id)\", \"score\": 4}\n")
        let result = try store.importIndicator(spec(.exampleID(field: "id"), allowMissing: true), from: url, expectedPool: "eval")
        XCTAssertEqual(result.missing, [examples[0].id, examples[2].id].sorted())
        XCTAssertEqual(try store.indicatorValues(variantKey: result.variant.key).count, 1)
    }

    func testMalformedFiles() throws {
        let store = try makeIndicatorStore(examples)
        let importer = spec(.exampleID(field: "id"), allowMissing: true)
        for (name, text, line) in [("h.csv", "key,score\nx,1\n", 1), ("q.csv", "id,score\n\"open,1\n", 2),
                                   ("j.jsonl", "{\"id\": \"\(examples[0].id)\", \"score\": 1}\nnot json\n", 2),
                                   ("t.jsonl", "{\"id\": \"\(examples[0].id)\", \"score\": \"1\"}\n", 1),
                                   ("b.jsonl", "{\"id\": \"\(examples[0].id)\", \"score\": true}\n", 1),
                                   ("w.csv", "id,score\n\(examples[0].id),1,extra\n", 2)] {
            XCTAssertThrowsError(try store.importIndicator(importer, from: try file(name, text)), name) { error in
                let problem = (error as? IndicatorImport.Failure)?.problems.first ?? (error as? InputError)
                XCTAssertEqual(problem?.line, line, "\(name): \(error)")
            }
        }
        XCTAssertThrowsError(try store.importIndicator(importer, from: try file("x.txt", "")))
        XCTAssertEqual(try store.indicatorVariants(named: "unieval_naturalness"), [:])
    }
}
