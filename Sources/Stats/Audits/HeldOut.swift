/// A fitted rule checked on subsets it never saw: the audit the paper's in-sample R² cannot replace.
public enum HeldOut {
    public struct Result: Sendable, Codable, Equatable {
        public var count: Int
        /// 1 − Σ(y − ŷ)² / Σ(y − ȳ)² with ȳ the held-out mean: below 0 means the rule predicts these subsets worse
        /// than their own average does.
        public var rSquared: Double
        public var rootMeanSquaredError: Double
        /// Spearman correlation of predicted and measured loss: does the rule at least *rank* unseen subsets right?
        /// (Ranking is all that selection uses.) Nil when predictions or losses are constant.
        public var spearman: Double?
    }

    /// Scores `fit` on new rows: `design` must contain the fit's regressors (extra columns are ignored).
    public static func evaluate(_ fit: OLSFit, y: [Double], design: Design) throws -> Result {
        guard y.count == design.rowCount, y.count >= 2 else {
            throw StatsError.invalidInput("held-out check needs >= 2 rows and one response per row (\(y.count) responses, \(design.rowCount) rows)")
        }
        let predicted = try fit.predict(design)
        let sse = zip(y, predicted).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        let tss = CrossValidation.totalSumOfSquares(y)
        guard tss > 0 else { throw StatsError.constantSample("held-out responses are all equal: R² is undefined") }
        return Result(count: y.count, rSquared: 1 - sse / tss, rootMeanSquaredError: (sse / Double(y.count)).squareRoot(),
                      spearman: try? Correlation.spearman(predicted, y))
    }
}
