import Core
import Foundation
import ScaleOut
import Training
import XCTest

final class ResultFileTests: XCTestCase {
    let sets = ["self-instruct", "mt-bench"]

    private func parse(_ json: String) throws -> ResultFile.Outcome {
        try ResultFile.parse(Data(json.utf8), file: "/jobs/k/result.json", evaluationSets: sets)
    }

    private func assertError(_ json: String, path: String, field: String?, containing text: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(json), file: file, line: line) { error in
            guard let input = error as? InputError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(input.file, "/jobs/k/result.json", file: file, line: line)
            XCTAssertEqual(input.path, path, file: file, line: line)
            XCTAssertEqual(input.field, field, file: file, line: line)
            XCTAssertTrue(input.message.contains(text), "\(input)", file: file, line: line)
        }
    }

    func testValidResult() throws {
        let outcome = try parse(#"{"eval_losses": {"self-instruct": 0.958, "mt-bench": 0.711}, "tokens": 1843200,"#
            + #" "wall_seconds": 912.5, "error": null, "checkpoint": "output/adapter", "metrics": {"train_loss": [1.3]}}"#)
        XCTAssertEqual(outcome, .finished(FinetuneResult(evalLosses: ["self-instruct": 0.958, "mt-bench": 0.711],
                                                         tokensProcessed: 1843200, wallSeconds: 912.5, checkpoint: "output/adapter")))
    }

    func testReportedError() throws {
        XCTAssertEqual(try parse(#"{"error": "CUDA out of memory"}"#), .failed("CUDA out of memory"))
    }

    func testEveryMalformationNamesPathAndField() {
        let ok = #""tokens": 10, "wall_seconds": 1"#
        assertError("[1]", path: "$", field: nil, containing: "expected a JSON object, found an array")
        assertError("{", path: "$", field: nil, containing: "not valid JSON")
        assertError(#"{"eval_loss": {}}"#, path: "$.eval_loss", field: "eval_loss", containing: "unknown field")
        assertError(#"{\#(ok)}"#, path: "$.eval_losses", field: "eval_losses", containing: "missing")
        assertError(#"{"eval_losses": [], \#(ok)}"#, path: "$.eval_losses", field: "eval_losses", containing: "found an array")
        assertError(#"{"eval_losses": {"self-instruct": 1}, \#(ok)}"#, path: #"$.eval_losses["mt-bench"]"#,
                    field: "eval_losses", containing: "no loss for evaluation set 'mt-bench'")
        assertError(#"{"eval_losses": {"self-instruct": "0.9", "mt-bench": 1}, \#(ok)}"#, path: #"$.eval_losses["self-instruct"]"#,
                    field: "eval_losses", containing: "expected a number, found a string")
        assertError(#"{"eval_losses": {"self-instruct": -1, "mt-bench": 1}, \#(ok)}"#, path: #"$.eval_losses["self-instruct"]"#,
                    field: "eval_losses", containing: "non-negative")
        assertError(#"{"eval_losses": {"self-instruct": 1, "mt-bench": 1, "x": 2}, \#(ok)}"#, path: #"$.eval_losses["x"]"#,
                    field: "eval_losses", containing: "did not ask for")
        let losses = #""eval_losses": {"self-instruct": 1, "mt-bench": 1}"#
        assertError(#"{\#(losses), "tokens": 1.5, "wall_seconds": 1}"#, path: "$.tokens", field: "tokens", containing: "whole number")
        assertError(#"{\#(losses), "tokens": true, "wall_seconds": 1}"#, path: "$.tokens", field: "tokens", containing: "found a boolean")
        assertError(#"{\#(losses), "tokens": 1}"#, path: "$.wall_seconds", field: "wall_seconds", containing: "missing")
        assertError(#"{\#(losses), \#(ok), "error": 3}"#, path: "$.error", field: "error", containing: "null or a string")
        assertError(#"{\#(losses), \#(ok), "checkpoint": 3}"#, path: "$.checkpoint", field: "checkpoint", containing: "null or a string")
        assertError(#"{\#(losses), \#(ok), "metrics": [1]}"#, path: "$.metrics", field: "metrics", containing: "expected an object")
    }

    func testMissingFileIsNamed() {
        XCTAssertThrowsError(try ResultFile.read(URL(fileURLWithPath: "/nonexistent/result.json"), evaluationSets: sets)) { error in
            XCTAssertEqual((error as? InputError)?.file, "/nonexistent/result.json")
        }
    }
}
