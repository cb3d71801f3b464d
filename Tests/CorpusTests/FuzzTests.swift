import Core
import Store
import XCTest
@testable import Corpus

/// Feeds mutated records (truncated JSON, wrong types, missing fields, invalid UTF-8, huge strings, random byte
/// damage) to the loaders and the store: no crash, no partial ingest, every error names file, position and field.
final class FuzzTests: XCTestCase {
    static let seeds: [(DataFormat, String)] = [
        (.alpaca, """
        [
          {"instruction": "Give three tips for staying healthy.", "input": "", "output": "Eat well, sleep, move."},
          {"instruction": "Translate to French", "input": "Good morning", "output": "Bonjour", "history": [["hi", "hello"]]},
          {"instruction": "Name a colour é", "input": "", "output": "Blue \\u00e9 \\ud83d\\ude00"}
        ]
        """),
        (.selfInstruct, """
        {"instruction": "Sort the numbers.", "instances": [{"input": "3 1 2", "output": "1 2 3"}]}
        {"instruction": "Is it a question?", "instances": [{"input": "Why?", "output": "Yes"}, {"input": "Stop.", "output": "No"}]}
        """),
        (.sharegpt, """
        [{"conversations": [{"from": "human", "value": "Hello"}, {"from": "gpt", "value": "Hi! How can I help?"}]},
         {"system": "Be brief.", "conversations": [{"from": "human", "value": "2+2?"}, {"from": "gpt", "value": "4"}]}]
        """),
        (.hhRLHF, """
        {"chosen": "\\n\\nHuman: How do I bake bread?\\n\\nAssistant: Mix flour, water, yeast.", "rejected": "\\n\\nHuman: How do I bake bread?\\n\\nAssistant: No."}
        {"chosen": "\\n\\nHuman: Hi\\n\\nAssistant: Hello\\n\\nHuman: Bye\\n\\nAssistant: Goodbye!", "rejected": "\\n\\nHuman: Hi\\n\\nAssistant: Hello\\n\\nHuman: Bye\\n\\nAssistant: ..."}
        """),
        (.kto, """
        [{"messages": [{"role": "user", "content": "Summarise: cats sleep a lot."}, {"role": "assistant", "content": "Cats sleep much."}], "label": true}]
        """),
        (.fastchatQuestions, """
        {"question_id": 1, "category": "writing", "turns": ["Write a poem.", "Shorter."]}
        """),
    ]

    func testThousandsOfMutatedRecordsFailCleanlyOrIngestWhole() throws {
        let directory = try TestData.temporaryDirectory("fuzz")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try Store(path: directory.appendingPathComponent("fuzz.sqlite").path, schemas: [.corpus])
        var random = SeededRandom(seed: 7, stream: "corpus-fuzz")
        var failures = 0, successes = 0
        var kinds: [String: Int] = [:]
        for trial in 0..<1200 {
            let (format, seed) = Self.seeds[trial % Self.seeds.count]
            let (kind, bytes) = mutate(Array(seed.utf8), &random)
            kinds[kind, default: 0] += 1
            let url = directory.appendingPathComponent("mutant-\(trial).json")
            try Data(bytes).write(to: url)
            let policy = LoadPolicy(invalidUTF8: trial % 2 == 0 ? .reject : .replace, maxResponseChars: 50_000)
            let name = "fuzz/\(trial)"
            let before = try rowCounts(store)
            do {
                let file = try Loader(policy: policy).load(url, display: url.lastPathComponent, name: name, format: format, licence: "test")
                try Ingest.write(file, provenance: "fuzz", into: store)
                successes += 1
                let counts = try Ingest.counts(of: name, in: store)
                XCTAssertEqual(counts.examples, file.examples.count + file.judged.count, "\(kind) trial \(trial)")
                XCTAssertEqual(counts.pairs, file.preferences.count, "\(kind) trial \(trial)")
            } catch let error as InputError {
                failures += 1
                XCTAssertEqual(error.file, url.lastPathComponent, "\(kind) trial \(trial): \(error)")
                XCTAssertTrue(error.line != nil || error.path != nil, "\(kind) trial \(trial) names no position: \(error)")
                XCTAssertFalse((error.field ?? "").isEmpty, "\(kind) trial \(trial) names no field: \(error)")
                let after = try rowCounts(store)
                XCTAssertEqual(before, after, "\(kind) trial \(trial): a failed file left rows behind")
                XCTAssertFalse(try Ingest.datasets(in: store).contains { $0.name == name })
            } catch {
                XCTFail("\(kind) trial \(trial): not an InputError: \(error)")
            }
            try? FileManager.default.removeItem(at: url)
        }
        print("fuzz: \(failures) rejected, \(successes) ingested; mutations \(kinds.sorted { $0.key < $1.key })")
        XCTAssertGreaterThan(failures, 500)
        XCTAssertGreaterThan(successes, 50)
        XCTAssertEqual(try store.integrityCheck(), "ok")
    }

