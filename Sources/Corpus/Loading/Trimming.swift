extension String {
    /// Leading and trailing white space removed (see ``LoadPolicy``): Unicode White_Space plus the information
    /// separators U+001C–U+001F, the set Python's `str.strip()` uses, so ids match the reference scripts.
    var trimmed: String {
        let scalars = unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value) }
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0) })!
        return String(scalars[first...last])
    }
}
