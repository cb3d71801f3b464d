import Core
import Foundation
import XCTest
@testable import Corpus

/// Against values computed by Python (bench/corpus/make_fixtures.py): the inflater against zlib, and the JSON
/// parser, trimming, turn expansion and content ids against Python's json and hashlib over the real files.
final class ReferenceTests: XCTestCase {
    struct Fixture: Decodable {
        struct GzipCase: Decodable { var name: String; var base64: String; var sha256: String; var size: Int }
        struct DatasetCase: Decodable { var records: Int; var examples: Int; var ids_sha256: String }
        var gzip: [GzipCase]
        var datasets: [String: DatasetCase]
    }

    static func fixture() throws -> Fixture {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/corpus_reference.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
    }

    func testInflaterMatchesZlibOnStoredFixedAndDynamicBlocksAndMultipleMembers() throws {
        for item in try Self.fixture().gzip {
            let bytes = [UInt8](Data(base64Encoded: item.base64)!)
            let output = try Gzip.decompress(bytes)
            XCTAssertEqual(output.count, item.size, item.name)
            XCTAssertEqual(SHA256.hex(output), item.sha256, item.name)
        }
    }

    func testCorruptOrTruncatedGzipIsAnError() throws {
        let item = try Self.fixture().gzip.first { $0.name == "level9" }!
        var bytes = [UInt8](Data(base64Encoded: item.base64)!)
        XCTAssertThrowsError(try Gzip.decompress(Array(bytes.prefix(bytes.count / 2))))
        bytes[bytes.count / 2] ^= 0x55
        XCTAssertThrowsError(try Gzip.decompress(bytes))  // the CRC-32 or the code tables catch it
    }

    func testContentIDsMatchPythonOnEveryInstructionAndPromptFile() throws {
        for (path, expected) in try Self.fixture().datasets.sorted(by: { $0.key < $1.key }) {
            let file = try TestData.folder.load(Catalog.entry(named: path)!)
            XCTAssertEqual(file.report.records, expected.records, path)
            XCTAssertEqual(file.examples.count, expected.examples, path)
            XCTAssertEqual(SHA256.hex(file.examples.map(\.id).joined(separator: "\n")), expected.ids_sha256, path)
        }
    }
}
