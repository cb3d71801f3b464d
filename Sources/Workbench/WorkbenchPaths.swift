import Foundation

/// Where the workbench reads and writes, all relative to a root folder (the repository, by default the current
/// directory). Each can be overridden; none of them enters a cache key.
public struct WorkbenchPaths: Sendable {
    public var root: URL
    /// The SQLite store (default `.imine/store.sqlite`, git-ignored).
    public var store: String
    /// Rendered notebooks: `out/<notebook>/<notebook>.md` and `.html`.
    public var out: URL
    /// Figures: `figures/<notebook>/<name>.{png,svg,pdf,gp,dat}`.
    public var figures: URL
    /// Data folder: `$IMINE_DATA`, else `data/`.
    public var data: URL
    /// Model weights: `$IMINE_MODELS`, else `models/`.
    public var models: URL
    /// Profiles: `paper-repro/profiles/`.
    public var profiles: URL

    public init(root: URL, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.root = root
        store = root.appendingPathComponent(".imine/store.sqlite").path
        out = root.appendingPathComponent("out")
        figures = root.appendingPathComponent("figures")
        data = environment["IMINE_DATA"].map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("data")
        models = environment["IMINE_MODELS"].map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("models")
        profiles = root.appendingPathComponent("paper-repro/profiles")
    }

    /// Loads a profile by name from ``profiles``, or from a path when `nameOrPath` ends in `.yaml`/`.yml`.
    public func loadProfile(_ nameOrPath: String) throws -> Profile {
        if nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try Profile.load(file: URL(fileURLWithPath: nameOrPath, relativeTo: root))
        }
        return try Profile.load(named: nameOrPath, in: profiles)
    }

    /// Every notebook under `notebooks/`, sorted by file name (relative paths when the root is the current
    /// directory, so messages read `notebooks/02-rule-fit.md:14`).
    public func allNotebooks() -> [String] {
        let folder = root.appendingPathComponent("notebooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let relative = root.standardizedFileURL.path == URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        return names.filter { $0.hasSuffix(".md") }.sorted().map { relative ? "notebooks/\($0)" : folder.appendingPathComponent($0).path }
    }
}
