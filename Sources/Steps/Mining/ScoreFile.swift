import Core
import Corpus
import Foundation

/// The table `imine score` writes: one row per example (input order), its content id, its source file, and each
/// indicator's value. JSONL (one JSON object per line, sorted keys) or CSV (header `id,source,<names>`);
/// numbers are written in their shortest exact form, so the same scores give the same bytes.
public enum ScoreFile {
    public enum Format: String, CaseIterable, Sendable { case jsonl, csv }

    /// The format the output path's extension names.
    public static func format(ofPath path: String) throws -> Format {
        if path.hasSuffix(".jsonl") { return .jsonl }
        if path.hasSuffix(".csv") { return .csv }
        throw InputError(file: path, "name the scores file .jsonl or .csv")
    }

    public static func data(_ examples: [Example], columns: [String: [Double]], names: [String], format: Format) throws -> Data {
        var out = ""
        switch format {
        case .jsonl:
            // Keys sorted; numbers in Swift's shortest exact form, the same digits as the CSV.
            for (i, example) in examples.enumerated() {
                var fields = ["id": try CanonicalJSON.string(example.id), "source": try CanonicalJSON.string(example.source)]
                for name in names { fields[name] = "\(columns[name]![i])" }
                out += "{" + fields.keys.sorted().map { try! CanonicalJSON.string($0) + ":" + fields[$0]! }.joined(separator: ",") + "}\n"
            }
        case .csv:
            out = (["id", "source"] + names).map(csvField).joined(separator: ",") + "\n"
            for (i, example) in examples.enumerated() {
                out += ([example.id, example.source].map(csvField) + names.map { "\(columns[$0]![i])" }).joined(separator: ",") + "\n"
            }
        }
        return Data(out.utf8)
    }

    static func csvField(_ text: String) -> String {
        text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
