import Foundation
import XCTest
@testable import Corpus

final class ExportTests: XCTestCase {
    let examples = [
        Example(instruction: "Translate", input: "Good morning", response: "Bonjour", source: "a", licence: "x"),
        Example(instruction: "Bye", response: "See you", turns: [.init(role: "system", text: "Be kind."), .init(role: "user", text: "Hi"), .init(role: "assistant", text: "Hello")], source: "b", licence: "x"),
    ]

    func roundTrip(_ format: ExportFormat, readAs readFormat: DataFormat) throws -> [Example] {
        let directory = try TestData.temporaryDirectory("export")
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("out.\(format == .jsonl ? "jsonl" : "json")")
        try Export.write(examples, as: format, to: url)
        return try Loader().load(url, name: "out", format: readFormat, licence: "x").examples
    }

    func testAlpacaAndJSONLRoundTripToTheSameContentIDs() throws {
        XCTAssertEqual(try roundTrip(.alpaca, readAs: .alpaca).map(\.id), examples.map(\.id))
        XCTAssertEqual(try roundTrip(.jsonl, readAs: .alpaca).map(\.id), examples.map(\.id))
    }

    func testShareGPTRoundTripKeepsTurnsAndJoinsInputToTheInstruction() throws {
        let back = try roundTrip(.sharegpt, readAs: .sharegpt)
        XCTAssertEqual(back[0].instruction, "Translate\n\nGood morning")
        XCTAssertEqual(back[1].id, examples[1].id)
    }

    func testExportIsDeterministicAndRealDataExports() throws {
        let lima = try TestData.folder.load(named: "lima/lima").examples
        for format in ExportFormat.allCases {
            XCTAssertEqual(try Export.data(lima, as: format), try Export.data(lima, as: format))
        }
        let text = String(decoding: try Export.data(lima.filter { !$0.turns.isEmpty }.prefix(1), as: .alpaca), as: UTF8.self)
        XCTAssertTrue(text.contains("\"history\""), text)
        XCTAssertThrowsError(try Export.data([Example(instruction: "x", response: "y", turns: [.init(role: "assistant", text: "z")], source: "s", licence: "l")], as: .alpaca))
    }
}
