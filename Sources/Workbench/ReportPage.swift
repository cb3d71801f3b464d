import Foundation

/// One self-contained HTML page from Markdown (for reports written beside a command's output, such as
/// `imine mine`'s): every `![title](name.svg)` image found in `folder` is embedded as a data URI, so the page can be
/// mailed or archived alone.
public enum ReportPage {
    public static func html(title: String, markdown: String, folder: URL) -> String {
        // Every piece after a `src="` starts with the image's name up to the closing quote.
        var pieces = MarkdownHTML.convert(markdown).components(separatedBy: "src=\"")
        for i in pieces.indices.dropFirst() {
            guard let end = pieces[i].firstIndex(of: "\"") else { continue }
            let name = String(pieces[i][..<end])
            guard name.hasSuffix(".svg"), !name.contains("/"), let svg = try? Data(contentsOf: folder.appendingPathComponent(name)) else { continue }
            pieces[i] = "data:image/svg+xml;base64," + svg.base64EncodedString() + pieces[i][end...]
        }
        let body = pieces.joined(separator: "src=\"")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(MarkdownHTML.escape(title))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
            pre{background:#f6f8fa;padding:.6rem;overflow-x:auto;white-space:pre-wrap} code{font-size:.9em}
            table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
            img{max-width:100%}
            </style></head><body>
            \(body)
            </body></html>

            """
    }
}
