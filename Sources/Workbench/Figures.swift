import Core
import Foundation
import GRDB
import Store

/// Keeps `figures/<notebook>/` in step with the store: draws a figure when its spec changed or a file is missing,
/// and records it in the `figure` table so that `imine figures` can draw everything again from stored specs.
public struct Figures {
    public let store: Store
    public let paths: WorkbenchPaths

    public init(store: Store, paths: WorkbenchPaths) {
        self.store = store
        self.paths = paths
    }

    /// The folder of one notebook's figures.
    public func directory(of notebook: String) -> URL { paths.figures.appendingPathComponent(notebook) }

    /// Draws `spec` (unless an identical spec's files, made by the same `run`, are all there and `force` is false);
    /// returns its folder. `run` (e.g. "profile quick, commit 1a2b3c4 (clean)") goes into the script's first line,
    /// so a committed figure says which profile and commit made it.
    @discardableResult
    public func draw(_ spec: FigureSpec, notebook: String, cellID: String, run: String? = nil, force: Bool = false) throws -> URL {
        let folder = directory(of: notebook)
        let digest = try store.putJSON(spec, kind: "figure-spec")
        let existing = try store.read { db in
            try FigureRecord.fetchOne(db, key: ["notebook": notebook, "name": spec.name])
        }
        let files = ["png", "svg", "pdf", "gp", "dat"].map { folder.appendingPathComponent("\(spec.name).\($0)").path }
        let origin = "cell '\(cellID)' of notebook '\(notebook)'" + (run.map { ", \($0)" } ?? "")
        let scriptURL = folder.appendingPathComponent("\(spec.name).gp")
        let sameRun = run == nil || (try? String(contentsOf: scriptURL, encoding: .utf8))?.split(separator: "\n").first
            .map { String($0) == Gnuplot.headerLine(name: spec.name, origin: origin) } == true
        let upToDate = existing?.specDigest == digest && files.allSatisfy(FileManager.default.fileExists) && sameRun
        if upToDate && !force { return folder }
        let script = try Gnuplot.write(spec, origin: origin, to: folder)
        // Recorded before drawing, so a figure gnuplot failed on is still known to `imine figures`.
        let record = FigureRecord(notebook: notebook, name: spec.name, cellID: cellID, specDigest: digest,
                                  directory: relativePath(from: paths.root, to: folder), renderedAt: timestamp())
        try store.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO figure (notebook, name, cell_id, spec_digest, directory, rendered_at)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [record.notebook, record.name, record.cellID, record.specDigest, record.directory, record.renderedAt])
        }
        try Gnuplot.render(script: script)
        return folder
    }

    /// Every figure the store knows, optionally of one notebook, sorted by notebook and name.
    public func all(notebook: String? = nil) throws -> [(record: FigureRecord, spec: FigureSpec)] {
        let records = try store.read { db in
            try FigureRecord.fetchAll(db, sql: "SELECT * FROM figure ORDER BY notebook, name")
        }
        return try records.filter { notebook == nil || $0.notebook == notebook }
            .map { ($0, try store.json(FigureSpec.self, digest: $0.specDigest)) }
    }

    /// Draws every stored figure again (from its stored spec; no cell runs). Returns how many were drawn.
    public func redrawAll(notebook: String? = nil) throws -> Int {
        let figures = try all(notebook: notebook)
        for figure in figures {
            try draw(figure.spec, notebook: figure.record.notebook, cellID: figure.record.cellID, run: "drawn again by `imine figures` from its stored spec", force: true)
        }
        return figures.count
    }

    /// A text rendering of the figure named `name` ("name" or "notebook/name").
    public func preview(_ name: String, columns: Int = 100, rows: Int = 32) throws -> String {
        let figures = try all()
        let matches = figures.filter { "\($0.record.notebook)/\($0.record.name)" == name || $0.record.name == name }
        guard matches.count == 1, let figure = matches.first else {
            let known = figures.map { "\($0.record.notebook)/\($0.record.name)" }.joined(separator: ", ")
            throw FigureError(matches.isEmpty
                ? "no stored figure '\(name)'; known figures: \(known.isEmpty ? "none (run a notebook first)" : known)"
                : "'\(name)' is ambiguous; name it as notebook/name: \(matches.map { "\($0.record.notebook)/\($0.record.name)" }.joined(separator: ", "))")
        }
        // The drawn script is previewed as it is (its first line says which run made it); only a missing one is written.
        let folder = directory(of: figure.record.notebook)
        var script = folder.appendingPathComponent("\(figure.spec.name).gp")
        let data = folder.appendingPathComponent("\(figure.spec.name).dat")
        if !FileManager.default.fileExists(atPath: script.path) || !FileManager.default.fileExists(atPath: data.path) {
            script = try Gnuplot.write(figure.spec, origin: "cell '\(figure.record.cellID)' of notebook '\(figure.record.notebook)'", to: folder)
        }
        return try Gnuplot.preview(script: script, columns: columns, rows: rows)
    }
}

/// `to` relative to `from` (both folders), for links inside rendered notebooks.
func relativePath(from base: URL, to target: URL) -> String {
    let baseParts = base.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    let targetParts = target.standardizedFileURL.resolvingSymlinksInPath().pathComponents
    var common = 0
    while common < min(baseParts.count, targetParts.count), baseParts[common] == targetParts[common] { common += 1 }
    let ups = Array(repeating: "..", count: baseParts.count - common)
    let parts = ups + targetParts[common...]
    return parts.isEmpty ? "." : parts.joined(separator: "/")
}
