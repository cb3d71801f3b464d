import Core
import Foundation

/// Loads one data file of a known ``DataFormat`` into a ``LoadedFile``, applying a ``LoadPolicy``.
///
/// ```swift
/// let file = try Loader().load(URL(fileURLWithPath: "data/lima/lima.json"), name: "lima/lima", format: .alpaca,
///                              licence: "CC BY-NC-SA")
/// print(file.report.records, file.examples.count)
/// ```
/// A malformed record throws an ``InputError`` naming the file, the line (and JSON path, e.g. `$[12].output`) and
/// the field; nothing of the file is returned (unless ``skipBadRecords`` is set).
public struct Loader: Sendable {
    public var policy: LoadPolicy
    /// Skip a malformed record (a JSONL line that does not parse, a missing or mistyped field) instead of failing
    /// the file; every skipped record is kept in ``LoadedFile/skipped`` with its file, line and field. For user
    /// files (`imine score|mine --skip-bad`); catalogued sources are always loaded whole or not at all.
    public var skipBadRecords: Bool

    public init(policy: LoadPolicy = .standard, skipBadRecords: Bool = false) {
        self.policy = policy
        self.skipBadRecords = skipBadRecords
    }

    /// What a format reads from: the file's bytes and its identity.
    struct Reading {
        let url: URL
        let display: String
        let bytes: [UInt8]
        let name: String
        let licence: String
        let split: String
        let policy: LoadPolicy
        let mapping: FieldMapping?
        let skipBad: Bool
    }

    /// - Parameters:
    ///   - display: how errors name the file (default: the URL's path).
    ///   - split: the `split` given to every example (`train`, `eval`, `test`, `probe`).
    ///   - mapping: required for ``DataFormat/mapped``.
    public func load(_ url: URL, display: String? = nil, name: String, format: DataFormat, licence: String,
                     split: String = "train", mapping: FieldMapping? = nil) throws -> LoadedFile {
        let display = display ?? url.path
        let raw: Data
        do { raw = try FileReading.data(url.path) } catch let error as InputError {
            throw InputError(file: display, error.message)
        }
        let stored = [UInt8](raw)
        var bytes = stored
        if Gzip.isGzip(stored) {
            do { bytes = try Gzip.decompress(stored) } catch { throw InputError(file: display, "gzip: \(error)") }
        }
        let reading = Reading(url: url, display: display, bytes: bytes, name: name, licence: licence, split: split, policy: policy, mapping: mapping, skipBad: skipBadRecords)
        var collector = Collector(file: LoadedFile(name: name, path: display, format: format, licence: licence, sha256: SHA256.hex(stored)), policy: policy)
        switch format {
        case .alpaca: try InstructionFormats.alpaca(reading, &collector)
        case .selfInstruct: try InstructionFormats.selfInstruct(reading, &collector)
        case .selfInstructPredictions: try InstructionFormats.predictions(reading, &collector)
        case .mapped: try InstructionFormats.mapped(reading, &collector)
        case .fastchatQuestions: try BenchmarkFormats.questions(reading, &collector)
        case .fastchatReference: try BenchmarkFormats.references(reading, &collector)
        case .promptSet: try BenchmarkFormats.promptSet(reading, &collector)
        case .judgePrompts: try BenchmarkFormats.judgePrompts(reading, &collector)
        case .sharegpt: try ConversationFormats.sharegpt(reading, &collector)
        case .hhRLHF: try PreferenceFormats.hhRLHF(reading, &collector)
        case .sharegptPreference: try PreferenceFormats.sharegptPreference(reading, &collector)
        case .kto: try PreferenceFormats.kto(reading, &collector)
        case .textJSONL: try TextFormats.textJSONL(reading, &collector)
        case .plainText: try TextFormats.plainText(reading, &collector)
        case .wordpieceVocabulary, .tiktokenRanks, .llama2cTokenizer, .sentencepieceModel:
            try VocabularyFormats.count(format, reading, &collector)
        }
        return collector.file
    }
}
