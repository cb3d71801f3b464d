import Core
import Corpus
import Foundation
import Workbench

/// Draws the rule-fitting subsets: for each, mixture weights uniform on the simplex over the pool's sources
/// (Dirichlet(1): normalised exponential draws), counts by largest remainder (capped by what a source holds, the
/// rest redistributed), then examples without replacement within each source.
enum SubsetsStep: Step {
    static let name = "rule.subsets"
    static let version = 1
    static let summary = "Draws the rule-fitting experiment's mixed subsets over the rule-fit pool's sources."
    static let inputs = StepInputs.reads(PoolsStep.self)
    static let profileKeys = ["rule_fit"]

    static func run(_ context: StepContext) throws -> StepOutput {
        let sample = try SelectionPool.ruleFit(context, pools: try PoolsRef(context))
        let poolName = sample.name
        let examples = sample.examples
        let count = try context.profile.int("rule_fit.subsets"), size = try context.profile.int("rule_fit.subset_size")
        var random = context.random("mixtures")
        let subsets = try (0..<count).map { index in
            try MixtureSampler.draw(from: examples, size: size, random: &random, index: index)
        }
        let sources = Array(Set(examples.map(\.source))).sorted()
        let rows = subsets.prefix(12).map { subset in ["\(subset.index)"] + sources.map { Table.number(subset.weights[$0] ?? 0, digits: 2) } }
        return try StepOutput(payload: SubsetsPayload(pool: poolName, subsets: subsets))
            .table(Table(title: "Mixture weights (first \(rows.count) of \(subsets.count) subsets of \(size))", columns: ["subset"] + sources, rows: rows,
                         note: "Weights are uniform on the simplex, so subsets range from nearly one source to even mixes, as in the paper's mixed subsets."))
    }
}

/// One mixed subset of the rule-fitting experiment: which examples, drawn with which mixture weights.
struct MixedSubset: Codable {
    var index: Int
    /// Mixture weight per source, summing to 1.
    var weights: [String: Double]
    var exampleIDs: [String]
}

struct SubsetsPayload: Codable {
    var pool: String
    var subsets: [MixedSubset]
}

/// Draws one subset of `size` examples with random mixture weights over the examples' sources.
enum MixtureSampler {
    static func draw(from examples: [Example], size: Int, random: inout SeededRandom, index: Int) throws -> MixedSubset {
        let bySource = Dictionary(grouping: examples.indices, by: { examples[$0].source })
        let sources = bySource.keys.sorted()
        guard size <= examples.count else {
            throw StepError.failed(step: SubsetsStep.name, "subset size \(size) exceeds the pool's \(examples.count) examples")
        }
        var draws = sources.map { _ in -log(1 - random.uniform()) }
        let total = draws.reduce(0, +)
        draws = draws.map { $0 / total }
        let counts = allocate(size, weights: draws, capacity: sources.map { bySource[$0]!.count })
        var ids: [String] = []
        for (s, source) in sources.enumerated() where counts[s] > 0 {
            let members = bySource[source]!
            for pick in random.sample(counts[s], from: members.count) { ids.append(examples[members[pick]].id) }
        }
        return MixedSubset(index: index, weights: Dictionary(uniqueKeysWithValues: zip(sources, draws)), exampleIDs: ids)
    }

    /// Largest-remainder allocation of `total` by `weights`, never above a source's capacity.
    static func allocate(_ total: Int, weights: [Double], capacity: [Int]) -> [Int] {
        var counts = weights.indices.map { min(capacity[$0], Int((weights[$0] * Double(total)).rounded(.down))) }
        var left = total - counts.reduce(0, +)
        let order = weights.indices.sorted { (weights[$0] * Double(total)).truncatingRemainder(dividingBy: 1) > (weights[$1] * Double(total)).truncatingRemainder(dividingBy: 1) }
        while left > 0 {
            var placed = false
            for i in order + weights.indices.sorted(by: { weights[$0] > weights[$1] }) where left > 0 && counts[i] < capacity[i] {
                counts[i] += 1; left -= 1; placed = true
            }
            if !placed { break }
        }
        return counts
    }
}
