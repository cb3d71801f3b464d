import Core

/// Everything read from one file, ready to ingest or to pool. A file loads completely or throws: there is no
/// partially loaded file.
public struct LoadedFile: Sendable {
    /// The dataset name: the path under the data folder without its extension (`alpagasus-alpaca-subsets/claude_t45`).
    public var name: String
    public var path: String
    public var format: DataFormat
    public var licence: String
    /// SHA-256 of the file's bytes as stored (compressed files: of the compressed bytes, as MANIFEST.tsv lists).
    public var sha256: String
    /// Instruction examples, in file order (prompt sets: with empty responses).
    public var examples: [Example] = []
    public var preferences: [PreferencePair] = []
    public var judged: [JudgedExample] = []
    public var documents: [TextDocument] = []
    /// Judge prompts and other records kept whole, as canonical JSON.
    public var attachments: [String: String] = [:]
    public var report = LoadReport()
    /// Records left out under ``Loader/skipBadRecords``, each with its file, line, JSON path and field, in file order.
    public var skipped: [InputError] = []

    public init(name: String, path: String, format: DataFormat, licence: String, sha256: String) {
        (self.name, self.path, self.format, self.licence, self.sha256) = (name, path, format, licence, sha256)
    }

    /// The number of items of the file's kind.
    public var itemCount: Int { examples.count + preferences.count + judged.count + documents.count }
}
