/// The balance point: the data size from which quality-selected and randomly selected data give statistically
/// equivalent loss.
///
/// At each size the two seed samples are compared with a TOST (`Equivalence.tost`) at the given margin and with a
/// two-sided Welch test. The balance point is the smallest size at which equivalence holds *and keeps holding at
/// every larger size measured*, so one lucky size in the middle of a gap does not count. Nil when the largest size
/// is not equivalent. Requiring every one of those TOSTs to reject is an intersection–union test, so the sizes need
/// no multiplicity correction: the claim "equivalent from size s on" is wrong with probability at most α.
///
/// ```swift
/// let r = try BalancePoint.find(sizes: [1000, 2000, 4000], selected: selectedLosses, random: randomLosses,
///                               margin: .relative(0.01))
/// r.balanceSize   // e.g. 4000, or nil
/// ```
public enum BalancePoint {
    public struct Row: Sendable, Codable, Equatable {
        public var size: Double
        /// mean(selected) − mean(random); negative when selection helps (lower loss).
        public var difference: Double
        public var margin: Double
        public var equivalence: Equivalence.Result
        public var differenceTest: TTestResult
        public var equivalent: Bool
    }

    public struct Result: Sendable, Codable, Equatable {
        public var rows: [Row]
        public var alpha: Double
        public var balanceSize: Double?
    }

    public static func find(sizes: [Double], selected: [[Double]], random: [[Double]],
                            margin: EquivalenceMargin = .relative(0.01), alpha: Double = 0.05) throws -> Result {
        _ = try MeasuredCurve(sizes: sizes, values: selected)
        _ = try MeasuredCurve(sizes: sizes, values: random)
        var rows: [Row] = []
        for (k, size) in sizes.enumerated() {
            let m = margin.value(reference: random[k])
            let tost = try Equivalence.tost(selected[k], random[k], margin: m)
            let welch = try Welch.test(selected[k], random[k])
            rows.append(Row(size: size, difference: welch.meanDifference, margin: m, equivalence: tost,
                            differenceTest: welch, equivalent: tost.equivalent(alpha: alpha)))
        }
        var balance: Double?
        for k in rows.indices.reversed() {
            guard rows[k].equivalent else { break }
            balance = rows[k].size
        }
        return Result(rows: rows, alpha: alpha, balanceSize: balance)
    }
}
