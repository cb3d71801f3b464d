import Core
import Foundation

/// One row of the data folder's MANIFEST.tsv (or of paper-repro/data-sources.tsv, which adds the download URL).
public struct ManifestEntry: Sendable, Equatable {
    public var path: String
    public var bytes: Int
    public var sha256: String
    /// The stated count and its unit: `5305 records`, `157730 words`, `30522 tokens`.
    public var count: Int
    public var unit: String
    public var source: String
    public var sourcePath: String
    public var licence: String
    public var url: String?
}

public enum Manifest {
    /// Parses a MANIFEST.tsv-style table (header row, tab-separated); an `url` column is read when present.
    public static func parse(_ text: String, file: String) throws -> [ManifestEntry] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) else {
            throw InputError(file: file, line: 1, "the manifest is empty")
        }
        let required = ["path", "bytes", "sha256", "count", "source", "source_path", "license"]
        for column in required where !header.contains(column) {
            throw InputError(file: file, line: 1, field: column, "the header has no '\(column)' column")
        }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        var entries: [ManifestEntry] = []
        for (offset, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let cells = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            func cell(_ name: String) throws -> String {
                guard let index = column(name), index < cells.count else { throw InputError(file: file, line: offset + 1, field: name, "the row has no '\(name)' cell") }
                return cells[index]
            }
            guard let bytes = Int(try cell("bytes")) else { throw InputError(file: file, line: offset + 1, field: "bytes", "not an integer") }
            let countParts = try cell("count").split(separator: " ", maxSplits: 1)
            guard let count = countParts.first.flatMap({ Int($0) }) else { throw InputError(file: file, line: offset + 1, field: "count", "expected 'N unit'") }
            let unit = countParts.count > 1 ? String(countParts[1].split(separator: " ").first ?? "records") : "records"
            entries.append(ManifestEntry(path: try cell("path"), bytes: bytes, sha256: try cell("sha256"), count: count, unit: unit,
                                         source: try cell("source"), sourcePath: try cell("source_path"), licence: try cell("license"),
                                         url: column("url").flatMap { $0 < cells.count ? cells[$0] : nil }))
        }
        return entries
    }
}
