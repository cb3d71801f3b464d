import Foundation
import Neural
import XCTest

final class SafetensorsTests: XCTestCase {
    func testRoundTripIsExactAndDeterministic() throws {
        let file = Safetensors(tensors: [
            "b": .init(shape: [2, 3], values: [1, -2, 3.5, .pi, 0, -0.0]),
            "a": .init(shape: [1], values: [42]),
        ], metadata: ["format": "pt"])
        let bytes = try file.serialized()
        XCTAssertEqual(bytes, try file.serialized())
        let back = try Safetensors(data: bytes)
        XCTAssertEqual(back.tensors["b"]?.values, file.tensors["b"]?.values)
        XCTAssertEqual(back.tensors["b"]?.shape, [2, 3])
        XCTAssertEqual(back.metadata["format"], "pt")
    }

    func testTruncatedFileNamesTheProblem() {
        XCTAssertThrowsError(try Safetensors(data: Data([1, 2, 3]), name: "x.safetensors")) { error in
            XCTAssertTrue("\(error)".contains("x.safetensors"))
        }
    }
}
