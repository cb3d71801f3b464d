import Foundation
import XCTest

/// Loads golden JSON written by the scripts under bench/stats/ (found relative to this file, not the bundle).
enum Fixture {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func load(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent(name))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object")
    }
}

extension Dictionary where Key == String, Value == Any {
    func double(_ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Double {
        try XCTUnwrap((self[key] as? NSNumber)?.doubleValue, "missing number '\(key)'", file: file, line: line)
    }
    func doubles(_ key: String) throws -> [Double] {
        try XCTUnwrap((self[key] as? [NSNumber])?.map(\.doubleValue), "missing number array '\(key)'")
    }
    func object(_ key: String) throws -> [String: Any] { try XCTUnwrap(self[key] as? [String: Any], "missing object '\(key)'") }
    func objects(_ key: String) throws -> [[String: Any]] { try XCTUnwrap(self[key] as? [[String: Any]], "missing array '\(key)'") }
}

/// Asserts |actual − expected| ≤ relative · |expected| (or ≤ absolute, for values near zero), naming what differs.
func assertClose(_ actual: Double, _ expected: Double, relative: Double, absolute: Double = 0, _ what: String,
                 file: StaticString = #filePath, line: UInt = #line) {
    let allowed = max(relative * abs(expected), absolute)
    XCTAssert(abs(actual - expected) <= allowed,
              "\(what): got \(actual), expected \(expected) (diff \(abs(actual - expected)), allowed \(allowed))",
              file: file, line: line)
}
