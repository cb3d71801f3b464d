import Foundation
import XCTest

/// One hostile or careless use of `imine`: the files a user has, the command they type, and what must happen:
/// the exit status, words the message must contain, and nothing changed on disk (the store and outputs are
/// byte for byte as before; no new file appears).
struct HostileCase {
    var name: String
    var arguments: [String]
    var status: Int32
    /// Substrings the combined output must contain (the path, the key, what is allowed...).
    var messages: [String]
    /// Files to create (relative path → bytes).
    var files: [String: Data] = [:]
    /// Symbolic links to create (relative path → target).
    var links: [String: String] = [:]
    /// Named pipes to create.
    var fifos: [String] = []
    /// Copy this store file in as `store.sqlite` first.
    var store: URL?
    /// Anything else to do to the folder first.
    var prepare: ((URL) throws -> Void)?

    init(_ name: String, _ arguments: [String], status: Int32, _ messages: [String], files: [String: Data] = [:],
         links: [String: String] = [:], fifos: [String] = [], store: URL? = nil, prepare: ((URL) throws -> Void)? = nil) {
        self.name = name
        self.arguments = arguments
        self.status = status
        self.messages = messages
        self.files = files
        self.links = links
        self.fifos = fifos
        self.store = store
        self.prepare = prepare
    }
}

extension Data {
    init(text: String) { self.init(text.utf8) }
}

extension XCTestCase {
    /// Runs every case in its own folder under `base` and checks it; returns how many ran.
    @discardableResult
    func check(_ cases: [HostileCase], in base: URL, file: StaticString = #filePath, line: UInt = #line) throws -> Int {
        var names: Set<String> = []
        for (index, hostile) in cases.enumerated() {
            XCTAssertTrue(names.insert(hostile.name).inserted, "two cases are called \(hostile.name)", file: file, line: line)
            let folder = base.appendingPathComponent("case\(index)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (path, bytes) in hostile.files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try bytes.write(to: url)
            }
            for (path, target) in hostile.links {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                XCTAssertEqual(symlink(target, url.path), 0)
            }
            for path in hostile.fifos {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                XCTAssertEqual(mkfifo(url.path, 0o644), 0)
            }
            if let store = hostile.store { try FileManager.default.copyItem(at: store, to: folder.appendingPathComponent("store.sqlite")) }
            try hostile.prepare?(folder)
            let logical = hostile.status != 5  // a refused store must keep its very bytes; others their rows
            let before = CLI.snapshot(folder, logicalStores: logical)
            let outcome = try CLI.run(hostile.arguments, in: folder)
            let label = "case '\(hostile.name)' (imine \(hostile.arguments.joined(separator: " ")))"
            XCTAssertFalse(outcome.hung, "\(label) hung past 10 s", file: file, line: line)
            XCTAssertFalse(outcome.signaled, "\(label) crashed (signal \(outcome.status)): \(outcome.stderr)", file: file, line: line)
            XCTAssertEqual(outcome.status, hostile.status, "\(label): \(outcome.output)", file: file, line: line)
            for message in hostile.messages {
                XCTAssertTrue(outcome.output.contains(message), "\(label) should say '\(message)': \(outcome.output)", file: file, line: line)
            }
            if hostile.status != 64 {  // usage errors are ArgumentParser's own style
                XCTAssertTrue(outcome.stderr.contains("imine: "), "\(label): one error style, `imine: ...`: \(outcome.stderr)", file: file, line: line)
            }
            for raw in ["NSCocoaErrorDomain", "Error Domain=", "Fatal error", "SQLite error 26"] {
                XCTAssertFalse(outcome.output.contains(raw), "\(label) shows a raw error: \(outcome.output)", file: file, line: line)
            }
            XCTAssertEqual(CLI.snapshot(folder, logicalStores: logical), before, "\(label) changed files on disk", file: file, line: line)
        }
        return cases.count
    }
}
