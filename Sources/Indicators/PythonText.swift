/// Python 3's notion of whitespace and lower case, reproduced so that tokenisers can match Python packages exactly.
///
/// Reference packages (lexicalrichness, lexical-diversity) tokenise with `str.lower()`, `str.split()` and `\s`.
/// Swift's `Character.isWhitespace` and `String.lowercased()` differ from those at the edges (U+001C–U+001F count as
/// whitespace in Python; Python lower-cases a capital sigma to `ς` at the end of a word), and Swift compares strings
/// by canonical equivalence where Python compares code points. Tokenisers therefore work on scalars through this
/// type and compare tokens by their UTF-8 bytes.
enum PythonText {
    /// `str.isspace()` / `str.split()` / `re` `\s`: characters of bidirectional type WS, B or S, or category Zs.
    @inline(__always)
    static func isWhitespace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Calls `body` with each scalar value of `str.lower()` applied to one scalar. `finalSigma` answers whether a
    /// capital sigma at this place is word-final; it is only called for U+03A3, so it may be slow.
    @inline(__always)
    static func forEachLowercased(_ scalar: Unicode.Scalar, finalSigma: () -> Bool, _ body: (UInt32) -> Void) {
        let value = scalar.value
        if value < 0x80 {
            body(value >= 0x41 && value <= 0x5A ? value | 0x20 : value)
        } else if value == 0x03A3 {
            body(finalSigma() ? 0x03C2 : 0x03C3)
        } else if !hasNoLowercase(value) && scalar.properties.changesWhenLowercased {
            for mapped in scalar.properties.lowercaseMapping.unicodeScalars { body(mapped.value) }
        } else {
            body(value)
        }
    }

    /// Blocks with no lower-case mapping at all, common in real text (typographic punctuation, arrows and symbols,
    /// CJK, Hangul, emoji), decided without the Unicode property lookup. Tested exhaustively against the stdlib.
    @inline(__always)
    static func hasNoLowercase(_ value: UInt32) -> Bool {
        switch value {
        case 0xA0...0xBF, 0x2000...0x20FF, 0x2190...0x24B5, 0x2500...0x2BFF, 0x3000...0x9FFF, 0xAC00...0xD7A3,
             0x1F300...0x1FAFF:
            return true
        default:
            return false
        }
    }

    /// Python's Final_Sigma rule: `\p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})`.
    /// `before` yields the scalars preceding the sigma nearest first; `after` those following it in order.
    static func isFinalSigma<Before: Sequence, After: Sequence>(before: Before, after: After) -> Bool
    where Before.Element == Unicode.Scalar, After.Element == Unicode.Scalar {
        var precededByCased = false
        for scalar in before where !scalar.properties.isCaseIgnorable {
            precededByCased = scalar.properties.isCased
            break
        }
        guard precededByCased else { return false }
        for scalar in after where !scalar.properties.isCaseIgnorable {
            return !scalar.properties.isCased
        }
        return true
    }

    @inline(__always)
    static func forEachUTF8Byte(of value: UInt32, _ body: (UInt8) -> Void) {
        switch value {
        case 0..<0x80:
            body(UInt8(value))
        case 0x80..<0x800:
            body(UInt8(0xC0 | (value >> 6)))
            body(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            body(UInt8(0xE0 | (value >> 12)))
            body(UInt8(0x80 | ((value >> 6) & 0x3F)))
            body(UInt8(0x80 | (value & 0x3F)))
        default:
            body(UInt8(0xF0 | (value >> 18)))
            body(UInt8(0x80 | ((value >> 12) & 0x3F)))
            body(UInt8(0x80 | ((value >> 6) & 0x3F)))
            body(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// Decodes the scalar starting at `offset` of valid UTF-8 and returns it with its byte length.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[offset])
        let value: UInt32
        let length: Int
        if lead < 0x80 {
            return (Unicode.Scalar(UInt8(lead)), 1)
        } else if lead < 0xE0 {
            value = (lead & 0x1F) << 6 | UInt32(bytes[offset + 1] & 0x3F)
            length = 2
        } else if lead < 0xF0 {
            value = (lead & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6 | UInt32(bytes[offset + 2] & 0x3F)
            length = 3
        } else {
            value = (lead & 0x07) << 18 | UInt32(bytes[offset + 1] & 0x3F) << 12
                | UInt32(bytes[offset + 2] & 0x3F) << 6 | UInt32(bytes[offset + 3] & 0x3F)
            length = 4
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", length)
    }
}
