import Workbench

/// A step that finetunes through the profile's oracle. It may read the profile's `oracle` section (absent means
/// MicroLM), and the files the oracle reads (its GGUF model, its script) are among its external inputs, so that a
/// changed model file makes its cells stale.
protocol FinetuningStep: Step {}

extension FinetuningStep {
    static var optionalProfileKeys: [String] { [OracleSpec.key] }
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] { try Oracles.externalInputs(context) }
}
