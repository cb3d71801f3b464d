import Core
import Foundation
import XCTest
@testable import Corpus

final class DataFolderTests: XCTestCase {
    func testFlagBeatsEnvironmentBeatsDefault() {
        XCTAssertEqual(DataFolder.resolve(flag: "/x/y", environment: ["IMINE_DATA": "/e"]).url.path, "/x/y")
        XCTAssertEqual(DataFolder.resolve(flag: nil, environment: ["IMINE_DATA": "/e"]).url.path, "/e")
        XCTAssertTrue(DataFolder.resolve(flag: nil, environment: [:]).url.path.hasSuffix("/data"))
    }

    func testTheFolderCanBeElsewhereAndAMissingFileSaysWhereToGetIt() throws {
        let directory = try TestData.temporaryDirectory("elsewhere")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = TestData.folder
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lima"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source.url.appendingPathComponent("lima/lima.json"), to: directory.appendingPathComponent("lima/lima.json"))
        try FileManager.default.copyItem(at: source.url.appendingPathComponent("MANIFEST.tsv"), to: directory.appendingPathComponent("MANIFEST.tsv"))
        let elsewhere = DataFolder.resolve(flag: nil, environment: ["IMINE_DATA": directory.path])
        XCTAssertEqual(try elsewhere.load(named: "lima/lima").report.records, 1029)
        XCTAssertThrowsError(try elsewhere.load(named: "claude_t45")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains("alpagasus-alpaca-subsets/claude_t45.json"), message)
            XCTAssertTrue(message.contains("https://raw.githubusercontent.com/gpt4life/alpagasus"), message)
        }
    }

    func testManifestParsing() throws {
        let entries = try Manifest.parse("path\tbytes\tsha256\tcount\tsource\tsource_path\tlicense\na.txt\t10\tab\t157730 words\tx\ty\tMIT\n", file: "M")
        XCTAssertEqual(entries.first?.count, 157730)
        XCTAssertEqual(entries.first?.unit, "words")
        XCTAssertThrowsError(try Manifest.parse("path\tbytes\n", file: "M")) { XCTAssertEqual(($0 as? InputError)?.field, "sha256") }
    }
}

final class CatalogTests: XCTestCase {
    func testNamesAreUniqueAndResolve() {
        let names = Catalog.entries.map(\.name)
        XCTAssertEqual(Set(names).count, names.count, "two catalogued files share a dataset name")
        for entry in Catalog.entries { XCTAssertEqual(Catalog.entry(named: entry.name), entry) }
        XCTAssertEqual(Catalog.entry(named: "claude_t45")?.path, "alpagasus-alpaca-subsets/claude_t45.json")
        XCTAssertNil(Catalog.entry(named: "question"), "ambiguous suffixes do not resolve")
        XCTAssertEqual(Catalog.probeModel(ofSource: "self-instruct/predictions/text-davinci-003_predictions"), "text-davinci-003")
        XCTAssertEqual(Catalog.probeModels.count, Catalog.entries.filter { $0.split == "probe" }.count)
    }
}
