/// Splits text into the chunks that byte-pair merges may not cross, GPT-2 style: a run of letters, of digits, or of
/// other symbols, each with at most one leading space, and runs of whitespace. A whitespace run followed by a word
/// leaves its last space to that word (" the" is one chunk, not " " + "the"). Concatenating the chunks gives the
/// text back exactly, which is what makes encode/decode a round trip.
enum PreTokenizer {
    enum Kind { case letter, number, space, other }

    /// ASCII classes from a table: the Unicode property look-up is the pre-tokenizer's main cost otherwise.
    private static let asciiKinds: [Kind] = (0..<128).map { unicodeKind(Unicode.Scalar(UInt8($0))) }

    @inline(__always)
    static func kind(_ scalar: Unicode.Scalar) -> Kind {
        scalar.value < 128 ? asciiKinds[Int(scalar.value)] : unicodeKind(scalar)
    }

    static func unicodeKind(_ scalar: Unicode.Scalar) -> Kind {
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        if properties.isAlphabetic { return .letter }
        if properties.numericType != nil { return .number }
        return .other
    }

    /// The chunks of `text` as UTF-8 byte arrays, in order.
    static func chunks(_ text: String) -> [[UInt8]] {
        let scalars = Array(text.unicodeScalars)
        let kinds = scalars.map(kind)
        var chunks: [[UInt8]] = []
        var i = 0
        func bytes(_ range: Range<Int>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(range.count)
            for s in scalars[range] { out.append(contentsOf: String(s).utf8) }
            return out
        }
        while i < scalars.count {
            let start = i
            if kinds[i] == .space {
                var end = i
                while end < scalars.count && kinds[end] == .space { end += 1 }
                // Leave a final plain space to the word after the run.
                if end < scalars.count && scalars[end - 1] == " " && end - 1 > start {
                    chunks.append(bytes(start..<(end - 1)))
                    i = end - 1
                    continue
                }
                if end < scalars.count && scalars[end - 1] == " " && end - 1 == start {
                    i = start + 1  // the lone space leads the next chunk
                    let k = kinds[i]
                    var j = i
                    while j < scalars.count && kinds[j] == k { j += 1 }
                    chunks.append(bytes(start..<j))
                    i = j
                    continue
                }
                chunks.append(bytes(start..<end))
                i = end
                continue
            }
            let k = kinds[i]
            var j = i
            while j < scalars.count && kinds[j] == k { j += 1 }
            chunks.append(bytes(start..<j))
            i = j
        }
        return chunks
    }
}
