import Workbench

/// A step that embeds with all-MiniLM-L6-v2 (``SentenceEncoder``) and scores with the profile's `indicators.lm`
/// (``ScoringLMs``): both models' files are among its external inputs, so that a changed model file makes its cells
/// stale.
protocol ScoringStep: Step {}

extension ScoringStep {
    static func externalInputs(_ context: ExternalInputsContext) throws -> [String: String] {
        SentenceEncoder.externalInputs(context).merging(try ScoringLMs.externalInputs(context)) { a, _ in a }
    }
}
