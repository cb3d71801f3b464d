import Foundation

/// Locations and helpers shared by the embedding and KNN benchmarks: the repository root (from this file's path),
/// the data folder (`IMINE_DATA` or `data/`), the Python peers' interpreters, and the real texts they all use.
struct BenchPaths {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    var data: URL {
        ProcessInfo.processInfo.environment["IMINE_DATA"].map { URL(fileURLWithPath: $0) } ?? root.appendingPathComponent("data")
    }
    var torchPython: String { root.appendingPathComponent(".venv-torch/bin/python").path }
    var faissPython: String { root.appendingPathComponent(".venv-embed/bin/python").path }

    func integer(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap(Int.init) ?? value
    }

    /// The first `count` records of Alpaca random_9k as instruction + input + response.
    func alpacaTexts(_ count: Int) throws -> [String] {
        let file = data.appendingPathComponent("alpagasus-alpaca-subsets/random_9k.json")
        guard let records = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [[String: Any]] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSFilePathErrorKey: file.path])
        }
        return records.prefix(count).map { record in
            ["instruction", "input", "output"].compactMap { record[$0] as? String }.filter { !$0.isEmpty }
                .joined(separator: "\n")
        }
    }

    /// Runs a peer script and parses the JSON object on the last line of its standard output.
    func runPython(_ python: String, _ script: String, _ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HF_HUB_OFFLINE"] = "1"
        environment["TOKENIZERS_PARALLELISM"] = "false"
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        guard process.terminationStatus == 0, let last = lines.last,
              let json = try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any]
        else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: script]) }
        return json
    }
}
