import Corpus
import Foundation

/// Real data for the training tests: $IMINE_DATA, else the repository's data/ (set up by `make setup`).
enum TrainingTestData {
    static var root: URL {
        if let path = ProcessInfo.processInfo.environment["IMINE_DATA"] { return URL(fileURLWithPath: path) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("data")
    }

    static func lines(_ path: String) throws -> [Substring] {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8).split(whereSeparator: \.isNewline)
    }

    /// C4 demo texts and the wiki demo's non-empty lines.
    static func pretrainingDocuments() throws -> [String] {
        var documents = try lines("llama-factory-demo/c4_demo.jsonl").map {
            (try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["text"] as! String
        }
        documents += try lines("llama-factory-demo/wiki_demo.txt").map(String.init)
        return documents
    }

    /// Alpaca-format records (instruction, input, output).
    static func alpaca(_ path: String) throws -> [Example] {
        let data = try Data(contentsOf: root.appendingPathComponent(path))
        let records = try JSONSerialization.jsonObject(with: data) as! [[String: Any]]
        return records.map {
            Example(instruction: $0["instruction"] as! String, input: $0["input"] as? String ?? "",
                    response: $0["output"] as! String, source: path, licence: "test")
        }
    }

    /// Self-instruct's 252 user-oriented tasks, one example per instance: the evaluation references.
    static func selfInstruct() throws -> [Example] {
        try lines("self-instruct/user_oriented_instructions.jsonl").flatMap { line -> [Example] in
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let instances = record["instances"] as! [[String: Any]]
            return instances.map {
                Example(instruction: record["instruction"] as! String, input: $0["input"] as? String ?? "",
                        response: $0["output"] as! String, source: "self-instruct", licence: "test", split: "eval")
            }
        }
    }
}
