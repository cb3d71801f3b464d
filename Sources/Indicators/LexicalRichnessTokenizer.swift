/// lexicalrichness 0.5.1's tokeniser, exactly, at memory speed: the MTLD benchmark's hot loop.
///
/// lexicalrichness lower-cases the text (`str.lower()`), deletes ASCII digits and `-`, `–`, `—`, turns every
/// `string.punctuation` character into a space and splits on Python whitespace. This does the same in one pass
/// over the UTF-8 bytes, in two phases so the per-byte loop has no unpredictable branch: phase 1 copies the kept,
/// lower-cased bytes into a scratch buffer and notes where each token ends (writes are unconditional, counters
/// advance by 0 or 1); phase 2 interns the tokens. Non-ASCII scalars take a slower, exact path.
enum LexicalRichnessTokenizer {
    /// Per ASCII byte: the byte it becomes (low 8 bits), or ``dropped`` (digits, `-`) or ``separator``.
    private static let dropped: UInt16 = 0x100, separator: UInt16 = 0x200

    private static let table: [UInt16] = (0..<128).map { code -> UInt16 in
        let byte = UInt8(code)
        if byte >= 0x41 && byte <= 0x5A { return UInt16(byte | 0x20) }
        if (byte >= 0x30 && byte <= 0x39) || byte == 0x2D { return dropped }
        if PythonText.isWhitespace(UInt32(byte)) { return separator }
        if Array("!\"#$%&'()*+,./:;<=>?@[\\]^_`{|}~".utf8).contains(byte) { return separator }
        return UInt16(byte)
    }

    static func tokenize(_ text: String, into interner: TokenInterner) {
        var text = text
        text.withUTF8 { bytes in
            let count = bytes.count
            // Lower-casing grows a scalar's UTF-8 by less than 3x; 16 spare bytes for 8-byte-wide reads.
            let (scratch, ends) = interner.scratch(bytes: count * 3 + 16, ints: count + 2)
            // `inToken` is 1 once the current token has a byte: a separator then ends it.
            var length = 0, endCount = 0, inToken = 0
            table.withUnsafeBufferPointer { table in
                var offset = 0
                while offset < count {
                    let byte = bytes[offset]
                    if byte < 0x80 {
                        let mapped = table[Int(byte)]
                        let kept = mapped < dropped ? 1 : 0, isSeparator = Int(truncatingIfNeeded: mapped &>> 9)
                        scratch[length] = UInt8(truncatingIfNeeded: mapped)
                        ends[endCount] = length
                        endCount &+= isSeparator & inToken
                        inToken = (inToken | kept) & (isSeparator ^ 1)
                        length &+= kept
                        offset &+= 1
                        continue
                    }
                    let (scalar, scalarLength) = PythonText.decode(bytes, at: offset)
                    if PythonText.isWhitespace(scalar.value) {
                        if inToken != 0 { ends[endCount] = length; endCount += 1; inToken = 0 }
                    } else if scalar.value != 0x2013 && scalar.value != 0x2014 {
                        let here = offset
                        PythonText.forEachLowercased(scalar, finalSigma: {
                            PythonText.isFinalSigma(
                                before: String(decoding: UnsafeBufferPointer(rebasing: bytes[..<here]), as: UTF8.self).unicodeScalars.reversed(),
                                after: String(decoding: UnsafeBufferPointer(rebasing: bytes[(here + scalarLength)...]), as: UTF8.self).unicodeScalars)
                        }, { value in
                            PythonText.forEachUTF8Byte(of: value) { scratch[length] = $0; length += 1 }
                            inToken = 1
                        })
                    }
                    offset += scalarLength
                }
            }
            if inToken != 0 { ends[endCount] = length; endCount += 1 }
            var start = 0
            for k in 0..<endCount {
                let end = ends[k]
                interner.intern(scratch + start, count: end - start)
                start = end
            }
        }
    }
}
