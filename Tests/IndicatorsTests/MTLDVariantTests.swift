import XCTest
@testable import Indicators

/// Hand-computed MTLD cases for the behaviours the presets differ on.
final class MTLDVariantTests: XCTestCase {
    // "a a b b": TTR after each token is 1, 1/2, 2/3, 2/4.
    func testLexicalRichnessClosesAtOrBelowThreshold() {
        // Forward: TTR 0.5 ≤ 0.72 at token 2 closes a factor; "b b" closes another: 4 / 2 = 2, both ways.
        XCTAssertEqual(MTLD.lexicalRichness.measure("a a b b").value, 2)
    }

    func testLexicalDiversityNeedsTenTokensAndScoresTheLastAsPartial() {
        // No factor can close under 10 tokens; the whole text is one partial factor (1 − 2/4) / 0.28.
        let expected = 4 / ((1 - 0.5) / (1 - 0.72))
        XCTAssertEqual(MTLD.lexicalDiversity.measure("a a b b").value!, expected, accuracy: 1e-12)
    }

    func testComparisonAtExactlyTheThreshold() {
        // 18 distinct words then 7 repeats: TTR = 18/25 = 0.72 exactly at token 25; then 10 new words.
        let words = (0..<18).map { "w\(Character(UnicodeScalar(97 + $0)!))" } + Array(repeating: "wa", count: 7)
            + (0..<10).map { "x\($0)" }
        let text = words.joined(separator: " ")
        var below = MTLD.mccarthyJarvis
        below.comparison = .below
        // Forward, ≤: one factor closes at token 25, the 10 new words add a partial of 0: 35 / 1.
        // Forward, <: no factor; the 35 tokens have 28 types: 35 / ((1 − 0.8) / 0.28) = 49.
        // Backward (both): the 10 new words, 18 distinct words and "wa" never reach 0.72 before the repeats.
        let forwardAtOrBelow = 35.0, forwardBelow = 35 / ((1 - 0.8) / (1 - 0.72))
        let backward = backwardValue(words)
        XCTAssertEqual(MTLD.mccarthyJarvis.measure(text).value!, (forwardAtOrBelow + backward) / 2, accuracy: 1e-9)
        XCTAssertEqual(below.measure(text).value!, (forwardBelow + backward) / 2, accuracy: 1e-9)
    }

    /// The backward pass of the threshold case, walked by hand over x9 … x0, "wa" × 7, w r … w b, w a.
    private func backwardValue(_ words: [String]) -> Double {
        // 10 distinct x's, then "wa" × 6: 11 types in 16 tokens, TTR 0.6875 closes a factor (under ≤ and <).
        // The rest, "wa", w r … w b, "wa": 18 types in 19 tokens, a partial factor (1 − 18/19) / 0.28.
        precondition(words.count == 35)
        return 35 / (1 + (1 - 18.0 / 19.0) / (1 - 0.72))
    }

    func testMcCarthyJarvisIsUndefinedWithoutAFactor() {
        XCTAssertNil(MTLD.mccarthyJarvis.measure("every word here is distinct").value)
        // lexicalrichness falls back to the whole text's TTR (1 → one factor): MTLD = token count.
        XCTAssertEqual(MTLD.lexicalRichness.measure("every word here is distinct").value, 5)
        XCTAssertNil(MTLD.lexicalRichness.measure("").value)
        XCTAssertEqual(MTLD.lexicalDiversity.measure("").value, 0)
    }

    func testShortTextsAreFlaggedNotDropped() {
        let result = MTLD.lexicalRichness.measure("short text with few words")
        XCTAssertTrue(result.isShort)
        XCTAssertEqual(result.flag, "short")
        XCTAssertNotNil(result.value)
        let long = MTLD.lexicalRichness.measure(Array(repeating: "one two three", count: 20).joined(separator: " "))
        XCTAssertFalse(long.isShort)
        XCTAssertNil(long.flag)
    }

    func testWordsTokenization() {
        XCTAssertEqual(MTLDTokenization.words.tokens(of: "Don't re-use ΟΔΟΣ, x86 — “quoted” 3.5 well--known"),
                       ["don't", "re-use", "οδος", "x86", "quoted", "3", "5", "well", "known"])
        XCTAssertEqual(LengthIndicators.words(in: "- bullet *one*\n- two!"), 3)
    }

    func testLexicalRichnessTokenizationQuirks() {
        // Digits and dashes vanish (joining words); punctuation splits; Python's whitespace includes U+001C.
        XCTAssertEqual(MTLDTokenization.lexicalRichness.tokens(of: "Well-known x86 a,b c\u{1C}d ΣΑΣ"),
                       ["wellknown", "x", "a", "b", "c", "d", "σας"])
    }

    func testMeterReuseGivesTheSameValues() {
        let texts = ["the cat sat on the mat", "", "a b c d e f g a b c", String(repeating: "word ", count: 3000)]
        let meter = MTLDMeter(.lexicalRichness)
        for _ in 0..<2 {
            for text in texts { XCTAssertEqual(meter.measure(text), MTLD.lexicalRichness.measure(text)) }
        }
    }
}

extension MTLDVariantTests {
    /// Word counts (lengths) and word tokens (MTLD, McCarthy & Jarvis) follow the same rules, on real texts.
    func testWordCountAgreesWithWordTokens() {
        for record in MTLDFixtureTests.fixture.real + MTLDFixtureTests.fixture.synthetic {
            XCTAssertEqual(LengthIndicators.words(in: record.text), MTLDTokenization.words.tokens(of: record.text).count,
                           record.text.prefix(60).debugDescription)
        }
    }
}
