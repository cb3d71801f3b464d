/// Which indicators belong in the rule? Three answers side by side, all from one exhaustive pass over every subset
/// of the candidate indicators (2^m fits; m ≤ 12 or so is quick).
///
/// 1. **Paper** — the paper says indicators were chosen "by highest R² and then most significant p-values". Read
///    literally, R² alone always picks the full set (R² never drops when a regressor is added), so the p-values must
///    be what restrains it. Our reading: among all non-empty subsets whose *every* indicator coefficient is
///    significant (two-sided t test, p < α), take the highest R²; equal R² (to 1e-12) goes to the smaller largest
///    p-value. In-sample, as in the paper; the CV column shows what that costs.
/// 2. **BIC** — the subset (the intercept-only model included) with the lowest BIC = −2 log L + p log n.
/// 3. **Cross-validated R²** — the subset (intercept-only included) with the highest k-fold predictive R², all
///    subsets scored on the same seeded folds.
/// The full candidate set is listed as a fourth row for reference.
public enum ModelSelection {
    public struct Candidate: Sendable, Codable, Equatable {
        public var regressors: [String]
        public var rSquared: Double
        public var adjustedRSquared: Double
        public var aic: Double
        public var bic: Double
        /// Largest two-sided p-value among the indicator coefficients (nil for the intercept-only model).
        public var maxP: Double?
        public var crossValidatedR2: Double
    }

    public struct Refusal: Sendable, Codable, Equatable {
        public var regressors: [String]
        public var reason: String
    }

    public struct Choice: Sendable, Codable, Equatable {
        public var procedure: String
        public var criterion: String
        /// nil when no subset qualifies (the paper procedure when no subset is all-significant).
        public var chosen: Candidate?
    }

    public struct Comparison: Sendable, Codable, Equatable {
        public var choices: [Choice]
        /// Every subset that could be fitted, intercept-only first, then by size and design order.
        public var candidates: [Candidate]
        public var refused: [Refusal]
        public var alpha: Double
        public var folds: Int
        public var seed: UInt64

        public func markdownTable() -> String {
            let f = { (v: Double) in Formatting.significant(v, digits: 4) }
            var lines = ["| procedure | criterion | indicators | R² | adj. R² | BIC | CV R² (\(folds)-fold) | max p |",
                         "|---|---|---|---:|---:|---:|---:|---:|"]
            for c in choices {
                guard let m = c.chosen else {
                    lines.append("| \(c.procedure) | \(c.criterion) | (no subset qualifies) | | | | | |")
                    continue
                }
                let names = m.regressors.isEmpty ? "(intercept only)" : m.regressors.joined(separator: ", ")
                lines.append("| \(c.procedure) | \(c.criterion) | \(names) | \(f(m.rSquared)) | \(f(m.adjustedRSquared)) | "
                    + "\(f(m.bic)) | \(f(m.crossValidatedR2)) | \(m.maxP.map(f) ?? "") |")
            }
            return lines.joined(separator: "\n")
        }
    }

    /// - Parameters:
    ///   - alpha: significance level of the paper procedure.
    ///   - folds: k of the cross-validation (at most the number of rows).
    ///   - seed: seeds the fold assignment (`CrossValidation.folds`).
    public static func compare(_ y: [Double], _ design: Design, alpha: Double = 0.05, folds: Int = 10,
                               seed: UInt64) throws -> Comparison {
        let m = design.names.count
        guard m >= 1, m <= 20 else { throw StatsError.invalidInput("subset search takes 1...20 candidate indicators, got \(m)") }
        let fold = try CrossValidation.folds(count: y.count, k: folds, seed: seed)
        var candidates: [Candidate] = []
        var refused: [Refusal] = []
        for subset in subsets(of: m) {
            let names = subset.map { design.names[$0] }
            do {
                candidates.append(try evaluate(y, try design.selecting(names), fold: fold))
            } catch let error as StatsError {
                refused.append(Refusal(regressors: names, reason: error.description))
            }
        }
        let full = candidates.first { $0.regressors == design.names }
        let significant = candidates.filter { c in c.maxP.map { $0 < alpha } ?? false }
        let paper = significant.max { a, b in
            abs(a.rSquared - b.rSquared) > 1e-12 ? a.rSquared < b.rSquared : a.maxP! > b.maxP!
        }
        let bic = candidates.min { $0.bic < $1.bic }
        let cv = candidates.max { $0.crossValidatedR2 < $1.crossValidatedR2 }
        let choices = [
            Choice(procedure: "paper", criterion: "highest R² with every p < \(alpha)", chosen: paper),
            Choice(procedure: "best subset", criterion: "lowest BIC", chosen: bic),
            Choice(procedure: "best subset", criterion: "highest \(folds)-fold CV R²", chosen: cv),
            Choice(procedure: "reference", criterion: "all candidates", chosen: full),
        ]
        return Comparison(choices: choices, candidates: candidates, refused: refused, alpha: alpha, folds: folds, seed: seed)
    }

    static func evaluate(_ y: [Double], _ design: Design, fold: [Int]) throws -> Candidate {
        let cv = try CrossValidation.kFoldR2(y, design, fold: fold)
        if design.names.isEmpty {
            // Intercept only: R² = 0 by definition; log L and BIC from the centred sum of squares.
            let n = Double(y.count)
            let ssr = CrossValidation.totalSumOfSquares(y)
            let logL = -n / 2 * (log(2 * Double.pi) + log(ssr / n) + 1)
            return Candidate(regressors: [], rSquared: 0, adjustedRSquared: 0, aic: -2 * logL + 2, bic: -2 * logL + log(n),
                             maxP: nil, crossValidatedR2: cv)
        }
        let fit = try OLS.fit(y, design)
        return Candidate(regressors: design.names, rSquared: fit.rSquared, adjustedRSquared: fit.adjustedRSquared,
                         aic: fit.aic, bic: fit.bic, maxP: fit.coefficients.dropFirst().map(\.p).max(),
                         crossValidatedR2: cv)
    }

    /// All subsets of 0..<m as sorted index lists: the empty set, then by size, then lexicographically.
    static func subsets(of m: Int) -> [[Int]] {
        var all: [[Int]] = [[]]
        func extend(_ prefix: [Int], from start: Int, size: Int) {
            if prefix.count == size { all.append(prefix); return }
            guard start < m else { return }
            for i in start..<m { extend(prefix + [i], from: i + 1, size: size) }
        }
        for size in 1...m { extend([], from: 0, size: size) }
        return all
    }
}

#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
