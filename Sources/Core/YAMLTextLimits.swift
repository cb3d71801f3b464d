/// Limits a YAML text must respect before it reaches the YAML parser, so that no file can exhaust memory or the
/// parser's stack: a size cap, a cap on how deeply `[` and `{` may nest, and no anchors or aliases (an alias
/// "bomb" of a few lines expands to billions of values; the YAML library keeps no trace of them to check later).
///
/// The YAML library builds nested collections by recursion, one stack frame per level; a few megabytes of `[`
/// would overflow the stack and abort the process. Block nesting needs growing indentation, so within the size
/// cap it stays shallow; flow nesting does not, hence the scan. The scan skips quoted strings and comments; a
/// bracket inside a plain scalar (`title: a[1]`) is counted too, which only errs towards refusing absurd input.
public enum YAMLTextLimits {
    /// Deepest flow nesting accepted (a profile or cell needs two or three levels).
    public static let maxFlowDepth = 64

    /// Throws an ``InputError`` naming `file` (and the line, offset by `lineOffset`) when `text` is over
    /// `maxBytes` or nests flow collections deeper than ``maxFlowDepth``.
    public static func check(_ text: String, file: String, maxBytes: Int, lineOffset: Int = 0) throws {
        let bytes = text.utf8
        guard bytes.count <= maxBytes else {
            throw InputError(file: file, "\(bytes.count) bytes of YAML; at most \(maxBytes) are accepted here")
        }
        var depth = 0
        var line = 1
        var quote: UInt8?  // the quote character of the quoted scalar we are in
        var comment = false
        var previous: UInt8 = 0x0A
        let text = Array(bytes)
        for (index, byte) in text.enumerated() {
            defer { previous = byte }
            if byte == 0x0A { line += 1; comment = false; continue }
            if comment { continue }
            if let open = quote {
                if byte == open && !(open == 0x22 && previous == 0x5C) { quote = nil }  // a closing quote, not \"
                continue
            }
            let separated = [0x20, 0x09, 0x0A, 0x5B, 0x7B, 0x2C, 0x3A, 0x2D].contains(previous)  // space [ { , : -
            switch byte {
            case 0x23 where previous == 0x20 || previous == 0x09 || previous == 0x0A: comment = true  // '#'
            case 0x22 where separated, 0x27 where separated: quote = byte  // a quote that opens a scalar
            case 0x26 where separated, 0x2A where separated:  // '&' or '*' starting a token: an anchor or an alias
                let next = index + 1 < text.count ? text[index + 1] : 0x20
                if ![0x20, 0x09, 0x0A, 0x0D, 0x2C, 0x5D, 0x7D].contains(next) {
                    // An alias expands to a copy of its anchor's value: a few lines can stand for billions of values.
                    throw InputError(file: file, line: line + lineOffset,
                                     "YAML anchors and aliases (&name, *name) are not supported here; write the value out (quote text that starts with & or *)")
                }
            case 0x5B, 0x7B:  // '[' '{'
                depth += 1
                if depth > maxFlowDepth {
                    throw InputError(file: file, line: line + lineOffset, "YAML nested more than \(maxFlowDepth) levels deep")
                }
            case 0x5D, 0x7D: depth = max(0, depth - 1)  // ']' '}'
            default: break
            }
        }
    }
}
