import Core
import Foundation
import PretrainedLM
import Workbench

/// The profile's `oracle:` section: which model every finetune trains and where it runs. Unset means MicroLM in
/// this process, as before the key existed.
///
/// ```yaml
/// oracle: {backend: microlm}
/// oracle: {backend: gguf, model: smollm2-135m-instruct, mode: last-n, blocks: 2, max_length: 256}  # GGUFOracle
/// oracle:
///   backend: command                 # any program that reads spec.json and writes result.json
///   name: llama2-7b-lora             # part of every job key: change it when the program changes
///   model: meta-llama/Llama-2-7b-hf  # the model the program loads (default: the workbench's MicroLM base)
///   command: [.venv-gpu/bin/python, paper-repro/gpu/finetune.py, --spec, "{spec}"]
///   options: {lora: true, rank: 8}   # reach the program in the spec; part of every job key
///   parallel: 2                      # jobs at once;  timeout: seconds per job;  retries: extra attempts
/// oracle:
///   backend: slurm                   # the same, as one Slurm job array per batch
///   name: ..., command: [...], partition: gpu, gpus_per_task: 1, cpus_per_task: 8, memory: 64G,
///   time_limit: 21600, max_concurrent: 16, directives: [--account=p1], wait: false, poll_seconds: 30
/// ```
///
/// Every key is checked: an unknown one, or one the backend does not use, is an error naming the profile file
/// and the key. The whole section enters the cache key of every step that finetunes.
struct OracleSpec: Sendable {
    static let key = "oracle"
    static let commonKeys: Set = ["backend", "name", "model", "model_large", "options"]
    static let commandKeys: Set = ["command", "parallel", "timeout", "retries", "jobs_dir"]
    static let slurmKeys: Set = ["partition", "gpus_per_task", "cpus_per_task", "memory", "time_limit", "max_concurrent",
                                 "directives", "wait", "poll_seconds"]

    let backend: String
    /// The profile's `oracle` mapping (empty when unset).
    let fields: [String: JSONValue]
    let file: String
    /// Where GGUF models live (not part of any key: a path).
    var modelsDirectory = URL(fileURLWithPath: "models")

    /// Reads `oracle` from the step's profile (the step must declare it in ``Step/optionalProfileKeys``).
    init(_ profile: ProfileView, models: URL = URL(fileURLWithPath: "models")) throws {
        try self.init(try profile.value(OracleSpec.key), file: profile.profile.file)
        modelsDirectory = models
    }

    /// Nil when `value` is a valid `oracle` section; else the problem (the profile schema checks it before any
    /// cell runs).
    static func problem(with value: JSONValue) -> String? {
        do { _ = try OracleSpec(value, file: ""); return nil } catch let error as InputError {
            return "'\(error.field ?? OracleSpec.key)': \(error.message)"
        } catch { return "\(error)" }
    }

    init(_ value: JSONValue?, file: String) throws {
        self.file = file
        guard let value else {
            backend = "microlm"; fields = [:]; return
        }
        guard let fields = value.objectValue else {
            throw InputError(file: file, field: OracleSpec.key, "'oracle' is \(value.yamlTypeName); expected a mapping like {backend: microlm}")
        }
        self.fields = fields
        guard let backend = fields["backend"]?.stringValue else {
            throw InputError(file: file, field: "oracle.backend", "missing or not a string; known backends: \(Oracles.names)")
        }
        self.backend = backend
        guard Oracles.backends[backend] != nil else {
            throw InputError(file: file, field: "oracle.backend", "unknown backend '\(backend)'; known backends: \(Oracles.names)")
        }
        // MicroLM trains the workbench's own base model in this process: nothing to name or configure.
        let allowed: Set<String> = backend == "microlm" ? ["backend"] : backend == "gguf" ? GGUFOracle.keys
            : OracleSpec.commonKeys.union(OracleSpec.commandKeys).union(backend == "slurm" ? OracleSpec.slurmKeys : [])
        for key in fields.keys.sorted() where !allowed.contains(key) {
            throw InputError(file: file, field: "oracle.\(key)",
                             "not a key of backend '\(backend)' (its keys: \(allowed.sorted().joined(separator: ", ")))")
        }
        for large in [false, true] where !large || fields["model_large"] != nil {
            if backend == "gguf" { _ = try GGUFOracle(fields: fields, file: file, section: OracleSpec.key, large: large) }
            if backend != "gguf", let reference = try string(large ? "model_large" : "model"), reference.hasPrefix("gguf:") {
                _ = try GGUFOracle(reference: reference, file: file, field: "oracle.\(large ? "model_large" : "model")")
            }
        }
    }

    /// The GGUF model this oracle finetunes (`large`: the one standing for the larger base model), whether the
    /// `gguf` backend runs it in process or a command or Slurm job runs a `gguf:` model reference; nil for MicroLM.
    func gguf(large: Bool = false) throws -> GGUFOracle? {
        if backend == "gguf" {
            if large && fields["model_large"] == nil { throw missingLarge }
            return try GGUFOracle(fields: fields, file: file, section: OracleSpec.key, large: large)
        }
        let key = large ? "model_large" : "model"
        guard let reference = try string(key), reference.hasPrefix("gguf:") else { return nil }
        return try GGUFOracle(reference: reference, file: file, field: "oracle.\(key)")
    }

