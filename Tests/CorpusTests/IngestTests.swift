import Core
import Foundation
import Store
import XCTest
@testable import Corpus

final class IngestTests: XCTestCase {
    func testRealFilesIngestWithTheirCountsAndReingestReplaces() throws {
        let directory = try TestData.temporaryDirectory("ingest")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("s.sqlite").path, schemas: [.corpus])
        let folder = TestData.folder
        let manifest = try folder.manifest()
        for name in ["llama-factory-demo/alpaca_en_demo", "hh-rlhf/harmless-base/test", "llama-factory-demo/kto_en_demo",
                     "llama-factory-demo/wiki_demo", "mt-bench/judge_prompts", "eval-test-sets/koala_test_set"] {
            let entry = Catalog.entry(named: name)!
            let file = try Ingest.ingest(entry, from: folder, into: store)
            let stored = try Ingest.datasets(in: store).first { $0.name == entry.name }
            XCTAssertEqual(stored?.records, manifest[entry.path]?.count, name)
            let counts = try Ingest.counts(of: entry.name, in: store)
            XCTAssertEqual(counts.examples, file.examples.count + file.judged.count, name)
            XCTAssertEqual(counts.pairs, file.preferences.count, name)
            XCTAssertEqual(counts.documents, file.documents.count, name)
        }
        let before = try Ingest.tableCounts(in: store)
        try Ingest.ingest(Catalog.entry(named: "alpaca_en_demo")!, from: folder, into: store)
        XCTAssertEqual(try Ingest.tableCounts(in: store), before, "re-ingesting replaces, it does not add")
        let back = try Ingest.examples(of: "llama-factory-demo/alpaca_en_demo", in: store)
        XCTAssertEqual(back.map(\.id), try folder.load(named: "alpaca_en_demo").examples.map(\.id))
        XCTAssertEqual(try store.integrityCheck(), "ok")
    }

    func testDuplicatesAcrossSourcesAreCountedPerPair() throws {
        let folder = TestData.folder
        let files = try ["vicuna-bench/question", "eval-test-sets/vicuna_test_set", "alpagasus-alpaca-subsets/random_9k", "cherry-alpaca-5pct/cherry_alpaca_5_percent"].map { try folder.load(named: $0) }
        let pairs = Duplicates.across(files)
        XCTAssertEqual(pairs.first { $0.first == "alpagasus-alpaca-subsets/random_9k" && $0.second == "cherry-alpaca-5pct/cherry_alpaca_5_percent" }?.shared, 552)
        XCTAssertEqual(pairs.first { $0.first == "eval-test-sets/vicuna_test_set" && $0.second == "vicuna-bench/question" }?.shared, 80)
    }
}
