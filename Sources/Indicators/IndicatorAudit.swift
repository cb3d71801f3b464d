import Corpus
import Stats

/// A set of examples of known relative quality: one model's answers to the 252 self-instruct prompts, or a filtered
/// or random Alpaca subset. Higher ``tier`` means better (davinci 0 … text-davinci-003 4; random Alpaca 0, filtered 1).
public struct AuditGroup: Sendable {
    public var name: String
    public var tier: Int
    public var examples: [Example]

    public init(name: String, tier: Int, examples: [Example]) {
        self.name = name
        self.tier = tier
        self.examples = examples
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
        public var spearmanOfExamples: Double?
        public var notes: [String]
    }

    public static func audit(indicator: String, groups: [AuditGroup], value: (Example) throws -> Double?) throws -> Row {
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
        var ofExamples: Double?
        do {
            ofExamples = try Correlation.spearman(exampleTiers, exampleValues)
        } catch {
            notes.append("Spearman over examples undefined: \(error)")
        }
        return Row(indicator: indicator, groups: summaries, spearmanOfMeans: ofMeans, spearmanOfExamples: ofExamples, notes: notes)
    }
}
