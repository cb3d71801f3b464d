import Corpus
import Stats

/// A set of examples of known relative quality: one model's answers to the 252 self-instruct prompts, or a filtered
/// or random Alpaca subset. Higher ``tier`` means better (davinci 0 … text-davinci-003 4; random Alpaca 0, filtered 1).
public struct AuditGroup: Sendable {
    public var name: String
    public var tier: Int
    public var examples: [Example]

    public init(name: String, tier: Int, examples: [Example]) {
        (self.name, self.tier, self.examples) = (name, tier, examples)
    }
}

/// Does an indicator move the way quality does? Each indicator's mean per group and its Spearman correlation with
/// the groups' known quality order.
///
/// ```swift
/// let meter = MTLDMeter(.lexicalRichness)
/// let row = try IndicatorAudit.audit(indicator: "mtld", groups: probeGroups) { meter.measure($0.response).value }
/// row.spearmanOfMeans   // ρ(tier, group mean): 8 points for the self-instruct models
/// ```
/// Two correlations are reported because they answer different questions: ``Row/spearmanOfMeans`` ranks the group
/// means against the tiers (does the average move with quality?), ``Row/spearmanOfExamples`` ranks every example's
/// value against its group's tier (how well does one value tell quality apart?). A correlation that is undefined
/// (a constant indicator, fewer than two defined groups) is nil with the reason in ``Row/notes``.
///
/// Whether ρ over examples is more than chance is ``Row/association``'s question (a permutation test and a bootstrap
/// interval, ``RankAssociation``); ``verdicts(_:directions:alpha:)`` turns a table of rows into verdicts with
/// Holm's adjustment over the table, so that ten indicators tested at once do not find an ordering by luck.
public enum IndicatorAudit {
    public struct GroupSummary: Codable, Hashable, Sendable {
        public var name: String
        public var tier: Int
        /// nil when no example of the group has a value.
        public var mean: Double?
        public var count: Int
        /// Examples for which the indicator has no value (e.g. MTLD of an empty response).
        public var undefined: Int
    }

    public struct Row: Codable, Hashable, Sendable {
        public var indicator: String
        public var groups: [GroupSummary]
        public var spearmanOfMeans: Double?
        /// ρ over examples with its permutation p and bootstrap interval; nil where ρ is undefined.
        public var association: RankAssociation?
        public var notes: [String]
        /// Spearman ρ of every example's value against its group's tier (``association``'s ρ).
        public var spearmanOfExamples: Double? { association?.rho }
    }

    /// What an audit row says about an indicator, at the family-wise level α over its table.
    public enum Verdict: String, Codable, Hashable, Sendable {
        case ordersAsClaimed = "orders quality as claimed"
        case ordersAgainstClaim = "orders quality against its claim"
        case risesWithQuality = "rises with quality"
        case fallsWithQuality = "falls with quality"
        case noEvidence = "no evidence it orders quality"
        case undefined = "undefined"
    }

    /// - Parameters:
    ///   - permutations, replicates: of ``RankAssociation`` for ρ over examples.
    ///   - seed: of those resamplings; the same seed gives the same row.
    public static func audit(indicator: String, groups: [AuditGroup], permutations: Int = 2000, replicates: Int = 2000,
                             seed: UInt64, value: (Example) throws -> Double?) throws -> Row {
        var summaries: [GroupSummary] = []
        var exampleTiers: [Double] = [], exampleValues: [Double] = []
        var notes: [String] = []
        for group in groups {
            var sum = 0.0, count = 0, undefined = 0
            for example in group.examples {
                guard let v = try value(example) else { undefined += 1; continue }
                guard v.isFinite else {
                    throw StatsError.invalidInput("\(indicator) of example \(example.id) in \(group.name) is not finite")
                }
                sum += v
                count += 1
                exampleTiers.append(Double(group.tier))
                exampleValues.append(v)
            }
            summaries.append(GroupSummary(name: group.name, tier: group.tier, mean: count > 0 ? sum / Double(count) : nil,
                                          count: count, undefined: undefined))
            if undefined > 0 { notes.append("\(group.name): \(undefined) example(s) without a value") }
        }
        let defined = summaries.filter { $0.mean != nil }
        var ofMeans: Double?
        do {
            ofMeans = try Correlation.spearman(defined.map { Double($0.tier) }, defined.map { $0.mean! })
        } catch {
            notes.append("Spearman of group means undefined: \(error)")
        }
        var association: RankAssociation?
        do {
            association = try RankAssociation.measure(values: exampleValues, tiers: exampleTiers.map { Int($0) },
                                                      permutations: permutations, replicates: replicates, seed: seed)
        } catch {
            notes.append("Spearman over examples undefined: \(error)")
        }
        return Row(indicator: indicator, groups: summaries, spearmanOfMeans: ofMeans, association: association, notes: notes)
    }

    /// One verdict per row: ρ over examples tested against no association, its permutation p adjusted by Holm over
    /// the rows that have one. Where the indicator claims a direction, a significant ρ either agrees with the claim
    /// or not; where it claims none, the verdict says which way it moves.
    /// - Parameter directions: each row's claimed direction (by ``Row/indicator``); missing = none claimed.
    public static func verdicts(_ rows: [Row], directions: [String: QualityDirection], alpha: Double = 0.05) -> [Verdict] {
        zip(rows, adjustedP(rows)).map { row, p in
            guard let rho = row.association?.rho, let p else { return .undefined }
            guard p < alpha, rho != 0 else { return .noEvidence }
            if let direction = directions[row.indicator] {
                return rho * direction.sign > 0 ? .ordersAsClaimed : .ordersAgainstClaim
            }
            return rho > 0 ? .risesWithQuality : .fallsWithQuality
        }
    }

    /// Holm-adjusted permutation p of each row (nil where ρ is undefined), as ``verdicts(_:directions:alpha:)`` uses it.
    public static func adjustedP(_ rows: [Row]) -> [Double?] {
        let tested = rows.indices.filter { rows[$0].association != nil }
        let adjusted = Holm.adjust(tested.map { rows[$0].association!.permutationP })
        var out = [Double?](repeating: nil, count: rows.count)
        for (k, i) in tested.enumerated() { out[i] = adjusted[k] }
        return out
    }
}
