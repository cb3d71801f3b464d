import Core
import XCTest
@testable import Corpus

/// Every file of the real data folder loads, and its count matches MANIFEST.tsv.
final class ManifestCountTests: XCTestCase {
    func testEveryManifestFileIsCataloguedAndLoadsWithItsStatedCount() throws {
        let folder = TestData.folder
        let manifest = try folder.manifest()
        XCTAssertFalse(manifest.isEmpty, "no MANIFEST.tsv under \(folder.url.path): run `make setup`")
        XCTAssertEqual(Set(manifest.keys), Set(Catalog.entries.map(\.path)), "the catalog and MANIFEST.tsv list different files")
        for entry in Catalog.entries {
            guard let stated = manifest[entry.path] else { continue }
            let file = try folder.load(entry)
            XCTAssertEqual(file.report.records, stated.count, "\(entry.path): \(file.report.records) \(file.report.unit), MANIFEST says \(stated.count) \(stated.unit)")
            XCTAssertEqual(file.report.unit, stated.unit, entry.path)
            XCTAssertEqual(file.sha256, stated.sha256, "\(entry.path): checksum differs from MANIFEST.tsv")
            XCTAssertEqual(file.report.invalidUTF8Repaired, 0, entry.path)
            switch entry.format.content {
            case .vocabulary, .judgePrompts: XCTAssertEqual(file.itemCount, 0, entry.path)
            default: XCTAssertGreaterThan(file.itemCount, 0, entry.path)
            }
            print("\(entry.path): \(file.report.records) \(file.report.unit), kept \(file.report.kept), empty \(file.report.emptyResponsesDropped), dup \(file.report.duplicatesWithinFile)")
        }
    }

    func testSpecificShapes() throws {
        let folder = TestData.folder
        let eval = try folder.load(named: "self-instruct/user_oriented_instructions")
        XCTAssertEqual(eval.examples.count, 252)
        XCTAssertTrue(eval.examples.allSatisfy { $0.split == "eval" && !$0.response.isEmpty })
        let mtBench = try folder.load(named: "mt-bench/reference_answer/gpt-4")
        XCTAssertEqual(mtBench.examples.count, 60, "30 two-turn reference answers")
        XCTAssertEqual(mtBench.examples[1].turns.count, 2, "the second turn carries the first as history")
        let lima = try folder.load(named: "lima/lima")
        XCTAssertEqual(lima.examples.filter { !$0.turns.isEmpty }.count, 29)
        let hh = try folder.load(named: "hh-rlhf/harmless-base/test")
        XCTAssertEqual(hh.preferences.count + hh.report.emptyResponsesDropped, 2312)
        XCTAssertTrue(hh.preferences.allSatisfy { $0.prompt.last?.role == "user" && $0.chosen.first?.role == "assistant" })
        let kto = try folder.load(named: "kto_en_demo")
        XCTAssertEqual(kto.judged.filter(\.desirable).count + kto.judged.filter { !$0.desirable }.count, kto.judged.count)
        XCTAssertGreaterThan(kto.judged.filter(\.desirable).count, 100)
    }
}
