import Foundation

/// The lines of a Swift file that are code (see main.swift for what is left out).
enum CodeLines {
    static func of(_ text: String) -> [String] {
        var lines: [String] = []
        var inMultilineString = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if inMultilineString {
                lines.append(String(raw))
            } else if !line.isEmpty, !line.hasPrefix("//") {
                lines.append(line)
            }
            // A line with an odd number of `"""` opens or closes a multi-line string literal.
            if raw.components(separatedBy: "\"\"\"").count % 2 == 0 { inMultilineString.toggle() }
        }
        return lines
    }
}
