import Foundation

/// The real data folder for tests: $IMINE_DATA, else the repository's data/ (set up by `make setup`).
enum TestData {
    static var root: URL {
        if let path = ProcessInfo.processInfo.environment["IMINE_DATA"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data")
    }

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Pretraining documents: every C4 demo record's text and every non-empty line of the wiki demo.
    static func pretrainingDocuments() throws -> [String] {
        var documents: [String] = []
        for line in try text("llama-factory-demo/c4_demo.jsonl").split(whereSeparator: \.isNewline) {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            documents.append(record["text"] as! String)
        }
        documents += try text("llama-factory-demo/wiki_demo.txt").split(separator: "\n").map(String.init)
        return documents
    }

    /// Every string value anywhere in a JSON or JSON-lines file.
    static func strings(in path: String) throws -> [String] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        var out: [String] = []
        func walk(_ value: Any) {
            if let s = value as? String { out.append(s) }
            else if let a = value as? [Any] { a.forEach(walk) }
            else if let d = value as? [String: Any] { d.keys.sorted().forEach { walk(d[$0]!) } }
        }
        if path.hasSuffix(".jsonl") {
            for (number, line) in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
                do { walk(try JSONSerialization.jsonObject(with: Data(line.utf8))) } catch {
                    throw NSError(domain: "TestData", code: 1, userInfo: [NSLocalizedDescriptionKey: "\(path):\(number + 1): \(error)"])
                }
            }
        } else {
            walk(try JSONSerialization.jsonObject(with: data))
        }
        return out
    }
}
