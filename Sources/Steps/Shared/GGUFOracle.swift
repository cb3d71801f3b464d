import Core
import Foundation
import PretrainedLM
import Store
import Training

/// A real GGUF model finetuned in one mode with sequences cut at one length: the `gguf` oracle.
///
/// ```yaml
/// oracle: {backend: gguf, model: smollm2-135m-instruct, mode: last-n, blocks: 2, max_length: 256}
/// oracle: {backend: gguf, model: gemma-3-270m, mode: lora, rank: 8, alpha: 16}
/// oracle: {backend: gguf, model: smollm2-135m-instruct, mode: full, model_large: gemma-3-270m}
/// ```
///
/// Its ``reference(models:)`` — `gguf:<model>@<file SHA-256>:<mode>:len<max_length>` — is the base model every
/// finetune's settings name, so the file's identity, the mode and the length enter every job key. The same string
/// is all `imine finetune-job --backend gguf` needs to rebuild the trainer, and a command or Slurm oracle may name
/// the model as `model: "gguf:smollm2-135m-instruct:last-2-blocks:len256"` (the digest is filled in before any job
/// is written, and checked against the file by the job program).
struct GGUFOracle: Equatable, Sendable {
    var model: String
    var mode: FinetuneMode
    var maxLength: Int

    static let keys: Set = ["backend", "model", "model_large", "mode", "rank", "alpha", "blocks", "max_length"]
    static let modes = "full, lora, last-n"
    static let defaultMaxLength = 256
    static let maxLengths = 8...8_192

