import Core
import Corpus
import Foundation
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
            let checkpoint = try SharedLoads.shared.checkpoint(base.checkpoint, store: context.store)
            let scorer = ResponseScorer(checkpoint: checkpoint, workers: ProcessInfo.processInfo.activeProcessorCount)
            return Scorer(modelHash: base.checkpoint, scores: { scorer.scores($0) })
        },
    ]

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
            for key in fields.keys.sorted() where key != "backend" {
                throw InputError(file: file, field: "indicators.lm.\(key)", "not a key of backend '\(name)' (its keys: backend)")
            }
        }
        guard backends[backend] != nil else {
            throw InputError(file: file, field: "indicators.lm.backend",
                             "unknown backend '\(backend)'; known: \(backends.keys.sorted().joined(separator: ", "))")
        }
        return backend
    }
}
