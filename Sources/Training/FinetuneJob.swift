import Core
import Corpus
import Foundation

/// One finetune to run: the data, the settings and the backend that runs it.
///
/// Its ``key`` is the content hash of everything that can change the result — backend name, settings, backend
/// options, and the SHA-256 of the subset file and of each evaluation file — and never of a path, a time or a
/// machine. The store's `finetune` table is keyed by it, so a finished job is found again and never recomputed.
public struct FinetuneJob: Sendable {
    public let backend: String
    public let settings: FinetuneSettings
    /// Backend-specific knobs that reach the program through the spec (e.g. `lora`, `max_length`). Part of the key.
    public let options: [String: String]
    public let subset: [Example]
    /// Evaluation examples by set name; exactly the sets named in `settings.evaluationSets`.
    public let evaluationSets: [String: [Example]]

    /// The subset exactly as it is written to `subset.json` (canonical Alpaca JSON).
    public let subsetFile: Data
    /// Each evaluation set exactly as it is written to disk, by name.
    public let evaluationFiles: [String: Data]
    /// The job's content key (64 hex digits).
    public let key: String

    /// Prepares a job; throws if `evaluationSets` lacks a set named in `settings.evaluationSets`.
    public init(backend: String, settings: FinetuneSettings, options: [String: String] = [:], subset: [Example],
                evaluationSets: [String: [Example]]) throws {
        (self.backend, self.settings, self.options, self.subset) = (backend, settings, options, subset)
        var chosen: [String: [Example]] = [:]
        for name in settings.evaluationSets {
            guard let examples = evaluationSets[name] else { throw TrainerError.missingEvaluationSet(name) }
            chosen[name] = examples
        }
        self.evaluationSets = chosen
        self.subsetFile = try AlpacaFile.encode(subset)
        self.evaluationFiles = try chosen.mapValues(AlpacaFile.encode)
        self.key = try CanonicalJSON.digest(FinetuneJob.identity(backend: backend, settings: settings, options: options,
                                                                 subsetFile: subsetFile, subsetCount: subset.count,
                                                                 evaluationFiles: evaluationFiles))
    }

    /// What the key is a digest of; also what the store keeps as the job's `job_json`.
    public var identity: Identity {
        FinetuneJob.identity(backend: backend, settings: settings, options: options, subsetFile: subsetFile,
                             subsetCount: subset.count, evaluationFiles: evaluationFiles)
    }

    static func identity(backend: String, settings: FinetuneSettings, options: [String: String], subsetFile: Data,
                         subsetCount: Int, evaluationFiles: [String: Data]) -> Identity {
        Identity(backend: backend, settings: settings, options: options, subsetSHA256: SHA256.hex(subsetFile),
                 subsetCount: subsetCount, evaluationSHA256: evaluationFiles.mapValues { SHA256.hex($0) })
    }

    /// The content of a job, without paths: the store's record of what was run.
    public struct Identity: Codable, Equatable, Sendable {
        public var backend: String
        public var settings: FinetuneSettings
        public var options: [String: String]
        public var subsetSHA256: String
        public var subsetCount: Int
        public var evaluationSHA256: [String: String]
    }
}

/// Alpaca JSON, the format every finetuning toolkit reads: `[{"instruction", "input", "output"}]`, plus the
/// example's content `id` (so indicator files and results can be keyed by it) and, for multi-turn examples, the
/// earlier `turns` (`[{"role", "text"}]`, oldest first). Written canonically: same examples, same bytes.
public enum AlpacaFile {
    struct Record: Codable {
        var id: String
        var instruction: String
        var input: String
        var output: String
        var turns: [Example.Turn]?
    }

    /// Reads a file written by ``encode(_:)``; every record's `id` must be its content's, so a file edited by hand
    /// (or torn) is refused with the record's index and field.
    public static func decode(_ bytes: Data, file: String) throws -> [Example] {
        let records: [Record]
        do { records = try JSONDecoder().decode([Record].self, from: bytes) } catch {
            throw InputError(file: file, path: "$", "not an Alpaca JSON list of {id, instruction, input, output}: \(error)")
        }
        return try records.enumerated().map { index, record in
            let example = Example(instruction: record.instruction, input: record.input, response: record.output,
                                  turns: record.turns ?? [], source: "job-file", licence: "as in the workbench's store")
            guard example.id == record.id else {
                throw InputError(file: file, path: "$[\(index)].id", field: "id", "'\(record.id.prefix(12))…' is not the content hash of this record")
            }
            return example
        }
    }

    public static func encode(_ examples: [Example]) throws -> Data {
        try CanonicalJSON.encode(examples.map {
            Record(id: $0.id, instruction: $0.instruction, input: $0.input, output: $0.response,
                   turns: $0.turns.isEmpty ? nil : $0.turns)
        })
    }
}