    /// Reads a `gguf` section's fields; `section` is its dotted name for errors. `large` picks `model_large`.
    init(fields: [String: JSONValue], file: String, section: String, large: Bool = false) throws {
        func field(_ key: String) -> String { "\(section).\(key)" }
        func int(_ key: String, _ range: ClosedRange<Int>, default value: Int) throws -> Int {
            guard let item = fields[key] else { return value }
            guard let number = item.intValue, range.contains(number) else {
                throw InputError(file: file, field: field(key), "is \(item.yamlTypeName) \(item); expected an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return number
        }
        let modelKey = large ? "model_large" : "model"
        guard let name = fields[modelKey]?.stringValue else {
            throw InputError(file: file, field: field(modelKey), "missing or not a string; known GGUF models: \(GGUFModels.names)")
        }
        guard GGUFModels.files[name] != nil else {
            throw InputError(file: file, field: field(modelKey), "unknown GGUF model '\(name)'; known: \(GGUFModels.names)")
        }
        model = name
        maxLength = try int("max_length", GGUFOracle.maxLengths, default: GGUFOracle.defaultMaxLength)
        let modeName = fields["mode"]?.stringValue ?? "last-n"
        let unused: [String]
        switch modeName {
        case "full": mode = .full; unused = ["rank", "alpha", "blocks"]
        case "lora":
            let rank = try int("rank", 1...1_024, default: 8)
            let alpha: Double? = fields["alpha"] == nil ? Double(2 * rank) : fields["alpha"]?.doubleValue
            guard let alpha, alpha > 0, alpha.isFinite else {
                throw InputError(file: file, field: field("alpha"), "expected a positive number (LoRA's scale is alpha / rank)")
            }
            mode = .lora(rank: rank, alpha: alpha); unused = ["blocks"]
        case "last-n": mode = .lastBlocks(try int("blocks", 1...1_024, default: 1)); unused = ["rank", "alpha"]
        default:
            throw InputError(file: file, field: field("mode"), "unknown finetune mode '\(modeName)'; expected one of \(GGUFOracle.modes)")
        }
        for key in unused where fields[key] != nil {
            throw InputError(file: file, field: field(key), "not used by mode '\(modeName)' (rank and alpha: lora; blocks: last-n)")
        }
    }

    init(model: String, mode: FinetuneMode, maxLength: Int) {
        self.model = model
        self.mode = mode
        self.maxLength = maxLength
    }

    /// Parses `gguf:<model>[@<sha256>]:<mode>:len<max_length>`; the digest, when present, comes back too.
    init(reference: String, file: String, field: String) throws {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let bad = InputError(file: file, field: field, "'\(reference)' is not a GGUF model reference like gguf:smollm2-135m-instruct:last-2-blocks:len256 (modes: full, lora-r8-a16.0, last-N-blocks)")
        guard parts.count == 4, parts[0] == "gguf", parts[3].hasPrefix("len"), let length = Int(parts[3].dropFirst(3)),
              GGUFOracle.maxLengths.contains(length), let mode = GGUFOracle.mode(parts[2]) else { throw bad }
        let name = String(parts[1].split(separator: "@").first ?? "")
        guard GGUFModels.files[name] != nil else {
            throw InputError(file: file, field: field, "unknown GGUF model '\(name)' in '\(reference)'; known: \(GGUFModels.names)")
        }
        self.init(model: name, mode: mode, maxLength: length)
    }

    /// The digest a reference names (nil when it names none).
    static func digest(in reference: String) -> String? {
        let parts = reference.split(separator: ":")
        guard parts.count > 1, let at = parts[1].firstIndex(of: "@") else { return nil }
        return String(parts[1][parts[1].index(after: at)...])
    }

    /// A mode as `FinetuneMode.description` writes it.
    static func mode(_ text: String) -> FinetuneMode? {
        if text == "full" { return .full }
        let pieces = text.split(separator: "-")
        if pieces.count == 3, pieces[0] == "last", pieces[2] == "blocks", let count = Int(pieces[1]), count > 0 { return .lastBlocks(count) }
        if pieces.count == 3, pieces[0] == "lora", pieces[1].hasPrefix("r"), pieces[2].hasPrefix("a"),
           let rank = Int(pieces[1].dropFirst()), rank > 0, let alpha = Double(pieces[2].dropFirst()), alpha > 0 {
            return .lora(rank: rank, alpha: alpha)
        }
        return nil
    }

    /// The model's file under `models` (missing: an error that says to run set-up).
    func file(models: URL, file: String, field: String) throws -> URL {
        try GGUFModels.file(model, models: models, file: file, field: field)
    }

    /// What names the weights: the model's name and its file's SHA-256.
    func weightsDigest(models: URL, file: String, field: String) throws -> String {
        "gguf:\(model)@\(try GGUFModels.sha256(try self.file(models: models, file: file, field: field)))"
    }

    /// The base model finetunes name: the weights, the mode and the length (``PretrainedLMTrainer/baseDigest``).
    func reference(models: URL, file: String, field: String) throws -> String {
        "\(try weightsDigest(models: models, file: file, field: field)):\(mode):len\(maxLength)"
    }

    /// The trainer a reference names (a job's base model), its digest checked against the file in `models`.
    static func trainer(reference: String, models: URL, store: Store) throws -> PretrainedLMTrainer {
        let oracle = try GGUFOracle(reference: reference, file: "<finetune settings>", field: "baseModel")
        guard let digest = GGUFOracle.digest(in: reference) else {
            throw InputError(file: "<finetune settings>", field: "baseModel", "'\(reference)' names no SHA-256 of the model file")
        }
        return try oracle.trainer(models: models, store: store, expectedDigest: digest, file: "<finetune settings>", field: "baseModel")
    }

    /// The trainer, with last-N trunk states kept in `trunk-cache/` beside the store (shared with job programs).
    /// `expectedDigest` (from a job's reference) must be the file's: a changed file is refused, never trained.
    func trainer(models: URL, store: Store, expectedDigest: String?, file: String, field: String) throws -> PretrainedLMTrainer {
        let url = try self.file(models: models, file: file, field: field)
        let sha = try GGUFModels.sha256(url)
        if let expectedDigest, expectedDigest != sha {
            throw InputError(file: url.path, field: field, "has SHA-256 \(sha), but the job was written for \(expectedDigest): the model file changed")
        }
        let trunks = try TrunkCache(directory: URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("trunk-cache"))
        return try PretrainedLMTrainer(model: try GGUFModels.load(url, sha256: sha), mode: mode, maxLength: maxLength,
                                       trunkCache: trunks, weightsDigest: "gguf:\(model)@\(sha)")
    }
}
