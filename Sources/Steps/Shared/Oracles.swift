import Core
import Foundation
import Neural
import ScaleOut
import Store
import Training
import Workbench

/// The registry of finetune backends, keyed by the profile's `oracle.backend`: the one place that turns a profile
/// into a ``FinetuneBackend``. A new backend (a GGUF model, say) is one entry here, and one in ``trainers`` if it
/// runs in process, so that `imine finetune-job --backend <name>` serves it too.
enum Oracles {
    /// Makes the backend for a parsed `oracle` section, the base model finetunes start from, and the store.
    typealias Factory = @Sendable (_ oracle: OracleSpec, _ baseModel: String, _ store: Store) throws -> any FinetuneBackend

    static let backends: [String: Factory] = [
        "microlm": { _, baseModel, store in
            // Small models train faster side by side (one single-threaded BLAS each) than one at a time.
            InProcessBackend(trainer: try Oracles.trainers["microlm"]!(baseModel, store), workers: ProcessInfo.processInfo.activeProcessorCount)
        },
        "gguf": { oracle, baseModel, store in
            // The decoder's step already runs its fixed shards side by side: one finetune at a time.
            InProcessBackend(trainer: try GGUFOracle.trainer(reference: baseModel, models: oracle.modelsDirectory, store: store), workers: 1)
        },
        "command": { oracle, _, store in
            let name = try oracle.requiredString("name")
            return try CommandTrainer(configuration: .init(
                name: name, command: try Oracles.command(oracle), jobsDirectory: try Oracles.jobsDirectory(oracle, name: name, store: store),
                options: try oracle.options(), maxParallelJobs: try oracle.int("parallel", atLeast: 1) ?? 1,
                timeout: try oracle.seconds("timeout"), retries: try oracle.int("retries", atLeast: 0) ?? 0,
                environment: Oracles.environment(store, models: oracle.modelsDirectory)), store: store)
        },
        "slurm": { oracle, _, store in
            let name = try oracle.requiredString("name")
            let slurm = SlurmOptions(
                jobName: "imine-\(name)", partition: try oracle.string("partition"),
                gpusPerTask: try oracle.int("gpus_per_task", atLeast: 0) ?? 0, cpusPerTask: try oracle.int("cpus_per_task", atLeast: 1) ?? 1,
                memory: try oracle.string("memory"), timeLimit: try oracle.int("time_limit", atLeast: 60) ?? 6 * 3600,
                maxConcurrent: try oracle.int("max_concurrent", atLeast: 1), extraDirectives: try oracle.strings("directives") ?? [])
            return SlurmBackend(configuration: .init(
                name: name, command: try Oracles.command(oracle), jobsDirectory: try Oracles.jobsDirectory(oracle, name: name, store: store),
                options: try oracle.options(), slurm: slurm, wait: try oracle.bool("wait") ?? false,
                pollSeconds: try oracle.seconds("poll_seconds") ?? 10, environment: Oracles.environment(store, models: oracle.modelsDirectory)))
        },
    ]

    /// In-process trainers by name, given the model to start from (MicroLM: a checkpoint digest in the store).
    static let trainers: [String: @Sendable (_ model: String, _ store: Store) throws -> any Trainer] = [
        "microlm": { model, store in try MicroLMTrainer(base: try MicroLMCheckpoint.stored(model, in: store)) },
        // A job's model is a GGUF reference (gguf:<model>@<sha256>:<mode>:len<n>); the file is read from $IMINE_MODELS.
        "gguf": { model, store in
            try GGUFOracle.trainer(reference: model, models: URL(fileURLWithPath: ProcessInfo.processInfo.environment["IMINE_MODELS"] ?? "models"),
                                   store: store)
        },
    ]

    static var names: String { backends.keys.sorted().joined(separator: ", ") }

    /// The backend the profile's oracle names.
    static func backend(_ oracle: OracleSpec, baseModel: String, store: Store) throws -> any FinetuneBackend {
        try backends[oracle.backend]!(oracle, baseModel, store)
    }

    private static func command(_ oracle: OracleSpec) throws -> CommandTemplate {
        guard let argv = try oracle.strings("command"), let executable = argv.first else {
            throw InputError(file: oracle.file, field: "oracle.command", "backend '\(oracle.backend)' needs 'oracle.command': [program, arguments...]")
        }
        do { return try CommandTemplate(executable: executable, arguments: Array(argv.dropFirst())) } catch {
            throw InputError(file: oracle.file, field: "oracle.command", "\(error)")
        }
    }

    /// `jobs_dir`, or `scale-out/<name>` beside the store: job folders are scratch space, not results.
    private static func jobsDirectory(_ oracle: OracleSpec, name: String, store: Store) throws -> URL {
        if let folder = try oracle.string("jobs_dir") { return URL(fileURLWithPath: folder) }
        return URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("scale-out/\(name)", isDirectory: true)
    }

    /// What a job program needs to find the workbench's models: `imine finetune-job` reads MicroLM checkpoints
    /// from this store and GGUF files from the models folder. Not part of any key (paths).
    private static func environment(_ store: Store, models: URL) -> [String: String] {
        ["IMINE_STORE": URL(fileURLWithPath: store.path).standardizedFileURL.path, "IMINE_MODELS": models.standardizedFileURL.path]
    }

    /// Fingerprints of the oracle's model files for the cache key of every step that finetunes: a GGUF model's
    /// SHA-256 (cached beside the file), so a replaced file makes those cells stale. MicroLM's base model is a cell
    /// input already. A missing file is an error before anything runs, saying to run set-up.
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        guard let value = try context.profile.value(OracleSpec.key) else { return [:] }
        var oracle = try OracleSpec(value, file: context.profile.profile.file)
        oracle.modelsDirectory = context.modelsDirectory
        var inputs: [String: String] = [:]
        for (key, large) in [("model", false), ("model_large", true)] {
            guard oracle.fields[key] != nil, let gguf = try oracle.gguf(large: large) else { continue }
            inputs["oracle.\(key)"] = try gguf.weightsDigest(models: context.modelsDirectory, file: oracle.file, field: "oracle.\(key)")
        }
        return inputs
    }
}
