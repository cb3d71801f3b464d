import Foundation
import Neural
import XCTest

final class WordPieceTokenizerTests: XCTestCase {
    func testIdsEqualHuggingFaceOnRealAndEdgeCaseTexts() throws {
        let fixture = try MiniLMFixture.load()
        let tokenizer = try WordPieceTokenizer(
            vocabularyFile: MiniLMFixture.modelDirectory.appendingPathComponent("vocab.txt"))
        XCTAssertGreaterThanOrEqual(fixture.items.count, 400)
        var mismatches = 0
        for item in fixture.items {
            let ids = tokenizer.encode(item.text)
            if ids != item.ids {
                mismatches += 1
                if mismatches <= 5 {
                    let at = (0..<min(ids.count, item.ids.count)).first { ids[$0] != item.ids[$0] } ?? min(ids.count, item.ids.count)
                    XCTFail("[\(item.source)] first difference at \(at): swift \(ids[at...].prefix(6)) vs hf \(item.ids[at...].prefix(6)) in \(item.text.debugDescription.prefix(200))")
                }
            }
            // Truncation keeps [CLS], the first max-2 pieces and [SEP], like sentence-transformers.
            let truncated = tokenizer.encode(item.text, maxLength: fixture.max_seq_length)
            let expected = item.ids.count <= fixture.max_seq_length ? item.ids
                : Array(item.ids.prefix(fixture.max_seq_length - 1)) + [tokenizer.sepID]
            XCTAssertEqual(truncated, expected)
        }
        XCTAssertEqual(mismatches, 0, "\(mismatches) of \(fixture.items.count) texts tokenised differently")
    }

    func testGreedyLongestMatchAndUnknownWords() throws {
        let tokenizer = try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "##a", "a", "!"])
        XCTAssertEqual(tokenizer.encode("Unaffable!"), [2, 4, 5, 6, 9, 3])
        // "unaffx": no piece covers "x", so the whole word is unknown.
        XCTAssertEqual(tokenizer.wordPieces("unaffx a"), [1, 8])
    }

    func testVocabularyWithoutSpecialTokensIsRejected() {
        XCTAssertThrowsError(try WordPieceTokenizer(tokens: ["a", "b"], source: "v.txt")) { error in
            XCTAssertTrue("\(error)".contains("v.txt"))
        }
    }
}
