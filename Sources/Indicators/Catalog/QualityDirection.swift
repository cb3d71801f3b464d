/// Which way an indicator claims quality goes, as its source claims it: a reward model's score and UniEval's
/// dimensions rise with quality, perplexity falls. The indicator audit tests that claim on data of known quality.
///
/// Indicators the paper uses without claiming a direction (lengths, MTLD, KNN-i, IFD as a regressor) have none
/// (`nil`): their audit verdict says which way they move, not whether a claim holds.
public enum QualityDirection: String, Sendable, Codable {
    case higherIsBetter = "higher is better"
    case lowerIsBetter = "lower is better"

    /// The sign of ρ with quality that the claim predicts.
    public var sign: Double { self == .higherIsBetter ? 1 : -1 }
}
