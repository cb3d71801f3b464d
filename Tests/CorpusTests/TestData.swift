import Foundation
@testable import Corpus

/// Where the real data is: IMINE_DATA, else the repository's data/ folder. Tests that need it fail (not skip) when
/// it is missing, since `make setup` always provides it.
enum TestData {
    static var folder: DataFolder {
        if let path = ProcessInfo.processInfo.environment["IMINE_DATA"], !path.isEmpty { return DataFolder(url: URL(fileURLWithPath: path)) }
        return DataFolder(url: repositoryRoot.appendingPathComponent("data"))
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static func temporaryDirectory(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imine-corpus-tests-\(name)-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
