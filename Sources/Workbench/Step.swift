import Core
import Foundation
import Store

/// A unit of analysis that a notebook cell names: `step: rule.fit`.
///
/// A step is a type with static members; the workbench never instantiates it. It declares everything that can
/// change its result, so the runner can check a notebook before running anything and can tell a fresh cell from
/// a stale one by content alone:
///
///     enum FitRule: Step {
///         static let name = "rule.fit"
///         static let version = 1                    // bump when the code's results change
///         static let summary = "Fits the quality rule: OLS of eval loss on indicators."
///         static let parameters = [ParameterSpec("alpha", .double, default: 0.05, "significance level")]
///         static let profileKeys = ["rule_fit"]      // reads rule_fit.subsets, rule_fit.subset_size, ...
///
///         static func run(_ context: StepContext) throws -> StepOutput {
///             let alpha = try context.parameters.double("alpha")
///             let losses = try context.input(ofStep: "finetune.subsets", as: [Double].self)
///             let subsets = try context.profile.int("rule_fit.subsets")
///             ...
///             return try StepOutput(payload: rule)
///                 .table(Table(title: "Coefficients", columns: ["indicator", "β", "p"], rows: rows))
///                 .figure(FigureSpec(name: "residuals", title: "Residuals", ...))
///         }
///     }
///
/// Rules a step must follow (the cache depends on them):
/// - Its result depends only on its parameters, its inputs' payloads, the profile keys it declared, the seed and
///   the data and model files (steps that read files should put the files' checksums into their payload).
/// - Randomness comes from ``StepContext/random(_:)``, never from the system generator.
/// - Bump ``version`` whenever a code change would change its output.
/// - A step that also fills store tables (examples, indicator values, finetune jobs) must write idempotently
///   (`INSERT OR IGNORE`/`REPLACE`, keyed by content): the cell is recorded only after `run` returns, so a run
///   killed in between repeats the step next time.
/// - Reading files outside the store? Report their checksums in ``externalInputs(_:)`` so that a changed file
///   makes the cell stale.
public protocol Step: SendableMetatype {  // its metatype travels in plans and the registry
    /// Registry name used in notebooks, lower-case and dotted by area: "rule.fit", "indicators.compute".
    static var name: String { get }
    /// Part of the cache key: bumping it makes every cell of this step stale.
    static var version: Int { get }
    /// One sentence for `imine steps` and error messages.
    static var summary: String { get }
    /// The parameters a cell may set; anything else in a cell's `params:` is an error before any cell runs.
    static var parameters: [ParameterSpec] { get }
    /// The cells it reads, by step: checked when a plan is built and when the step reads an input. Default: none.
    static var inputs: StepInputs { get }
    /// Dotted profile keys (or whole sections, e.g. "finetune") the step reads; their values enter the cache key.
    static var profileKeys: [String] { get }
    /// Profile keys (or sections) the step reads that a profile may leave out: unset, they add nothing to the cache
    /// key, so declaring a new optional key keeps every existing cell fresh (e.g. "oracle": unset means MicroLM).
    static var optionalProfileKeys: [String] { get }
    /// Does the work. Throwing marks the cell failed; nothing of it is stored.
    static func run(_ context: StepContext) throws -> StepOutput
    /// Fingerprints of what the result depends on outside the store, e.g. a data file's checksum from the data
    /// folder's MANIFEST.tsv or a model's weights hash, by name. They enter the cache key, so changing a file makes
    /// the cell stale. Called for every cell on every `run` and `status`: return known checksums rather than
    /// hashing large files. Default: none.
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String]
}

extension Step {
    public static var summary: String { "" }
    public static var parameters: [ParameterSpec] { [] }
    public static var inputs: StepInputs { .none }
    public static var profileKeys: [String] { [] }
    public static var optionalProfileKeys: [String] { [] }
    /// Every key a step may read through ``StepContext/profile``.
    public static var readableProfileKeys: [String] { profileKeys + optionalProfileKeys }
    public static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] { [:] }
}

/// What ``Step/externalInputs(_:)`` may look at: the cell's parameters, its declared profile values and the folders.
public struct ExternalInputsContext: Sendable {
    public let parameters: Parameters
    public let profile: ProfileView
    public let dataDirectory: URL
    public let modelsDirectory: URL

    public init(parameters: Parameters, profile: ProfileView, dataDirectory: URL, modelsDirectory: URL) {
        (self.parameters, self.profile) = (parameters, profile)
        (self.dataDirectory, self.modelsDirectory) = (dataDirectory, modelsDirectory)
    }
}

/// The output of a cell that this cell uses (listed in its `uses:`).
public struct StepInput: Sendable {
    /// The used cell's id as written in `uses:` ("indicators", or "01-data/ingest" for another notebook's cell).
    public let cellID: String
    /// The step that produced it ("indicators.compute").
    public let step: String
    /// Digest of the payload artifact (part of this cell's cache key).
    public let digest: String
    /// The canonical JSON payload bytes.
    public let payload: Data

    public init(cellID: String, step: String, digest: String, payload: Data) {
        (self.cellID, self.step, self.digest, self.payload) = (cellID, step, digest, payload)
    }

    /// The payload decoded as `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T {
        do { return try JSONDecoder().decode(T.self, from: payload) } catch {
            throw StepError.failed(step: step, "the output of cell '\(cellID)' does not decode as \(T.self): \(error)")
        }
    }
}

