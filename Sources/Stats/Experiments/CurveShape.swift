/// A loss measured at several data sizes, each over several finetune seeds.
public struct MeasuredCurve: Sendable, Codable, Equatable {
    public var sizes: [Double]
    /// `values[i]` are the losses at `sizes[i]`, one per seed (at least 2 per size).
    public var values: [[Double]]

    public init(sizes: [Double], values: [[Double]]) throws {
        guard sizes.count == values.count, sizes.count >= 2 else {
            throw StatsError.invalidInput("a curve needs >= 2 sizes with one value list each (got \(sizes.count) sizes, \(values.count) lists)")
        }
        guard zip(sizes, sizes.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw StatsError.invalidInput("curve sizes must be strictly increasing: \(sizes)")
        }
        if let i = values.firstIndex(where: { $0.count < 2 }) {
            throw StatsError.invalidInput("size \(sizes[i]) has \(values[i].count) measurement(s); a test across seeds needs >= 2")
        }
        self.sizes = sizes
        self.values = values
    }
}

/// Does a loss-vs-size curve measured over seeds really go down, up, and down again ("double descent"), or is the
/// wiggle within seed noise?
///
/// **The test.** For every ordered pair of sizes i < j we run two one-sided Welch t tests on the seed samples:
/// a *rise* (H₁: loss at j > loss at i) and a *fall* (H₁: loss at j < loss at i). All m(m − 1) tests form one family
/// whose p-values get Holm's adjustment, so the chance of reporting any spurious rise or fall is at most α whatever
/// the shape. Testing every pair, not only neighbours, lets a rise that builds over several sizes count, and
/// including the pairs that point the "wrong" way costs nothing (their p-values are above ½).
/// - The curve is **non-monotone** when at least one rise is significant (losses are expected to fall with data).
/// - It shows **double descent** when significant changes occur in the order fall, rise, fall: sizes
///   a < b ≤ c < d ≤ e < f with a significant fall a→b, rise c→d and fall e→f. (The paper's wording: performance
///   first improves, then gets worse, then improves again.)
/// With 3 seeds per size the test has little power; a "no" means "not shown", which is how the report words it.
public enum CurveShape {
    public struct PairTest: Sendable, Codable, Equatable {
        public enum Direction: String, Sendable, Codable { case rise, fall }
        public var from: Int
        public var to: Int
        public var direction: Direction
        public var test: TTestResult
        public var adjustedP: Double
        public var significant: Bool
    }

    public struct Result: Sendable, Codable, Equatable {
        public var alpha: Double
        public var tests: [PairTest]
        public var nonMonotone: Bool
        public var doubleDescent: Bool
        /// Indices (a, b, c, d, e, f) of the fall a→b, rise c→d and fall e→f that show double descent.
        public var witness: [Int]?
        public var significantRises: [PairTest] { tests.filter { $0.significant && $0.direction == .rise } }
        public var significantFalls: [PairTest] { tests.filter { $0.significant && $0.direction == .fall } }
    }

    public static func test(_ curve: MeasuredCurve, alpha: Double = 0.05) throws -> Result {
        var tests: [PairTest] = []
        for i in curve.sizes.indices {
            for j in curve.sizes.indices where j > i {
                let rise = try Welch.test(curve.values[j], curve.values[i], alternative: .greater)
                let fall = try Welch.test(curve.values[j], curve.values[i], alternative: .less)
                tests.append(PairTest(from: i, to: j, direction: .rise, test: rise, adjustedP: 1, significant: false))
                tests.append(PairTest(from: i, to: j, direction: .fall, test: fall, adjustedP: 1, significant: false))
            }
        }
        let adjusted = Holm.adjust(tests.map(\.test.p))
        for k in tests.indices {
            tests[k].adjustedP = adjusted[k]
            tests[k].significant = adjusted[k] < alpha
        }
        let falls = tests.filter { $0.significant && $0.direction == .fall }
        let rises = tests.filter { $0.significant && $0.direction == .rise }
        // Greedy is optimal: the earliest-ending first fall leaves the most room for the rise, and so on.
        var witness: [Int]?
        if let first = falls.min(by: { ($0.to, $0.from) < ($1.to, $1.from) }),
           let rise = rises.filter({ $0.from >= first.to }).min(by: { ($0.to, $0.from) < ($1.to, $1.from) }),
           let second = falls.filter({ $0.from >= rise.to }).min(by: { ($0.to, $0.from) < ($1.to, $1.from) }) {
            witness = [first.from, first.to, rise.from, rise.to, second.from, second.to]
        }
        return Result(alpha: alpha, tests: tests, nonMonotone: !rises.isEmpty, doubleDescent: witness != nil, witness: witness)
    }
}
