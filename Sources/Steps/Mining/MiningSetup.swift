import Foundation
import Store
import Workbench

/// The profile's models as `imine score` and `imine mine` use them: the cells of notebook 01 (pools, tokenizer,
/// base model, reward model, the rule-fit indicators) and, for a fitted rule, of notebook 02, run (or found cached)
/// under the profile, then handed to the scoring code as one ``StepContext``.
///
/// Running the notebooks first is what makes a user's scores comparable with the rule: every indicator is computed
/// with the very tokenizer, models and reference pool the rule was fitted with, and so under the same variant keys.
public struct MiningSetup {
    public let store: Store
    public let profile: Profile
    /// The cells' outputs as one context (step `mine`): `input(ofStep:)` finds each upstream payload.
    let context: StepContext

    static let dataNotebook = "01-data-and-indicators"
    static let ruleNotebook = "02-rule-fit"
    static let cells = ["pools", "tokenizer", "base", "reward", "indicators"].map { "\(dataNotebook)/\($0)" }

    /// Runs (or reuses) notebook 01, and 02 when `fittedRule` is set, and collects the cells' outputs.
    public init(paths: WorkbenchPaths, profile: Profile, store: Store, registry: StepRegistry, fittedRule: Bool,
                log: @escaping (String) -> Void) throws {
        var files = [paths.root.appendingPathComponent("notebooks/\(Self.dataNotebook).md").path]
        if fittedRule { files.append(paths.root.appendingPathComponent("notebooks/\(Self.ruleNotebook).md").path) }
        let wanted = Self.cells + (fittedRule ? ["\(Self.ruleNotebook)/fit"] : [])
        // Only what scoring needs: notebook 01's audit, for one, would run minutes of finetunes no score uses.
        let plan = try Plan(files: files, registry: registry).only(wanted)
        let runner = Runner(store: store, profile: profile, paths: paths)
        runner.log = log
        let summary = try runner.run(plan, render: false)
        guard summary.succeeded else {
            throw StepError.failed(step: "mine", "the profile's notebooks did not finish (\(summary.failed.map { "\($0.0): \($0.1)" }.joined(separator: "; "))); run `imine run --profile \(profile.name) \(files.joined(separator: " "))` to see why")
        }
        let inputs = try wanted.map { key -> StepInput in
            guard let record = summary.records[key] else { throw StepError.failed(step: "mine", "the plan has no cell \(key)") }
            return StepInput(cellID: key, step: record.step, digest: record.outputDigest, payload: try store.artifact(record.outputDigest))
        }
        self.store = store
        self.profile = profile
        context = StepContext(stepName: "mine", cellID: "mine", notebook: "mine", parameters: Parameters([:], step: "mine"),
                              profile: ProfileView(profile: profile, allowedKeys: ["indicators", "rule_fit", "selection", "data", "blendsearch", "finetune", OracleSpec.key], stepName: "mine"),
                              inputs: inputs, reads: .reads(named: inputs.map(\.step)), store: store, seed: profile.seed, dataDirectory: paths.data, modelsDirectory: paths.models,
                              loaded: runner.loaded)
    }
}
