import Core

/// Out-of-sample R² for a linear rule: how well the rule predicts subsets it was not fitted on, which the paper's
/// in-sample R² cannot tell.
///
/// Predictive R² = 1 − Σ(yᵢ − ŷ₋ᵢ)² / Σ(yᵢ − ȳ)², where ŷ₋ᵢ comes from a fit that did not see row i and ȳ is the
/// mean of all rows. It can be negative: then the rule predicts worse than the constant mean.
public enum CrossValidation {
    /// Leave-one-out predictive R² (the PRESS statistic) in closed form: the LOO residual is eᵢ / (1 − hᵢᵢ).
    public static func leaveOneOutR2(_ fit: OLSFit, y: [Double]) throws -> Double {
        guard y.count == fit.residuals.count else { throw StatsError.invalidInput("y has \(y.count) values, the fit \(fit.residuals.count)") }
        if let i = fit.leverage.firstIndex(where: { $0 >= 1 - 1e-12 }) {
            throw StatsError.invalidInput("row \(i) has leverage 1: leaving it out makes its coefficient unidentifiable")
        }
        let press = zip(fit.residuals, fit.leverage).reduce(0) { $0 + ($1.0 / (1 - $1.1)) * ($1.0 / (1 - $1.1)) }
        return 1 - press / totalSumOfSquares(y)
    }

    /// Fold of every row: a seeded shuffle dealt round-robin into `k` folds (sizes differ by at most one).
    public static func folds(count: Int, k: Int, seed: UInt64) throws -> [Int] {
        guard k >= 2, k <= count else { throw StatsError.invalidInput("k-fold needs 2 <= k <= \(count) rows, got k = \(k)") }
        var order = Array(0..<count)
        var random = SeededRandom(seed: seed, stream: "stats.kfold")
        random.shuffle(&order)
        var fold = [Int](repeating: 0, count: count)
        for (position, row) in order.enumerated() { fold[row] = position % k }
        return fold
    }

    /// k-fold predictive R² of OLS on `design` (intercept included). Pass the same `fold` to compare designs fairly.
    public static func kFoldR2(_ y: [Double], _ design: Design, fold: [Int], intercept: Bool = true,
                               rankTolerance: Double = OLS.defaultRankTolerance) throws -> Double {
        guard fold.count == y.count, design.rowCount == y.count else {
            throw StatsError.invalidInput("k-fold: \(y.count) responses, \(design.rowCount) design rows, \(fold.count) fold labels")
        }
        var predictions = [Double](repeating: 0, count: y.count)
        for f in Set(fold).sorted() {
            let train = fold.indices.filter { fold[$0] != f }
            let test = fold.indices.filter { fold[$0] == f }
            let (x, names) = OLS.matrix(design.rows(train), intercept: intercept)
            let ls = try LeastSquares(x: x, names: names, y: train.map { y[$0] }, hasIntercept: intercept, rankTolerance: rankTolerance)
            let testX = OLS.matrix(design.rows(test), intercept: intercept).0
            for (row, value) in zip(test, testX.multiply(ls.coefficients)) { predictions[row] = value }
        }
        let sse = zip(y, predictions).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        return 1 - sse / totalSumOfSquares(y)
    }

    static func totalSumOfSquares(_ y: [Double]) -> Double {
        let mean = Sample.mean(y)
        return y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    }
}
