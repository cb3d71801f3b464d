import Core
import Foundation
import XCTest
@testable import Indicators

/// Golden values from lexicalrichness 0.5.1 and lexical-diversity 0.1.1 on real responses (made by
/// bench/indicators/mtld/make_fixture.py): values within 1e-9, and the same tokens (count, types, digest).
final class MTLDFixtureTests: XCTestCase {
    struct Fixture: Decodable {
        struct Reference: Decodable {
            var mtld: Double?
            var tokens: Int
            var types: Int
            var tokens_sha256: String
        }
        struct Record: Decodable {
            var source: String
            var text: String
            var lexicalrichness: Reference
            var lexical_diversity: Reference
        }
        var packages: [String: String]
        var real: [Record]
        var synthetic: [Record]
    }

    static let fixture: Fixture = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/mtld.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }()

    func testFixtureCoversEnoughRealText() {
        let real = Self.fixture.real
        XCTAssertGreaterThanOrEqual(real.count, 200)
        XCTAssertGreaterThanOrEqual(Set(real.map(\.source)).count, 10)
        XCTAssertGreaterThan(real.filter { $0.lexicalrichness.tokens < 50 }.count, 20)
        XCTAssertGreaterThan(real.filter { $0.lexicalrichness.tokens > 300 }.count, 10)
        XCTAssertGreaterThan(real.filter { $0.text.unicodeScalars.contains { $0.value > 127 } }.count, 20)
        XCTAssertEqual(Self.fixture.packages["lexicalrichness"], "0.5.1")
        XCTAssertEqual(Self.fixture.packages["lexical-diversity"], "0.1.1")
    }

    func testLexicalRichnessMatchesExactly() {
        check(MTLD.lexicalRichness, \.lexicalrichness)
    }

    func testLexicalDiversityMatchesExactly() {
        check(MTLD.lexicalDiversity, \.lexical_diversity)
    }

    private func check(_ variant: MTLD, _ reference: KeyPath<Fixture.Record, Fixture.Reference>) {
        let meter = MTLDMeter(variant)
        for (index, record) in (Self.fixture.real + Self.fixture.synthetic).enumerated() {
            let expected = record[keyPath: reference]
            let label = "#\(index) \(record.source): \(record.text.prefix(60).debugDescription)"
            let result = meter.measure(record.text)
            XCTAssertEqual(result.tokens, expected.tokens, "tokens, \(label)")
            XCTAssertEqual(result.types, expected.types, "types, \(label)")
            XCTAssertEqual(digest(variant.tokenization.tokens(of: record.text)), expected.tokens_sha256, "token digest, \(label)")
            switch (result.value, expected.mtld) {
            case let (value?, golden?): XCTAssertEqual(value, golden, accuracy: 1e-9, label)
            case (nil, nil): break
            default: XCTFail("value \(String(describing: result.value)) vs golden \(String(describing: expected.mtld)), \(label)")
            }
            XCTAssertEqual(result.isShort, expected.tokens < 50, label)
        }
    }

    /// SHA-256 of the tokens joined by U+0000, as the fixture script computes it.
    private func digest(_ tokens: [String]) -> String {
        SHA256.hex(Array(tokens.joined(separator: "\u{0}").utf8))
    }
}
