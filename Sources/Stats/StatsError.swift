/// Why a statistical computation refused to produce a number.
///
/// The workbench never returns NaN for an undefined statistic: it throws one of these, with a message that says
/// which input made it undefined.
public enum StatsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Lengths, counts or values that the computation cannot take (message says which).
    case invalidInput(String)
    /// A sample with zero variance where a spread is needed.
    case constantSample(String)
    /// The design matrix has (numerically) dependent columns; `regressors` names the ones that are collinear.
    case rankDeficient(regressors: [String], message: String)

    public var description: String {
        switch self {
        case .invalidInput(let m): return "invalid input: \(m)"
        case .constantSample(let m): return "constant sample: \(m)"
        case .rankDeficient(let names, let m): return "rank-deficient design (collinear: \(names.joined(separator: ", "))): \(m)"
        }
    }
}
