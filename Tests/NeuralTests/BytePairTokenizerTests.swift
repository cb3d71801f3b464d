import Core
import Foundation
@testable import Neural
import XCTest

final class BytePairTokenizerTests: XCTestCase {
    static let pretraining = try! TestData.pretrainingDocuments()
    static let tokenizer = BytePairTokenizer.train(on: pretraining, vocabularySize: 1024, maxCharacters: 400_000)

    /// Exact round trip on every text of the pretraining files and of the instruction sets the workbench reads.
    func testRoundTripIsExactOnEveryTextInTheData() throws {
        let files = [
            "llama-factory-demo/alpaca_en_demo.json", "lima/lima.json", "alpagasus-dolly-3k/dolly_3k.json",
            "code-alpaca/code_alpaca_2k.json", "cherry-alpaca-5pct/cherry_alpaca_5_percent.json",
            "alpagasus-alpaca-subsets/random_9k.json", "self-instruct/user_oriented_instructions.jsonl",
            "eval-test-sets/koala_test_set.jsonl", "eval-test-sets/lima_test_set.jsonl",
            "eval-test-sets/vicuna_test_set.jsonl", "eval-test-sets/wizardlm_test_set.jsonl",
            "mt-bench/question.jsonl", "vicuna-bench/question.jsonl",
        ]
        var texts = Self.pretraining
        for file in files { texts += try TestData.strings(in: file) }
        XCTAssertGreaterThan(texts.count, 30_000)
        let tokenizer = Self.tokenizer
        var failures = 0
        for text in texts where tokenizer.decode(tokenizer.encode(text)) != text {
            failures += 1
            if failures <= 3 { XCTFail("round trip changed \(text.prefix(80).debugDescription)") }
        }
        XCTAssertEqual(failures, 0)
        // Unusual text too: combining marks, emoji, CRLF, tabs, lone spaces, control characters.
        for text in ["e\u{301}t\u{E9} 🇫🇷👩‍👩‍👧", "a\r\n\tb  c   ", " ", "", "\u{0}\u{7F}x", "3.14e-10 x²"] {
            XCTAssertEqual(tokenizer.decode(tokenizer.encode(text)), text)
        }
    }

    func testTrainingIsDeterministicAndCompresses() throws {
        let again = BytePairTokenizer.train(on: Self.pretraining, vocabularySize: 1024, maxCharacters: 400_000)
        XCTAssertEqual(again.merges, Self.tokenizer.merges)
        XCTAssertEqual(again.digest, Self.tokenizer.digest)
        XCTAssertEqual(Self.tokenizer.vocabularySize, 1024)
        let sample = Self.pretraining.suffix(50).joined(separator: "\n")
        XCTAssertLessThan(Double(Self.tokenizer.encode(sample).count), 0.45 * Double(sample.utf8.count))
        XCTAssertFalse(Self.tokenizer.encode(sample).contains(Self.tokenizer.endOfText))
    }

    /// The most frequent pair merges first; equal counts go to the smaller (left, right) ids.
    func testMergeOrderAndTieBreak() throws {
        // Chunks "ab" ×3 and "cd" ×3 (newlines are chunks of their own) tie on count; (97, 98) < (99, 100).
        // "xy" occurs once and never merges, so training stops early at two merges.
        let tokenizer = BytePairTokenizer.train(on: ["cd\nab\ncd\nab\ncd\nab\nxy"], vocabularySize: 300)
        XCTAssertEqual(tokenizer.merges, [.init(97, 98), .init(99, 100)])
        XCTAssertEqual(tokenizer.vocabularySize, 259)
        XCTAssertEqual(tokenizer.encode("ab"), [256])
    }

    func testSerialisationRoundTripAndErrors() throws {
        let json = try Self.tokenizer.serialized()
        let back = try BytePairTokenizer(json: json, name: "tok.json")
        XCTAssertEqual(back, Self.tokenizer)
        XCTAssertEqual(back.digest, Self.tokenizer.digest)
        let bad = Data(#"{"format":"microlm-bpe-1","endOfText":"<|endoftext|>","merges":[[97,98],[300,1]]}"#.utf8)
        XCTAssertThrowsError(try BytePairTokenizer(json: bad, name: "tok.json")) { error in
            XCTAssertEqual((error as? InputError)?.path, "$.merges[1]")
            XCTAssertTrue("\(error)".contains("tok.json"))
        }
    }
}