/// Everything a running step may use. Built by the runner for each cell.
public struct StepContext: Sendable {
    /// The step's own name (for messages).
    public let stepName: String
    /// The cell's id and the notebook it is in (for messages and progress labels; never part of a result).
    public let cellID: String
    public let notebook: String
    /// The cell's checked parameters, defaults applied.
    public let parameters: Parameters
    /// The profile, restricted to the step's declared ``Step/profileKeys`` and ``Step/optionalProfileKeys``.
    public let profile: ProfileView
    /// The outputs of the cells listed in `uses:`, in that order.
    public let inputs: [StepInput]
    /// What the step declared it reads (``Step/inputs``): reading anything else is an error.
    public let reads: StepInputs
    /// The workbench store (datasets, examples, indicator values, finetune jobs, artifacts).
    public let store: Store
    /// The profile's master seed. Prefer ``random(_:)``, which derives independent streams from it.
    public let seed: UInt64
    /// The data folder (`data/` or `$IMINE_DATA`) and the models folder (`models/`).
    public let dataDirectory: URL
    public let modelsDirectory: URL
    /// What this run's cells already decoded from the store's artifacts (see ``LoadedValues``).
    public let loaded: LoadedValues

    public init(stepName: String, cellID: String, notebook: String, parameters: Parameters, profile: ProfileView,
                inputs: [StepInput], reads: StepInputs, store: Store, seed: UInt64, dataDirectory: URL, modelsDirectory: URL,
                loaded: LoadedValues = LoadedValues()) {
        (self.stepName, self.cellID, self.notebook) = (stepName, cellID, notebook)
        (self.parameters, self.profile, self.inputs) = (parameters, profile, inputs)
        (self.reads, self.store, self.seed) = (reads, store, seed)
        (self.dataDirectory, self.modelsDirectory, self.loaded) = (dataDirectory, modelsDirectory, loaded)
    }

    /// The input from the cell with this id (as written in `uses:`).
    public func input(_ cellID: String) throws -> StepInput {
        guard let input = inputs.first(where: { $0.cellID == cellID }) else {
            throw StepError.missingInput(step: stepName, "no cell '\(cellID)' in uses: [\(inputs.map(\.cellID).joined(separator: ", "))]")
        }
        try checkDeclared(input.step)
        return input
    }

    /// The one input produced by step `name`; an error if `uses:` lists none or several such cells.
    public func input(ofStep name: String) throws -> StepInput {
        try checkDeclared(name)
        let matches = inputs.filter { $0.step == name }
        guard matches.count == 1 else {
            throw StepError.missingInput(step: stepName, "expected exactly one cell of step '\(name)' in uses:, found \(matches.count)")
        }
        return matches[0]
    }

    /// Every input produced by step `name`, in `uses:` order.
    public func inputs(ofStep name: String) -> [StepInput] { inputs.filter { $0.step == name } }

    public func input<T: Decodable>(_ cellID: String, as type: T.Type) throws -> T { try input(cellID).decode(T.self) }
    public func input<T: Decodable>(ofStep name: String, as type: T.Type) throws -> T { try input(ofStep: name).decode(T.self) }
    /// The payload of the one input produced by `step`, decoded as `T`.
    public func input<S: Step, T: Decodable>(_ step: S.Type, as type: T.Type) throws -> T { try input(ofStep: S.name).decode(T.self) }

    /// A step reading a cell it did not declare would depend on something its plan check never saw.
    private func checkDeclared(_ step: String) throws {
        guard reads.allows(step) else {
            throw StepError.failed(step: stepName, "it read the output of a cell of step '\(step)', which its `inputs` do not declare (\(reads.steps.joined(separator: ", ")))")
        }
    }

    /// A seeded generator for a named stream of this step: the same seed, step and stream give the same draws.
    public func random(_ stream: String = "") -> SeededRandom {
        SeededRandom(seed: seed, stream: "\(stepName)/\(stream)")
    }

    /// A progress bar for long work, labelled with the cell; silent in CI and when stderr is not a terminal.
    public func progress(_ label: String, total: Int) -> Core.Progress {
        Core.Progress("[\(cellID)] \(label)", total: total)
    }

    /// A note on stderr while the cell runs (not part of the rendered notebook; put that in ``StepOutput/text``).
    public func log(_ message: String) {
        FileHandle.standardError.write(Data("[\(notebook)/\(cellID)] \(message)\n".utf8))
    }
}

/// Errors a step (or the runner on a step's behalf) reports.
public enum StepError: Error, CustomStringConvertible, Equatable {
    case failed(step: String, String)
    case missingInput(step: String, String)
    case undeclaredParameter(step: String, name: String)
    case undeclaredProfileKey(step: String, key: String)

    public var description: String {
        switch self {
        case .failed(let step, let message): "step \(step): \(message)"
        case .missingInput(let step, let message): "step \(step): \(message)"
        case .undeclaredParameter(let step, let name):
            "step \(step) read parameter '\(name)' that it does not declare in `parameters`"
        case .undeclaredProfileKey(let step, let key):
            "step \(step) read profile key '\(key)' without declaring it in `profileKeys` (its cache key would miss it)"
        }
    }
}