    /// This oracle with its GGUF model (both `model` and `model_large`) finetuned in `mode` instead; nil when it
    /// finetunes no GGUF model.
    func replacingGGUFMode(_ mode: FinetuneMode) throws -> OracleSpec? {
        guard try gguf() != nil else { return nil }
        var changed = fields
        if backend == "gguf" {
            for key in ["rank", "alpha", "blocks"] { changed[key] = nil }
            switch mode {
            case .full: changed["mode"] = .string("full")
            case let .lora(rank, alpha):
                changed["mode"] = .string("lora")
                changed["rank"] = .int(rank)
                changed["alpha"] = .double(alpha)
            case let .lastBlocks(count):
                changed["mode"] = .string("last-n")
                changed["blocks"] = .int(count)
            }
        } else {
            for key in ["model", "model_large"] {
                guard var model = try gguf(large: key == "model_large") else { continue }
                model.mode = mode
                changed[key] = .string("gguf:\(model.model):\(mode):len\(model.maxLength)")
            }
        }
        var spec = try OracleSpec(.object(changed), file: file)
        spec.modelsDirectory = modelsDirectory
        return spec
    }

    var missingLarge: InputError {
        InputError(file: file, field: "oracle.model_large",
                   "this step also finetunes a larger base model; with 'oracle.model' set, name it in 'oracle.model_large'")
    }

    func string(_ key: String) throws -> String? {
        guard let value = fields[key] else { return nil }
        guard let text = value.stringValue else { throw wrongType(key, value, "a string") }
        return text
    }

    func requiredString(_ key: String) throws -> String {
        guard let text = try string(key) else { throw InputError(file: file, field: "oracle.\(key)", "backend '\(backend)' needs 'oracle.\(key)'") }
        return text
    }

    func int(_ key: String, atLeast minimum: Int) throws -> Int? {
        guard let value = fields[key] else { return nil }
        guard let number = value.intValue else { throw wrongType(key, value, "an integer") }
        guard number >= minimum else { throw InputError(file: file, field: "oracle.\(key)", "is \(number); expected at least \(minimum)") }
        return number
    }

    func seconds(_ key: String) throws -> Double? {
        guard let value = fields[key] else { return nil }
        guard let number = value.doubleValue, number > 0, number.isFinite else { throw wrongType(key, value, "a positive number of seconds") }
        return number
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = fields[key] else { return nil }
        guard let flag = value.boolValue else { throw wrongType(key, value, "true or false") }
        return flag
    }

    func strings(_ key: String) throws -> [String]? {
        guard let value = fields[key] else { return nil }
        guard let items = value.arrayValue, case let texts = items.compactMap(\.stringValue), texts.count == items.count else {
            throw wrongType(key, value, "a list of strings")
        }
        return texts
    }

    /// `options`, each scalar as the text the program reads from the spec.
    func options() throws -> [String: String] {
        guard let value = fields["options"] else { return [:] }
        guard let mapping = value.objectValue else { throw wrongType("options", value, "a mapping of names to scalars") }
        return try mapping.mapValues { item in
            switch item {
            case .string(let text): return text
            case .int(let number): return String(number)
            case .double(let number): return String(number)
            case .bool(let flag): return flag ? "true" : "false"
            default: throw wrongType("options", item, "scalars (strings, numbers, true/false) as values")
            }
        }
    }

    /// The model a finetune starts from, given the workbench's MicroLM checkpoint the step asked for: that
    /// checkpoint, unless `model` names another one (then `model_large` stands for the larger MicroLM base). A GGUF
    /// model is named by its full reference, the file's SHA-256 included (``GGUFOracle/reference(models:file:field:)``).
    func baseModel(workbench digest: String, isDefaultBase: Bool) throws -> String {
        if let gguf = try gguf(large: !isDefaultBase) {
            return try gguf.reference(models: modelsDirectory, file: file, field: "oracle.\(isDefaultBase ? "model" : "model_large")")
        }
        guard let model = try string("model") else { return digest }
        if isDefaultBase { return model }
        guard let large = try string("model_large") else { throw missingLarge }
        return large
    }

    /// Whether this oracle finetunes notebook 1's MicroLM checkpoint (in process or through a job program) rather
    /// than a model of its own; the step must use notebook 1's `base` cell.
    func finetunesWorkbenchModel(_ context: StepContext) throws -> Bool {
        let pretrained = try context.input(PretrainStep.self, as: BaseModelPayload.self).checkpoint
        return try baseModel(workbench: pretrained, isDefaultBase: true) == pretrained
    }

    /// The model this oracle names, in words (its `model` key, else its backend).
    var modelName: String { fields["model"]?.stringValue ?? backend }

    private func wrongType(_ key: String, _ value: JSONValue, _ expected: String) -> InputError {
        InputError(file: file, field: "oracle.\(key)", "'oracle.\(key)' is \(value.yamlTypeName); expected \(expected)")
    }
}
