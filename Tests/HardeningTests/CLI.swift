import Core
import Foundation
import GRDB
import XCTest

/// Runs the built `imine` as a user would: in a folder, with arguments, with a time limit.
enum CLI {
    /// The `imine` binary built beside the test bundle (`swift build --build-tests` builds it too).
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let explicit = ProcessInfo.processInfo.environment["IMINE_BINARY"] { candidates.append(URL(fileURLWithPath: explicit)) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("imine"))
        for bundle in Bundle.allBundles { candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("imine")) }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw InputError(file: candidates.map(\.path).joined(separator: ", "), "the imine binary is not built next to the tests; build with --build-tests")
        }
        return found
    }

    /// The repository root (this file is Tests/HardeningTests/CLI.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tinyProfile = root.appendingPathComponent("paper-repro/profiles/tiny.yaml")

    struct Outcome {
        var status: Int32
        var signaled: Bool
        var hung: Bool
        var stdout: String
        var stderr: String
        var output: String { stdout + stderr }
    }

    /// Starts imine in `folder`; the caller finishes it with ``finish(_:limit:)``.
    static func start(_ arguments: [String], in folder: URL) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["IMINE_QUIET"] = "1"
        environment["IMINE_DATA"] = nil
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Waits for the process, killing it after `limit` seconds (then `hung` is true).
    static func finish(_ running: (Process, Pipe, Pipe), limit: TimeInterval = 10) -> Outcome {
        let (process, out, err) = running
        final class Sink: @unchecked Sendable { var data = Data() }
        let group = DispatchGroup()
        let stdout = Sink(), stderr = Sink()
        DispatchQueue.global().async(group: group) { stdout.data = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { stderr.data = err.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(limit)
        var hung = false
        while process.isRunning {
            if Date() > deadline { hung = true; kill(process.processIdentifier, SIGKILL) }
            usleep(5_000)
        }
        process.waitUntilExit()
        group.wait()
        return Outcome(status: process.terminationStatus, signaled: process.terminationReason == .uncaughtSignal, hung: hung,
                       stdout: String(decoding: stdout.data, as: UTF8.self), stderr: String(decoding: stderr.data, as: UTF8.self))
    }

    static func run(_ arguments: [String], in folder: URL, limit: TimeInterval = 10) throws -> Outcome {
        finish(try start(arguments, in: folder), limit: limit)
    }

    /// Every regular file under `folder` (not following links) with its SHA-256, except lock side files, which
    /// opening a store may create and which hold no data. With `logicalStores`, an SQLite file counts by its rows
    /// (every table, in rowid order), not its bytes: opening a store legitimately bumps header counters.
    static func snapshot(_ folder: URL, logicalStores: Bool = false) -> [String: String] {
        var result: [String: String] = [:]
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return result }
        while let relative = walker.nextObject() as? String {
            let path = folder.appendingPathComponent(relative).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            if relative.hasSuffix(".lock") || relative.hasSuffix(".claims") { continue }
            if logicalStores, relative.hasSuffix(".sqlite"), let rows = try? rowsDigest(of: path) {
                result[relative] = "rows " + rows
                continue
            }
            result[relative] = (try? Data(contentsOf: URL(fileURLWithPath: path))).map { SHA256.hex($0) } ?? "unreadable"
        }
        return result
    }
}

/// The SHA-256 of every row of every table of the SQLite file at `path`, read from a copy (so that reading
/// creates nothing beside the original).
func rowsDigest(of path: String) throws -> String {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rows-\(UUID().uuidString).sqlite")
    defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) } }
    try FileManager.default.copyItem(atPath: path, toPath: copy.path)
    if FileManager.default.fileExists(atPath: path + "-wal") { try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy.path + "-wal") }
    let queue = try DatabaseQueue(path: copy.path)
    defer { try? queue.close() }
    return try queue.read { db in
        var text = ""
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name") {
            text += "\(table):\n"
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" ORDER BY rowid") { text += "\(row)\n" }
        }
        return SHA256.hex(text)
    }
}

extension XCTestCase {
    /// A fresh empty folder under the system temp folder, removed when the test ends.
    func scratchFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imine-hard-\(safe)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}
