import Core
import Corpus
import Foundation
import Indicators
import PretrainedLM
import Training
import Workbench

/// The language model behind the perplexity and IFD indicators, chosen by the profile's `indicators.lm`
/// (unset: `{backend: microlm}`, the workbench's base model, as before the key existed). A registry keyed by
/// backend like ``Oracles``: a GGUF model is one more entry. The key sits under `indicators`, which the indicator
/// steps already declare, so it enters their cache keys.
enum ScoringLMs {
    /// Scores responses given their prompts; `modelHash` names the model in the indicators' variants.
    struct Scorer {
        let modelHash: String
        let scores: ([Example]) -> [ResponseScore]
    }

    typealias Factory = @Sendable (_ context: StepContext, _ base: BaseModelPayload) throws -> Scorer

    static let backends: [String: Factory] = [
        "microlm": { context, base in
            let checkpoint = try context.checkpoint(base.checkpoint)
            let scorer = ResponseScorer(checkpoint: checkpoint, workers: ProcessInfo.processInfo.activeProcessorCount)
            return Scorer(modelHash: base.checkpoint, scores: { scorer.scores($0) })
        },
        // {backend: gguf, model: smollm2-135m-instruct, max_length: 256}: the real model as its template reads each
        // example; named by file SHA-256 and length, so another model or length is another indicator variant.
        "gguf": { context, _ in
            let (model, maxLength) = try gguf(try context.profile.value("indicators.lm"), file: context.profile.profile.file)
            let url = try GGUFModels.file(model, models: context.modelsDirectory, file: context.profile.profile.file, field: "indicators.lm.model")
            let sha = try GGUFModels.sha256(url)
            let loaded = try GGUFModels.load(url, sha256: sha)
            let scorer = PretrainedResponseScorer(weights: loaded.weights, encode: { loaded.encode(instruction: $0.promptText, response: $0.response) },
                                                  maxLength: maxLength)
            return Scorer(modelHash: "gguf:\(model)@\(sha):len\(maxLength)", scores: { scorer.scores($0) })
        },
    ]

    /// The indicators' catalog under this profile: the paper's, plus, when `indicators.lm` is a real GGUF model,
    /// `reward_lm` (the reward head on that model, which the reward-model cell then trains) and the judge
    /// indicators (UniEval-style naturalness, coherence, understandability). With MicroLM (the tiny and toy
    /// profiles) there is no instruction-tuned model, so they are absent, not faked.
    static func catalog(_ profile: ProfileView) throws -> IndicatorCatalog {
        let gguf = try isGGUF(profile)
        return .paper(knnI: try profile.int("indicators.knn_i"), judge: gguf, rewardLM: gguf)
    }

    /// The `indicators.lm` GGUF model as a Boolean judge (``BooleanJudge``), its prompts cut to `max_length` tokens;
    /// an error when `indicators.lm` is not a GGUF model.
    static func judge(_ context: StepContext) throws -> IndicatorInputs.Judge {
        guard let lm = try ggufModel(context.profile, models: context.modelsDirectory) else {
            throw InputError(file: context.profile.profile.file, field: "indicators.lm", "the judge indicators need a real instruction-tuned model: set indicators.lm to {backend: gguf, model: smollm2-135m-instruct}")
        }
        let judge = try BooleanJudge(model: lm.model, maxLength: lm.maxLength)
        return IndicatorInputs.Judge(model: lm.name, modelHash: "gguf:\(lm.name)@\(lm.sha256):len\(lm.maxLength)", yesShare: { try judge.yesShare($0) })
    }

    /// Keys each backend reads from `indicators.lm`.
    static let keys: [String: Set<String>] = ["microlm": ["backend"], "gguf": ["backend", "model", "max_length"]]

    /// The GGUF model and length an `indicators.lm: {backend: gguf, ...}` section names.
    static func gguf(_ value: JSONValue?, file: String) throws -> (model: String, maxLength: Int) {
        let fields = value?.objectValue ?? [:]
        guard let model = fields["model"]?.stringValue else {
            throw InputError(file: file, field: "indicators.lm.model", "missing or not a string; known GGUF models: \(GGUFModels.names)")
        }
        guard GGUFModels.files[model] != nil else {
            throw InputError(file: file, field: "indicators.lm.model", "unknown GGUF model '\(model)'; known: \(GGUFModels.names)")
        }
        var maxLength = GGUFOracle.defaultMaxLength
        if let item = fields["max_length"] {
            guard let number = item.intValue, GGUFOracle.maxLengths.contains(number) else {
                throw InputError(file: file, field: "indicators.lm.max_length",
                                 "is \(item.yamlTypeName); expected an integer in \(GGUFOracle.maxLengths.lowerBound)...\(GGUFOracle.maxLengths.upperBound)")
            }
            maxLength = number
        }
        return (model, maxLength)
    }

    /// The scoring model's file SHA-256 for the cache keys of the steps that score (a missing file: run set-up).
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        let value = try context.profile.value("indicators.lm"), file = context.profile.profile.file
        guard try backendName(value, file: file) == "gguf" else { return [:] }
        let url = try GGUFModels.file(try gguf(value, file: file).model, models: context.modelsDirectory, file: file, field: "indicators.lm.model")
        return ["indicators.lm.model": try GGUFModels.sha256(url)]
    }

    /// The scorer `indicators.lm` names, or MicroLM's base model when it is unset.
    static func scorer(_ context: StepContext, base: BaseModelPayload) throws -> Scorer {
        let backend = try backendName(try context.profile.value("indicators.lm"), file: context.profile.profile.file)
        return try backends[backend]!(context, base)
    }

    /// Nil when `value` is a valid `indicators.lm` section; else the problem (checked before any cell runs).
    static func problem(with value: JSONValue) -> String? {
        do { _ = try backendName(value, file: ""); return nil } catch let error as InputError {
            return "'\(error.field ?? "indicators.lm")': \(error.message)"
        } catch { return "\(error)" }
    }

    /// The backend `indicators.lm` names (microlm when unset), checked against the known ones.
    static func backendName(_ value: JSONValue?, file: String) throws -> String {
        var backend = "microlm"
        if let value {
            guard let fields = value.objectValue, let name = fields["backend"]?.stringValue else {
                throw InputError(file: file, field: "indicators.lm", "expected a mapping like {backend: microlm}, found \(value.yamlTypeName)")
            }
            backend = name
            guard let allowed = keys[name] else {
                throw InputError(file: file, field: "indicators.lm.backend",
                                 "unknown backend '\(backend)'; known: \(backends.keys.sorted().joined(separator: ", "))")
            }
            for key in fields.keys.sorted() where !allowed.contains(key) {
                throw InputError(file: file, field: "indicators.lm.\(key)",
                                 "not a key of backend '\(name)' (its keys: \(allowed.sorted().joined(separator: ", ")))")
            }
            if name == "gguf" { _ = try gguf(value, file: file) }
        }
        return backend
    }
}
