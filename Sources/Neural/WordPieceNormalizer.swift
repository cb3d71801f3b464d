import Foundation

/// BERT's text normaliser and pre-tokeniser for uncased models, as Hugging Face's fast `BertNormalizer` and
/// `BertPreTokenizer` define them (the tokenizer sentence-transformers runs):
///
/// 1. clean: drop NUL, U+FFFD and control/format characters (Unicode category C*, except tab, newline and carriage
///    return), and turn every whitespace character (`White_Space`) into a space;
/// 2. put spaces around CJK ideographs, so each becomes its own word;
/// 3. strip accents: canonical decomposition (NFD), then drop non-spacing marks (Mn);
/// 4. lower-case each character on its own with full Unicode mappings (`İ` → `i̇`; `Σ` → `σ` even word-final,
///    because the fast tokenizer maps characters without context);
/// 5. split on whitespace and isolate every punctuation character (ASCII punctuation or Unicode category P*).
///
/// The order matters: accents are stripped before lower-casing, exactly as the fast tokenizer does it.
public enum WordPieceNormalizer {
    /// The words of `text` after normalisation and pre-tokenisation, each as Unicode scalars.
    public static func words(_ text: String) -> [[Unicode.Scalar]] {
        let lowered = lowercase(stripAccents(spaceCJK(clean(text))))
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in lowered {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
            } else if isPunctuation(scalar) {
                if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    static func clean(_ text: String) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            out.append(isWhitespace(scalar) ? " " : scalar)
        }
        return out
    }

    static func spaceCJK(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains(where: isCJK) else { return scalars }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count + 16)
        for scalar in scalars {
            if isCJK(scalar) { out.append(" "); out.append(scalar); out.append(" ") } else { out.append(scalar) }
        }
        return out
    }

    static func stripAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        // ASCII needs no decomposition; most texts are pure ASCII, so skip Foundation's NFD for them.
        if scalars.allSatisfy({ $0.isASCII }) { return scalars }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        let decomposed = String(text).decomposedStringWithCanonicalMapping
        return decomposed.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
    }

    static func lowercase(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        for scalar in scalars {
            if scalar.isASCII {
                out.append(scalar.value >= 65 && scalar.value <= 90 ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: return true
        default: return false
        }
    }

    /// The CJK Unified Ideograph blocks BERT isolates (not Hangul, Hiragana or Katakana).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F: return true
        default: return false
        }
    }
}
