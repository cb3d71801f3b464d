import Core
import Foundation

/// The folder the datasets live in, and the one way to reach a file in it.
///
/// Resolved from `--data PATH`, else the environment variable `IMINE_DATA`, else `./data`. A missing file is an
/// error that says what to download and from where (paper-repro/data-sources.tsv lists every URL).
public struct DataFolder: Sendable {
    public let url: URL

    public init(url: URL) { self.url = url.standardizedFileURL }

    public static func resolve(flag: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) -> DataFolder {
        let path = flag ?? environment["IMINE_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "data"
        return DataFolder(url: URL(fileURLWithPath: path))
    }

    /// MANIFEST.tsv of the folder, keyed by path; empty when the folder has none (user data).
    public func manifest() throws -> [String: ManifestEntry] {
        let file = url.appendingPathComponent("MANIFEST.tsv")
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return [:] }
        return Dictionary(try Manifest.parse(text, file: file.path).map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The download table, looked for next to the working directory, next to the data folder and in this checkout.
    public func sources() -> [String: ManifestEntry] {
        let candidates = [
            URL(fileURLWithPath: "paper-repro/data-sources.tsv"),
            url.deletingLastPathComponent().appendingPathComponent("paper-repro/data-sources.tsv"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../paper-repro/data-sources.tsv").standardizedFileURL,
        ]
        for candidate in candidates {
            if let text = try? String(contentsOf: candidate, encoding: .utf8), let entries = try? Manifest.parse(text, file: candidate.path) {
                return Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
            }
        }
        return [:]
    }

    /// The URL of `relativePath`, or an error naming what to get and where when it is missing.
    public func file(_ relativePath: String) throws -> URL {
        let file = url.appendingPathComponent(relativePath)
        if FileReading.entryExists(file.path) { return file }  // a broken or looping link is reported when read
        var message = "missing data file \(relativePath) in the data folder \(url.path)"
        if let entry = sources()[relativePath] ?? (try? manifest())?[relativePath] {
            message += "; get it from \(entry.url ?? "\(entry.source) \(entry.sourcePath)") (\(entry.source), sha256 \(entry.sha256.prefix(12))…)"
        }
        message += " and place it at \(file.path), or run `make setup`; point elsewhere with --data PATH or IMINE_DATA"
        throw InputError(file: file.path, message)
    }

    /// Loads a catalogued file (by dataset name or path) with its licence from the manifest.
    public func load(_ entry: CatalogEntry, policy: LoadPolicy = .standard) throws -> LoadedFile {
        let file = try self.file(entry.path)
        let licence = (try manifest())[entry.path]?.licence ?? "unknown"
        return try Loader(policy: policy).load(file, display: entry.path, name: entry.name, format: entry.format, licence: licence, split: entry.split)
    }

    /// Loads a catalogued dataset by name (see ``Catalog/entry(named:)``).
    public func load(named name: String, policy: LoadPolicy = .standard) throws -> LoadedFile {
        guard let entry = Catalog.entry(named: name) else {
            throw InputError(file: name, "unknown dataset '\(name)'; `imine data list` shows the names")
        }
        return try load(entry, policy: policy)
    }
}
