import Core
import Foundation
import Store

/// Writes a run's rendered notebook: `out/<notebook>/<notebook>.md` (reads well on a code-hosting site, figures
/// linked as PNG) and a self-contained `.html` (figures inlined as SVG data), each with the notebook's prose, every
/// cell's source, tables, figures and text, and a provenance block at the end.
struct NotebookRenderer {
    let store: Store
    let paths: WorkbenchPaths
    let log: (String) -> Void

    /// One cell as rendered: its result (nil if it did not finish in this run) and where its figures are.
    private struct Rendered {
        var cell: Notebook.Cell
        var record: CellRecord?
        var report: CellReport?
        var status: Provenance.Cell?
        var figures: [(spec: FigureSpec, folder: URL)] = []
    }

    func render(_ notebook: Notebook, records: [String: CellRecord], provenance: Provenance) throws -> [URL] {
        let figures = Figures(store: store, paths: paths)
        let run = "profile \(provenance.profile), commit \(provenance.gitCommit)"
            + (provenance.gitDirty == true ? " with uncommitted changes" : provenance.gitDirty == false ? " (clean)" : "")
        var usedNames: [String: String] = [:]
        var rendered: [Rendered] = []
        for cell in notebook.cells {
            let record = records["\(notebook.name)/\(cell.id)"]
            var item = Rendered(cell: cell, record: record, report: nil, status: provenance.cells.first { $0.id == cell.id })
            if let record, let digest = record.reportDigest {
                let report = try store.json(CellReport.self, digest: digest)
                item.report = report
                for var spec in report.figures {
                    if let owner = usedNames[spec.name] {
                        log("! figure name '\(spec.name)' of cell '\(cell.id)' is already used by cell '\(owner)'; drawn as '\(cell.id)-\(spec.name)'")
                        spec.name = "\(cell.id)-\(spec.name)"
                    }
                    usedNames[spec.name] = cell.id
                    do {
                        item.figures.append((spec, try figures.draw(spec, notebook: notebook.name, cellID: cell.id, run: run)))
                    } catch {
                        log("! figure '\(spec.name)' of cell '\(cell.id)' not drawn: \(error)")
                    }
                }
            }
            rendered.append(item)
        }
        let folder = paths.out.appendingPathComponent(notebook.name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let markdownURL = folder.appendingPathComponent("\(notebook.name).md")
        let htmlURL = folder.appendingPathComponent("\(notebook.name).html")
        try Data(markdown(notebook, rendered, provenance, outFolder: folder).utf8).write(to: markdownURL, options: .atomic)
        try Data(html(notebook, rendered, provenance).utf8).write(to: htmlURL, options: .atomic)
        return [markdownURL, htmlURL]
    }

    private func cellHeader(_ item: Rendered) -> String {
        guard let status = item.status else { return "not run" }
        var parts = ["step `\(status.step)` v\(status.version)", status.status]
        if let seconds = status.durationSeconds { parts.append(String(format: "%.2f s", seconds)) }
        if let digest = item.record?.outputDigest { parts.append("output `\(digest.prefix(12))`") }
        if let error = status.error { parts.append("error: \(error)") }
        return parts.joined(separator: " · ")
    }

    private func markdown(_ notebook: Notebook, _ rendered: [Rendered], _ provenance: Provenance, outFolder: URL) -> String {
        var out = "<!-- Rendered by imine from \(notebook.file); edit the notebook, not this file. -->\n"
        for block in notebook.blocks {
            switch block {
            case .prose(let text): out += text + "\n"
            case .cell(let index):
                let item = rendered[index]
                out += "```yaml\n\(item.cell.source)\n```\n\n> **\(item.cell.id)** · \(cellHeader(item))\n\n"
                for table in item.report?.tables ?? [] {
                    out += "**\(table.title)**\n\n| " + table.columns.joined(separator: " | ") + " |\n|"
                    out += String(repeating: " --- |", count: table.columns.count) + "\n"
                    for row in table.rows { out += "| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |\n" }
                    if let note = table.note { out += "\n_\(note)_\n" }
                    out += "\n"
                }
                for (spec, folder) in item.figures {
                    let link = relativePath(from: outFolder, to: folder)
                    out += "![\(spec.title)](\(link)/\(spec.name).png)\n\n"
                }
                for text in item.report?.text ?? [] { out += text + "\n\n" }
            }
        }
        out += "\n---\n\n## Provenance\n\n| | |\n| --- | --- |\n"
        for (key, value) in provenanceRows(provenance) { out += "| \(key) | \(value) |\n" }
        out += "\n| cell | step | status | seconds | cache key |\n| --- | --- | --- | --- | --- |\n"
        for cell in provenance.cells {
            let seconds = cell.durationSeconds.map { String(format: "%.2f", $0) } ?? ""
            out += "| \(cell.id) | \(cell.step) v\(cell.version) | \(cell.status) | \(seconds) | `\(cell.cacheKey?.prefix(12) ?? "")` |\n"
        }
        return out
    }

    private func provenanceRows(_ p: Provenance) -> [(String, String)] {
        var rows = [
            ("git commit", "`\(p.gitCommit)`" + (p.gitDirty == true ? " (uncommitted changes)" : p.gitDirty == false ? " (clean)" : "")),
            ("profile", "\(p.profile) (`\(p.profileDigest.prefix(12))`)"),
            ("seed", "\(p.seed)"),
            ("host", "\(p.host), \(p.os)"),
            ("started", p.startedAt),
            ("finished", p.finishedAt ?? ""),
        ]
        rows += p.versions.keys.sorted().map { ("version: \($0)", p.versions[$0]!) }
        rows += p.modelHashes.keys.sorted().map { ("model: \($0)", "`\(p.modelHashes[$0]!)`") }
        return rows
    }

    private func html(_ notebook: Notebook, _ rendered: [Rendered], _ provenance: Provenance) -> String {
        var body: [String] = []
        for block in notebook.blocks {
            switch block {
            case .prose(let text): body.append(MarkdownHTML.convert(text))
            case .cell(let index):
                let item = rendered[index]
                var cell = "<section class=\"cell\"><pre class=\"source\"><code>\(MarkdownHTML.escape(item.cell.source))</code></pre>"
                cell += "<p class=\"meta\"><strong>\(MarkdownHTML.escape(item.cell.id))</strong> · \(MarkdownHTML.inline(cellHeader(item)))</p>"
                for table in item.report?.tables ?? [] {
                    cell += "<h4>\(MarkdownHTML.escape(table.title))</h4>"
                    cell += MarkdownHTML.table(header: table.columns.map(MarkdownHTML.escape), rows: table.rows.map { $0.map(MarkdownHTML.escape) })
                    if let note = table.note { cell += "<p class=\"note\">\(MarkdownHTML.inline(note))</p>" }
                }
                for (spec, folder) in item.figures {
                    let svg = (try? Data(contentsOf: folder.appendingPathComponent("\(spec.name).svg")))?.base64EncodedString() ?? ""
                    cell += "<figure><img alt=\"\(MarkdownHTML.escape(spec.title))\" src=\"data:image/svg+xml;base64,\(svg)\">"
                    cell += "<figcaption>\(MarkdownHTML.escape(spec.title)) · figures/\(MarkdownHTML.escape(notebook.name))/\(MarkdownHTML.escape(spec.name)).{png,svg,pdf}</figcaption></figure>"
                }
                for text in item.report?.text ?? [] { cell += MarkdownHTML.convert(text) }
                body.append(cell + "</section>")
            }
        }
        var prov = "<section class=\"provenance\"><h2>Provenance</h2>"
        prov += MarkdownHTML.table(header: ["", ""], rows: provenanceRows(provenance).map { [MarkdownHTML.escape($0.0), MarkdownHTML.inline($0.1)] })
        prov += MarkdownHTML.table(header: ["cell", "step", "status", "seconds", "cache key"], rows: provenance.cells.map { cell in
            [cell.id, "\(cell.step) v\(cell.version)", cell.status, cell.durationSeconds.map { String(format: "%.2f", $0) } ?? "",
             String(cell.cacheKey?.prefix(12) ?? "")].map(MarkdownHTML.escape)
        })
        body.append(prov + "</section>")
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>\(MarkdownHTML.escape(notebook.name))</title>
            <style>
            body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
            pre{background:#f6f8fa;padding:.6rem;overflow-x:auto} code{font-size:.9em}
            table{border-collapse:collapse;margin:.5rem 0} td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}
            .cell{border-left:3px solid #4a7;padding-left:.8rem;margin:1rem 0} .meta,.note,figcaption{color:#555;font-size:.9em}
            figure img{max-width:100%} .provenance{margin-top:3rem;border-top:1px solid #ccc}
            </style></head><body>
            \(body.joined(separator: "\n"))
            </body></html>

            """
    }
}
