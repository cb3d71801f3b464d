import Core
import Foundation
import GRDB
import Store

/// Everything needed to say where a rendered notebook's numbers came from: code, configuration, machine, models
/// and how long each cell took. Stored with each `run` row and printed at the end of the rendered notebook.
public struct Provenance: Codable, Sendable {
    public var imineVersion: String
    public var gitCommit: String
    /// Whether the working tree had uncommitted changes (nil: not a git checkout).
    public var gitDirty: Bool?
    public var profile: String
    /// SHA-256 of the profile's canonical values: two runs with equal digests used equal settings.
    public var profileDigest: String
    public var seed: UInt64
    public var host: String
    public var os: String
    public var pid: Int32
    /// Tool and library versions by name (swift, sqlite, gnuplot, imine).
    public var versions: [String: String]
    /// Model hashes reported by the cells' steps, by model name.
    public var modelHashes: [String: String]
    public var startedAt: String
    public var finishedAt: String?
    public var cells: [Cell]

    /// One cell in this run: whether it ran, came from the cache, failed or was skipped, and how long it took.
    public struct Cell: Codable, Sendable {
        public var id: String
        public var step: String
        public var version: Int
        public var cacheKey: String?
        public var outputDigest: String?
        /// "ran", "cached", "failed" or "skipped".
        public var status: String
        /// Seconds this run spent (ran) or the stored duration of the run that computed it (cached).
        public var durationSeconds: Double?
        public var error: String?
    }

    /// Collects the facts known at the start of a run.
    static func start(profile: Profile, paths: WorkbenchPaths, store: Store) -> Provenance {
        let git = gitState(root: paths.root, ignoring: [paths.figures, paths.out])
        let sqlite = (try? store.read { db in try String.fetchOne(db, sql: "SELECT sqlite_version()") }) ?? nil
        var versions = ["imine": WorkbenchInfo.version, "swift": swiftVersion, "sqlite": sqlite ?? "unknown"]
        versions["gnuplot"] = Gnuplot.version ?? "not installed"
        return Provenance(
            imineVersion: WorkbenchInfo.version, gitCommit: git.commit, gitDirty: git.dirty, profile: profile.name,
            profileDigest: (try? CanonicalJSON.digest(profile.values)) ?? "", seed: profile.seed,
            host: ProcessInfo.processInfo.hostName, os: ProcessInfo.processInfo.operatingSystemVersionString,
            pid: ProcessInfo.processInfo.processIdentifier, versions: versions, modelHashes: [:],
            startedAt: timestamp(), finishedAt: nil, cells: [])
    }

    /// The checkout's commit and whether it differs from it. The run's own output folders are left out: every run
    /// rewrites the committed `figures/`, and a figure must not call the code that drew it "changed" for that.
    static func gitState(root: URL, ignoring outputs: [URL] = []) -> (commit: String, dirty: Bool?) {
        guard let commit = runTool("/usr/bin/env", ["git", "-C", root.path, "rev-parse", "HEAD"])?
            .trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty
        else { return ("unknown (not a git checkout)", nil) }
        let rootPath = root.standardizedFileURL.path + "/"
        let excluded = outputs.map(\.standardizedFileURL.path).filter { $0.hasPrefix(rootPath) }
            .map { ":(exclude)" + $0.dropFirst(rootPath.count) }
        let porcelain = runTool("/usr/bin/env", ["git", "-C", root.path, "status", "--porcelain", "--", "."] + excluded) ?? ""
        return (commit, !porcelain.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
    }

    /// The compiler that built this binary (a compile-time fact, so no `swift` is needed at run time).
    static var swiftVersion: String {
        #if compiler(>=6.4)
        return ">=6.4"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "<6.1"
        #endif
    }
}

/// Runs a tool and returns its standard output, or nil if it cannot start or exits non-zero.
func runTool(_ executable: String, _ arguments: [String], currentDirectory: URL? = nil) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}

/// ISO 8601 UTC time, for records (never for cache keys).
func timestamp(_ date: Date = Date()) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: date)
}
