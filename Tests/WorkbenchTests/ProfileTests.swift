import Core
import Foundation
import Workbench
import XCTest

final class ProfileTests: XCTestCase {
    private func load(_ yaml: String) throws -> Profile {
        let url = try temporaryFolder().appendingPathComponent("profile.yaml")
        try yaml.write(to: url, atomically: true, encoding: .utf8)
        return try Profile.load(file: url)
    }

    private func message(_ body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch { return "\(error)" }
    }

    func testTypedReadsAndTheirErrorsNameTheFileAndKeyInYAMLWords() throws {
        let profile = try load("seed: 7\nmodel:\n  layers: [2, 3]\n  heads: 0\npretrain:\n  steps: 800\n  learning_rate: 2\n")
        XCTAssertEqual(profile.seed, 7)
        XCTAssertEqual(try profile.int("pretrain.steps"), 800)
        XCTAssertEqual(try profile.double("pretrain.learning_rate"), 2, "an integer reads as a number")
        XCTAssertEqual(try profile.ints("model.layers"), [2, 3])

        let list = try XCTUnwrap(message { try profile.int("model.layers") })
        XCTAssertTrue(list.contains("'model.layers' is a list; expected an integer"), list)
        XCTAssertTrue(list.contains(profile.file), list)
        let missing = try XCTUnwrap(message { try profile.int("model.d_model") })
        XCTAssertTrue(missing.contains("does not set 'model.d_model'"), missing)
    }

    func testLowerBoundsRejectZeroAndNegativeSizes() throws {
        let profile = try load("model:\n  heads: 0\npretrain:\n  shards: -2\n  steps: 1\n")
        XCTAssertEqual(try profile.int("pretrain.steps", atLeast: 1), 1)
        let zero = try XCTUnwrap(message { try profile.int("model.heads", atLeast: 1) })
        XCTAssertTrue(zero.contains("'model.heads' is 0; expected at least 1"), zero)
        let negative = try XCTUnwrap(message { try profile.int("pretrain.shards", atLeast: 1) })
        XCTAssertTrue(negative.contains("'pretrain.shards' is -2; expected at least 1") && negative.contains("shards"), negative)
    }
}
