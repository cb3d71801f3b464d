import Foundation

/// A small Markdown-to-HTML converter for notebook prose and step text: headings, paragraphs, lists, block
/// quotes, fenced code, pipe tables, and inline code, bold, italics, links and images. Enough for notebooks;
/// anything it does not know is shown as text, never dropped.
enum MarkdownHTML {
    static func convert(_ markdown: String) -> String {
        var html: [String] = []
        let lines = markdown.components(separatedBy: "\n")
        var paragraph: [String] = []
        var index = 0
        func flushParagraph() {
            if !paragraph.isEmpty { html.append("<p>" + inline(paragraph.joined(separator: "\n")) + "</p>"); paragraph = [] }
        }
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let mark = trimmed.first, mark == "`" || mark == "~", trimmed.prefix(while: { $0 == mark }).count >= 3 {
                flushParagraph()
                let fence = String(trimmed.prefix(while: { $0 == mark }))
                let language = String(trimmed.dropFirst(fence.count)).trimmingCharacters(in: .whitespaces)
                var code: [String] = []
                index += 1
                while index < lines.count, !lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(fence) {
                    code.append(lines[index]); index += 1
                }
                index += 1
                let cls = language.isEmpty ? "" : " class=\"language-\(escape(language))\""
                html.append("<pre><code\(cls)>" + escape(code.joined(separator: "\n")) + "</code></pre>")
                continue
            }
            if trimmed.isEmpty { flushParagraph(); index += 1; continue }
            if let level = headingLevel(trimmed) {
                flushParagraph()
                let text = trimmed.dropFirst(level).trimmingCharacters(in: .whitespaces)
                html.append("<h\(level)>\(inline(text))</h\(level)>")
                index += 1
                continue
            }
            if trimmed.hasPrefix(">") {
                flushParagraph()
                var quoted: [String] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix(">") {
                    quoted.append(String(lines[index].trimmingCharacters(in: .whitespaces).dropFirst()).trimmingCharacters(in: .whitespaces))
                    index += 1
                }
                html.append("<blockquote>" + convert(quoted.joined(separator: "\n")) + "</blockquote>")
                continue
            }
            if trimmed.hasPrefix("|"), index + 1 < lines.count, isTableRule(lines[index + 1]) {
                flushParagraph()
                let header = cells(trimmed)
                index += 2
                var rows: [[String]] = []
                while index < lines.count, lines[index].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
                    rows.append(cells(lines[index].trimmingCharacters(in: .whitespaces))); index += 1
                }
                html.append(table(header: header.map(inline), rows: rows.map { $0.map(inline) }))
                continue
            }
            if let marker = listMarker(trimmed) {
                flushParagraph()
                let ordered = marker.ordered
                var items: [String] = []
                while index < lines.count, let item = listMarker(lines[index].trimmingCharacters(in: .whitespaces)), item.ordered == ordered {
                    var text = item.text
                    index += 1
                    // Indented continuation lines belong to the item.
                    while index < lines.count, lines[index].hasPrefix("  "), listMarker(lines[index].trimmingCharacters(in: .whitespaces)) == nil,
                          !lines[index].trimmingCharacters(in: .whitespaces).isEmpty {
                        text += " " + lines[index].trimmingCharacters(in: .whitespaces); index += 1
                    }
                    items.append("<li>" + inline(text) + "</li>")
                }
                let tag = ordered ? "ol" : "ul"
                html.append("<\(tag)>" + items.joined() + "</\(tag)>")
                continue
            }
            paragraph.append(trimmed)
            index += 1
        }
        flushParagraph()
        return html.joined(separator: "\n")
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var out = "<table><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows { out += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>" }
        return out + "</tbody></table>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Inline markup on escaped text: `code` first (its content is literal), then images, links, bold, italics.
    static func inline(_ text: String) -> String {
        var pieces: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "`") {
            let after = rest.index(after: open)
            guard let close = rest[after...].firstIndex(of: "`") else { break }
            pieces.append(emphasis(escape(String(rest[..<open]))))
            pieces.append("<code>" + escape(String(rest[after..<close])) + "</code>")
            rest = rest[rest.index(after: close)...]
        }
        pieces.append(emphasis(escape(String(rest))))
        return pieces.joined()
    }

    private static func emphasis(_ escaped: String) -> String {
        var s = escaped
        s = s.replacingOccurrences(of: #"!\[([^\]]*)\]\(([^)\s]+)\)"#, with: "<img alt=\"$1\" src=\"$2\">", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\[([^\]]+)\]\(([^)\s]+)\)"#, with: "<a href=\"$2\">$1</a>", options: .regularExpression)
        s = s.replacingOccurrences(of: #"\*\*([^*]+)\*\*"#, with: "<strong>$1</strong>", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?<![\w*])\*([^*\s][^*]*)\*(?![\w*])"#, with: "<em>$1</em>", options: .regularExpression)
        s = s.replacingOccurrences(of: #"(?<!\w)_([^_\s][^_]*)_(?!\w)"#, with: "<em>$1</em>", options: .regularExpression)
        return s
    }

    private static func headingLevel(_ line: String) -> Int? {
        let hashes = line.prefix(while: { $0 == "#" }).count
        guard (1...6).contains(hashes), line.count == hashes || line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func listMarker(_ line: String) -> (ordered: Bool, text: String)? {
        for bullet in ["- ", "* ", "+ "] where line.hasPrefix(bullet) { return (false, String(line.dropFirst(2))) }
        let digits = line.prefix(while: \.isNumber)
        if !digits.isEmpty, line.dropFirst(digits.count).hasPrefix(". ") {
            return (true, String(line.dropFirst(digits.count + 2)))
        }
        return nil
    }

    private static func isTableRule(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.hasPrefix("|") && trimmed.contains("-") && trimmed.allSatisfy { "|-: ".contains($0) }
    }

    private static func cells(_ row: String) -> [String] {
        var inner = row
        if inner.hasPrefix("|") { inner.removeFirst() }
        if inner.hasSuffix("|") { inner.removeLast() }
        return inner.components(separatedBy: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
