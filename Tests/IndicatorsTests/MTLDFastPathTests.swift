import XCTest
@testable import Indicators

/// The lexicalrichness fast paths (16- and 8-byte blocks, span interning, the paired factor walks) against plain
/// one-scalar-at-a-time references, on texts built to hit every block boundary and fallback.
final class MTLDFastPathTests: XCTestCase {
    /// lexicalrichness 0.5.1's tokeniser written the obvious way: per scalar, Python's `lower()`, delete ASCII digits
    /// and `-`, `–`, `—`, split on Python whitespace and `string.punctuation`.
    static func referenceTokens(_ text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        let punctuation = Set("!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~".unicodeScalars.map(\.value))
        var tokens: [String] = [], current: [UInt8] = []
        func flush() {
            if !current.isEmpty { tokens.append(String(decoding: current, as: UTF8.self)) }
            current = []
        }
        for (index, scalar) in scalars.enumerated() {
            let value = scalar.value
            if (0x30...0x39).contains(value) || value == 0x2D || value == 0x2013 || value == 0x2014 { continue }
            if PythonText.isWhitespace(value) || punctuation.contains(value) { flush(); continue }
            PythonText.forEachLowercased(scalar, finalSigma: {
                PythonText.isFinalSigma(before: scalars[..<index].reversed(), after: scalars[(index + 1)...])
            }, { PythonText.forEachUTF8Byte(of: $0) { current.append($0) } })
        }
        flush()
        return tokens
    }

    /// Texts that put each kind of byte at every offset of a 16-byte block and in the tail.
    static let edgeTexts: [String] = {
        let pieces = ["x86y", "well-known", "1. Item", "2023", "a-", "-b", "café", "ΣΑΣ ", "naïve", "’s", "\u{0}nul\u{0}",
                      "\u{7F}del", "a\u{1C}b", "e—f", "\u{A0}", "İ", "ABCDEFGHIJKLMNOP", "q", " ", "\n\n", "tab\tbed", "🙂x"]
        var texts: [String] = []
        for piece in pieces {
            for pad in 0..<18 {
                texts.append(String(repeating: "ab ", count: pad / 3) + String(repeating: "z", count: pad % 3) + piece + " tail")
                texts.append(String(repeating: "w", count: pad) + piece)
            }
        }
        // Every length through the 8-byte tail and the 16-byte blocks.
        let sentence = "The Cat sat; on the mat, said 42 well-read cats. "
        for length in 0...sentence.utf8.count { texts.append(String(decoding: Array(sentence.utf8.prefix(length)), as: UTF8.self)) }
        // Long tokens: 8, 15, 16, 17 bytes, over 255, and long tokens sharing their first 15 bytes and length.
        texts.append("abcdefgh abcdefghijklmno abcdefghijklmnop abcdefghijklmnopq abcdefghijklmnop abcdefgh")
        texts.append(String(repeating: "n", count: 300) + " " + String(repeating: "n", count: 301) + " " + String(repeating: "n", count: 300))
        texts.append("internationalizations internationalizationz internationalizations internationalizationz")
        texts.append((0..<40).map { "prefixsharedtokens\($0 % 7)x" }.joined(separator: " "))
        return texts
    }()

    func testTokenizerMatchesTheReference() {
        let spans = TokenSpans()
        for text in Self.edgeTexts + MTLDFixtureTests.fixture.real.map(\.text) + MTLDFixtureTests.fixture.synthetic.map(\.text) {
            LexicalRichnessTokenizer.tokenize(text, into: spans)
            XCTAssertEqual(spans.strings, Self.referenceTokens(text), text.prefix(60).debugDescription)
        }
    }

    func testInternerNumbersTypesInOrderOfFirstOccurrence() {
        let spans = TokenSpans(), interner = SpanInterner()
        // Twice, so that the second round reuses the table (generations) after texts of every size.
        for _ in 0..<2 {
            for text in Self.edgeTexts + MTLDFixtureTests.fixture.real.map(\.text) {
                LexicalRichnessTokenizer.tokenize(text, into: spans)
                interner.intern(spans)
                var expected: [String: Int32] = [:], ids: [Int32] = []
                for token in spans.strings {
                    let id = expected[token] ?? Int32(expected.count)
                    expected[token] = id
                    ids.append(id)
                }
                XCTAssertEqual(Array(interner.ids), ids, text.prefix(60).debugDescription)
                XCTAssertEqual(interner.typeCount, expected.count)
            }
        }
    }

    func testASCIIAndNonASCIITextsGiveTheReferenceValues() {
        // The same words with and without non-ASCII bytes (which force the exact byte-by-byte path) have the same
        // MTLD when the non-ASCII characters are separators, and lexicalrichness's value in both cases.
        let ascii = MTLDFixtureTests.fixture.real.filter { !$0.text.unicodeScalars.contains { $0.value > 127 } }.prefix(40)
        let meter = MTLDMeter(.lexicalRichness)
        for record in ascii {
            let spaced = record.text.replacingOccurrences(of: " ", with: "\u{A0}")
            XCTAssertEqual(meter.measure(spaced).value!, record.lexicalrichness.mtld!, accuracy: 1e-9)
            XCTAssertEqual(meter.measure(record.text).value!, record.lexicalrichness.mtld!, accuracy: 1e-9)
        }
    }

    func testFactorWalkSurvivesStampWraparound() {
        // The same ids walked with fresh stamps, and with stamps that wrap around during the first half over a table
        // holding small stale stamps for the ids of the second half (which the stamps after the wrap would meet
        // unless the table is cleared), give the same factors.
        let ids: [Int32] = (0..<600).map { (i: Int) -> Int32 in
            let cycle = (i * 7 + i / 11) % 37
            return Int32(i < 300 ? cycle : cycle + 37)
        }
        let limits = (0...ids.count).map { n -> Int32 in n == 0 ? -1 : Int32((0.72 * Double(n)).rounded(.down)) }
        func walk(after stamp: UInt32, seen initial: [UInt32]) -> (Double, Int, Int32) {
            var seen = initial
            return seen.withUnsafeMutableBufferPointer { seen in
                limits.withUnsafeBufferPointer { limits in
                    var walk = MTLDFactorWalk(lane: 1, after: stamp)
                    walk.start(seen: seen.baseAddress!, tableTypes: 74)
                    for id in ids { walk.add(id, seen: seen.baseAddress!, closingTypes: limits.baseAddress!, tableTypes: 74) }
                    return (walk.factors, walk.segmentTokens, walk.segmentTypes)
                }
            }
        }
        let fresh = walk(after: 0, seen: [UInt32](repeating: 0, count: 2 * 74))
        let wrapping = walk(after: UInt32.max - 3, seen: (0..<(2 * 74)).map { UInt32($0 % 5 + 1) })
        XCTAssertEqual(fresh.0, 10)  // the stamps wrap at the third factor, within the first half
        XCTAssertEqual(fresh.0, wrapping.0)
        XCTAssertEqual(fresh.1, wrapping.1)
        XCTAssertEqual(fresh.2, wrapping.2)
    }

    func testBlocksWithoutLowercaseMappingsAreExact() {
        var wrong: [UInt32] = []
        for value in UInt32(0x80)...0x10FFFF where PythonText.hasNoLowercase(value) {
            if let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased { wrong.append(value) }
        }
        XCTAssertEqual(wrong, [])
    }
}