    private func rowCounts(_ store: Store) throws -> [String: Int] { try Ingest.tableCounts(in: store) }

    /// One random mutation, named for the report.
    private func mutate(_ bytes: [UInt8], _ random: inout SeededRandom) -> (String, [UInt8]) {
        var out = bytes
        let quotes = out.indices.filter { out[$0] == UInt8(ascii: "\"") }
        switch random.below(8) {
        case 0:
            return ("truncated", Array(out.prefix(random.below(out.count))))
        case 1:
            // Wrong type: replace a string value with a number, array, object, boolean or null.
            let values = out.indices.filter { out[$0] == UInt8(ascii: ":") && $0 + 2 < out.count && out[$0 + 2] == UInt8(ascii: "\"") }
            guard let colon = values.randomElement(using: &random) else { return ("unchanged", out) }
            var end = colon + 3
            while end < out.count, out[end] != UInt8(ascii: "\"") || out[end - 1] == UInt8(ascii: "\\") { end += 1 }
            let replacement = ["42", "[1, 2]", "{\"a\": 1}", "true", "null", "-0.5e3"][random.below(6)]
            out.replaceSubrange((colon + 2)...min(end, out.count - 1), with: Array(replacement.utf8))
            return ("wrong type", out)
        case 2:
            // Missing field: rename a key so the loader no longer finds it.
            let keys = out.indices.filter { out[$0] == UInt8(ascii: "\"") && $0 + 1 < out.count && (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(out[$0 + 1]) }
            guard let start = keys.randomElement(using: &random) else { return ("unchanged", out) }
            out[start + 1] = UInt8(ascii: "Z")
            return ("missing field", out)
        case 3:
            let bad: [[UInt8]] = [[0xFF], [0xC3, 0x28], [0x80], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80]]
            guard let quote = quotes.randomElement(using: &random) else { return ("unchanged", out) }
            out.insert(contentsOf: bad[random.below(bad.count)], at: quote + 1)
            return ("invalid UTF-8", out)
        case 4:
            guard let quote = quotes.randomElement(using: &random) else { return ("unchanged", out) }
            out.insert(contentsOf: Array(repeating: UInt8(ascii: "x"), count: 60_000 + random.below(140_000)), at: quote + 1)
            return ("huge string", out)
        case 5:
            for _ in 0..<(1 + random.below(4)) { out[random.below(out.count)] = UInt8(random.below(256)) }
            return ("byte damage", out)
        case 6:
            let start = random.below(out.count)
            out.removeSubrange(start..<min(out.count, start + 1 + random.below(20)))
            return ("deleted bytes", out)
        default:
            let depth = 50 + random.below(300)
            let at = random.below(out.count)
            out.insert(contentsOf: Array(repeating: UInt8(ascii: "["), count: depth), at: at)
            return ("deep nesting", out)
        }
    }
}

private extension Array {
    func randomElement(using random: inout SeededRandom) -> Element? { isEmpty ? nil : self[random.below(count)] }
}
