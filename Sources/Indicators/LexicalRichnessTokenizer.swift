/// lexicalrichness 0.5.1's tokeniser, exactly, at memory speed: the MTLD benchmark's hot loop.
///
/// lexicalrichness lower-cases the text (`str.lower()`), deletes ASCII digits and `-`, `–`, `—`, turns every
/// `string.punctuation` character into a space and splits on Python whitespace. This does the same in one pass over
/// the UTF-8 bytes, writing the tokens' lower-cased bytes and their boundaries into ``TokenSpans``.
///
/// Most of any English text is letters, spaces, newlines and punctuation. 16 such bytes are classified at once with
/// vector compares, copied lower-cased in one store, and their token boundaries read off a bit mask and a table, with
/// no branch per byte or per token (8 at once, as a 64-bit word, near the end of the text). A block holding anything
/// else (a digit or `-` that joins letters, a control character, a non-ASCII scalar) takes the exact byte-by-byte
/// path, which also does Python's lower-casing of non-ASCII text.
enum LexicalRichnessTokenizer {
    /// Tokenises `text` into `spans`, replacing what they held.
    static func tokenize(_ text: String, into spans: TokenSpans) {
        var text = text
        text.withUTF8 { tokenize($0, into: spans) }
    }

    static func tokenize(_ text: UnsafeBufferPointer<UInt8>, into spans: TokenSpans) {
        let count = text.count
        // Lower-casing grows a scalar's UTF-8 by less than 3x; the fast paths write 16 bytes and 8 bounds at a time.
        spans.prepare(byteCapacity: count * 3 + 16, boundCapacity: count + 16)
        guard let input = text.baseAddress, count > 0 else { return spans.finish(byteCount: 0, boundCount: 0) }
        let out = spans.bytePointer
        var length = 0, offset = 0
        var bounds = BoundaryWriter(bounds: spans.boundPointer, tables: spans.boundaryTables)
        while offset < count {
            if offset &+ 16 <= count, let letters = SimpleBytes.blockLetters(input + offset, afterLetter: bounds.carry) {
                SimpleBytes.storeLowercased16(input + offset, to: out + length)
                bounds.add(letters: letters, of: 16, at: length)
                length &+= 16
                offset &+= 16
                continue
            }
            // 8 bytes; the last few of the text padded with spaces, which only end a token, as its end does.
            let word = offset &+ 8 <= count
                ? UInt64(littleEndian: UnsafeRawPointer(input + offset).loadUnaligned(as: UInt64.self))
                : SimpleBytes.paddedTail(input + offset, count: count &- offset)
            if let letters = SimpleBytes.wordLetters(word, afterLetter: bounds.carry) {
                UnsafeMutableRawPointer(out + length).storeBytes(of: (word | 0x2020_2020_2020_2020).littleEndian, as: UInt64.self)
                bounds.add(letters: letters, of: 8, at: length)
                length &+= 8
                offset &+= 8
                continue
            }
            // At least the 8 bytes the fast paths refused, one scalar at a time.
            let stop = min(offset + 8, count)
            while offset < stop {
                offset = exactStep(text, at: offset, out: out, length: &length, bounds: &bounds)
            }
        }
        if bounds.carry != 0 { bounds.add(length) }
        spans.finish(byteCount: length, boundCount: bounds.count)
    }

    /// Tokenises the one scalar at `offset` exactly; returns the offset after it.
    @inline(__always)
    private static func exactStep(_ text: UnsafeBufferPointer<UInt8>, at offset: Int, out: UnsafeMutablePointer<UInt8>,
                                  length: inout Int, bounds: inout BoundaryWriter) -> Int {
        let byte = text[offset]
        if byte < 0x80 {
            let kind = asciiKind(byte)
            if kind == .kept {
                if bounds.carry == 0 { bounds.add(length) }
                out[length] = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                length += 1
            } else if kind == .separator && bounds.carry != 0 {
                bounds.add(length)
            }
            return offset + 1
        }
        let (scalar, scalarLength) = PythonText.decode(text, at: offset)
        if PythonText.isWhitespace(scalar.value) {
            if bounds.carry != 0 { bounds.add(length) }
        } else if scalar.value != 0x2013 && scalar.value != 0x2014 {
            if bounds.carry == 0 { bounds.add(length) }
            PythonText.forEachLowercased(scalar, finalSigma: {
                PythonText.isFinalSigma(
                    before: String(decoding: UnsafeBufferPointer(rebasing: text[..<offset]), as: UTF8.self).unicodeScalars.reversed(),
                    after: String(decoding: UnsafeBufferPointer(rebasing: text[(offset + scalarLength)...]), as: UTF8.self).unicodeScalars)
            }, { value in
                PythonText.forEachUTF8Byte(of: value) { out[length] = $0; length += 1 }
            })
        }
        return offset + scalarLength
    }

    private enum Kind: UInt8 { case kept, deleted, separator }

    /// What lexicalrichness does with an ASCII byte: digits and `-` are deleted, whitespace and `string.punctuation`
    /// separate tokens, the rest (letters, control characters) is kept.
    private static func asciiKind(_ byte: UInt8) -> Kind {
        switch byte {
        case 0x30...0x39, 0x2D: return .deleted
        case 0x09...0x0D, 0x1C...0x20, 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: return .separator
        default: return .kept
        }
    }
}
