/// How MTLD splits a text into word tokens. Each case reproduces one package's tokeniser exactly, down to its quirks,
/// because MTLD values are only comparable under the same tokenisation.
public enum MTLDTokenization: String, Codable, Sendable, CaseIterable {
    /// lexicalrichness 0.5.1 (`preprocess` then `tokenize`): Python `str.lower()`; ASCII digits deleted; `-`, `–`, `—`
    /// deleted (so `well-known` is one token, `x86` becomes `x`); every ASCII punctuation character replaced by a space;
    /// split on Python whitespace. Tokens are compared by code points, not canonical equivalence.
    case lexicalRichness
    /// lexical-diversity 0.1.1 `tokenize`: deletes the strings `` `` ``, `''`, `'`, `.`, `,`, `?`, `!`, `)`, `(`,
    /// `%`, `/`, `-`, `_`, `-LRB-`, `-RRB-`, `SYM`, `:`, `;` in that order (case-sensitive, before lower-casing),
    /// collapses whitespace runs to one space, lower-cases and splits on that space, so a leading or trailing space
    /// yields an empty token, which the package counts as a word. Digits and other punctuation stay.
    case lexicalDiversity
    /// The workbench's own words: maximal runs of letters, marks and numbers (Unicode categories L, M, N), joined
    /// across a single apostrophe or hyphen between two such characters (`don't`, `well-known`), lower-cased.
    case words

    /// The tokens of `text`, as strings (for inspection and tests; MTLD itself works on interned ids).
    public func tokens(of text: String) -> [String] {
        if self == .lexicalRichness {
            let spans = TokenSpans()
            LexicalRichnessTokenizer.tokenize(text, into: spans)
            return spans.strings
        }
        let interner = TokenInterner()
        tokenize(text, into: interner)
        return interner.ids.map { String(decoding: interner.bytes(of: $0), as: UTF8.self) }
    }

    func tokenize(_ text: String, into interner: TokenInterner) {
        switch self {
        case .lexicalRichness:
            let spans = TokenSpans()
            LexicalRichnessTokenizer.tokenize(text, into: spans)
            for k in 0..<spans.tokenCount {
                for byte in spans.token(k) { interner.append(byte) }
                interner.finishToken()
            }
        case .lexicalDiversity: Self.lexicalDiversity(text, into: interner)
        case .words: Self.words(text, into: interner)
        }
    }

    // MARK: lexical-diversity

    private static func lexicalDiversity(_ text: String, into interner: TokenInterner) {
        let apostrophe: Unicode.Scalar = "'", backtick: Unicode.Scalar = "`"
        var scalars = removingPairs(of: backtick, from: Array(text.unicodeScalars))
        let deleted: Set<UInt32> = Set([apostrophe, ".", ",", "?", "!", ")", "(", "%", "/", "-", "_"].map(\.value))
        scalars.removeAll { deleted.contains($0.value) }
        scalars = removingOccurrences(of: ["S", "Y", "M"], from: scalars)
        scalars.removeAll { $0 == ":" || $0 == ";" }
        // `re.sub('\s+', ' ', text)`
        var collapsed: [Unicode.Scalar] = []
        collapsed.reserveCapacity(scalars.count)
        for scalar in scalars {
            if PythonText.isWhitespace(scalar.value) {
                if collapsed.last != " " { collapsed.append(" ") }
            } else {
                collapsed.append(scalar)
            }
        }
        // `.lower().split(" ")`: empty strings between separators are tokens too.
        for (index, scalar) in collapsed.enumerated() {
            if scalar == " " {
                interner.finishPossiblyEmptyToken()
                continue
            }
            PythonText.forEachLowercased(scalar, finalSigma: {
                PythonText.isFinalSigma(before: collapsed[..<index].reversed(), after: collapsed[(index + 1)...])
            }, interner.append(scalar:))
        }
        interner.finishPossiblyEmptyToken()
    }

    /// Python's `str.replace(x + x, "")` for one repeated scalar: leftmost, non-overlapping, one pass.
    private static func removingPairs(of scalar: Unicode.Scalar, from scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        removingOccurrences(of: [scalar, scalar], from: scalars)
    }

    /// Python's `str.replace(pattern, "")`: leftmost, non-overlapping, one pass.
    private static func removingOccurrences(of pattern: [Unicode.Scalar], from scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var i = 0
        while i < scalars.count {
            if i + pattern.count <= scalars.count && scalars[i..<(i + pattern.count)].elementsEqual(pattern) {
                i += pattern.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return out
    }

    // MARK: words

    private static func words(_ text: String, into interner: TokenInterner) {
        let scalars = Array(text.unicodeScalars)
        var pendingJoiner: Unicode.Scalar?
        for (index, scalar) in scalars.enumerated() {
            if isWordScalar(scalar) {
                if let joiner = pendingJoiner { interner.append(UInt8(joiner.value)); pendingJoiner = nil }
                PythonText.forEachLowercased(scalar, finalSigma: {
                    PythonText.isFinalSigma(before: scalars[..<index].reversed(), after: scalars[(index + 1)...])
                }, interner.append(scalar:))
            } else if (scalar == "'" || scalar == "-") && interner.isBuildingToken && pendingJoiner == nil {
                pendingJoiner = scalar
            } else if scalar == "\u{2019}" && interner.isBuildingToken && pendingJoiner == nil {
                pendingJoiner = "'"
            } else {
                pendingJoiner = nil
                interner.finishToken()
            }
        }
        interner.finishToken()
    }

    /// The number of ``words`` tokens, without building them (same rules as `words(_:into:)`).
    static func wordCount(_ text: String) -> Int {
        var count = 0, inWord = false
        var pendingJoiner = false
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) {
                inWord = true
                pendingJoiner = false
            } else if (scalar == "'" || scalar == "-" || scalar == "\u{2019}") && inWord && !pendingJoiner {
                pendingJoiner = true
            } else {
                if inWord { count += 1 }
                inWord = false
                pendingJoiner = false
            }
        }
        return inWord ? count + 1 : count
    }

    @inline(__always)
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x80 {
            return (value >= 0x61 && value <= 0x7A) || (value >= 0x41 && value <= 0x5A) || (value >= 0x30 && value <= 0x39)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
