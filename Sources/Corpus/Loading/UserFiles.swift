import Core
import Foundation

/// Instruction data a user brings (`imine score|mine FILE…`): Alpaca, ShareGPT or OpenAI-messages JSON or JSONL,
/// gzip or not, or any JSON with a ``FieldMapping``. Files are read with the same ``Loader`` as the catalogued
/// sources, so a bad record is named by file, line, JSON path and field.
///
/// ```swift
/// let data = try UserFiles.load(["mine.jsonl.gz"], skipBadRecords: true)
/// print(data.examples.count, data.skipped.count, data.exactDuplicates)
/// ```
public struct UserFiles: Sendable {
    /// The examples of every file, in file order and then record order, each content only once (first occurrence).
    public var examples: [Example]
    /// Every file as loaded, with its own report.
    public var files: [LoadedFile]
    /// Records left out under `skipBadRecords`, in file order.
    public var skipped: [InputError] { files.flatMap(\.skipped) }
    /// Examples dropped because the same content (same ``Example/id``) came earlier, in any file.
    public var exactDuplicates: Int

    /// The formats a user file may have: those that hold instruction examples.
    public static let formats: [DataFormat] = [.alpaca, .sharegpt, .mapped, .selfInstruct]

    /// Loads `paths`. The format is `format`, else `mapped` when a mapping is given, else guessed from each file's
    /// first bytes (``DataFormat/guess(path:firstBytes:)``); a guess that is not an instruction format is an error
    /// that asks for `--map`.
    public static func load(_ paths: [String], format: DataFormat? = nil, mapping: FieldMapping? = nil,
                            policy: LoadPolicy = .standard, skipBadRecords: Bool = false) throws -> UserFiles {
        guard !paths.isEmpty else { throw InputError(file: "(command line)", "name at least one data file") }
        if let format, !formats.contains(format) {
            throw InputError(file: "--format", "'\(format.rawValue)' does not hold instruction examples; use one of \(formats.map(\.rawValue).joined(separator: ", "))")
        }
        let loader = Loader(policy: policy, skipBadRecords: skipBadRecords)
        var files: [LoadedFile] = []
        var examples: [Example] = []
        var seen: Set<String> = []
        var duplicates = 0
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let chosen = try format ?? (mapping != nil ? .mapped : guess(url, display: path))
            let file = try loader.load(url, display: path, name: CatalogEntry.name(ofPath: url.lastPathComponent), format: chosen,
                                       licence: "unknown", mapping: mapping)
            for example in file.examples {
                if seen.insert(example.id).inserted { examples.append(example) } else { duplicates += 1 }
            }
            files.append(file)
        }
        return UserFiles(examples: examples, files: files, exactDuplicates: duplicates)
    }

    private static func guess(_ url: URL, display: String) throws -> DataFormat {
        let head = try RecordReader.bytes(of: url, display: display).prefix(4096)
        let guessed = DataFormat.guess(path: display, firstBytes: Array(head))
        guard formats.contains(guessed) else {
            throw InputError(file: display, "does not look like Alpaca ({instruction, input, output}) or ShareGPT/OpenAI messages; name its fields with --map instruction=FIELD,response=FIELD[,input=FIELD]")
        }
        return guessed
    }
}
