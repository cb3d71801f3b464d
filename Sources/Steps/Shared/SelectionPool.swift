import Core
import Corpus
import Foundation
import Stats
import Workbench

/// A seeded sample of a declared pool, the same in every step: the unseen pool the rule selects from
/// (`selection.pool_size` examples of `selection`; the paper drew 100,000 random OpenOrca examples) or the
/// rule-fitting pool (`rule_fit.pool_size` examples of `rule-fit`), with rankings under a rule.
struct SelectionPool {
    let name: String
    let examples: [Example]

    /// The selection pool sample (profile key `selection.pool_size`).
    init(_ context: StepContext, pools: PoolsRef) throws {
        try self.init(context, pools: pools, pool: "selection", sizeKey: "selection.pool_size")
    }

    init(_ context: StepContext, pools: PoolsRef, pool: String, sizeKey: String) throws {
        let all = try pools.examples(pool)
        let size = min(try context.profile.int(sizeKey), all.count)
        // The sample depends only on the profile seed and the pool, so every step sees the same one.
        var random = SeededRandom(seed: context.seed, stream: "pool-sample/\(pool)")
        name = pool
        examples = random.sample(size, from: all.count).sorted().map { all[$0] }
    }

    /// The rule-fitting pool sample (profile key `rule_fit.pool_size`).
    static func ruleFit(_ context: StepContext, pools: PoolsRef) throws -> SelectionPool {
        try SelectionPool(context, pools: pools, pool: "rule-fit", sizeKey: "rule_fit.pool_size")
    }

    /// Examples ordered best first by `score` (lower is better); ties keep pool order.
    func ranked(by score: (Example) throws -> Double) rethrows -> [Example] {
        let scores = try examples.map(score)
        return examples.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }.map { examples[$0] }
    }

    /// The rule's ranking: lowest predicted log loss first.
    func ranked(by rule: Rule, table: IndicatorTable) throws -> [Example] {
        try ranked { example in try rule.predict { try table.value($0, example.id) } }
    }

    /// `k` examples drawn at random from the pool with a named seeded stream.
    func random(_ k: Int, seed: UInt64, stream: String) -> [Example] {
        var random = SeededRandom(seed: seed, stream: stream)
        return random.sample(min(k, examples.count), from: examples.count).sorted().map { examples[$0] }
    }
}

extension Table {
    /// "mean ± sd" of a sample, for cells that report a result over seeds.
    static func meanSD(_ xs: [Double], digits: Int = 4) -> String {
        number(Sample.mean(xs), digits: digits) + " ± " + number(Sample.standardDeviation(xs), digits: digits)
    }
}
