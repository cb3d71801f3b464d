import Core
import Corpus
import Foundation

/// The rule's choice from a dataset: every example ranked by predicted log loss (lowest first; ties keep input
/// order, so the same input and rule give the same subset), and the top `count`, skipping near-duplicates of
/// examples already taken.
///
/// A near-duplicate is an example whose prompt and response, lowercased with everything but letters and digits
/// collapsed to single spaces, equal those of a better-ranked example (exact duplicates are removed on loading).
public struct MiningSelection: Sendable {
    /// Predicted log loss of each example, in input order.
    public let predicted: [Double]
    /// Example indices, best first.
    public let ranking: [Int]
    /// The chosen example indices, best first.
    public let selected: [Int]
    /// Indices skipped as near-duplicates of a better-ranked example while filling the selection.
    public let nearDuplicates: [Int]

    public init(examples: [Example], columns: [String: [Double]], rule: MiningRule, count: Int) {
        predicted = examples.indices.map { i in rule.predict { columns[$0]![i] } }
        let scores = predicted
        ranking = examples.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        var seen: Set<String> = []
        var selected: [Int] = [], skipped: [Int] = []
        for i in ranking where selected.count < count {
            if seen.insert(Self.normalised(examples[i])).inserted { selected.append(i) } else { skipped.append(i) }
        }
        self.selected = selected
        nearDuplicates = skipped
    }

    /// How many examples `--top K` or `--fraction F` asks for out of `total` (a fraction rounds up: never zero).
    public static func count(top: Int?, fraction: Double?, total: Int) throws -> Int {
        switch (top, fraction) {
        case (let k?, nil) where k >= 1: return min(k, total)
        case (nil, let f?) where f > 0 && f <= 1: return min(total, Int((f * Double(total)).rounded(.up)))
        case (nil, nil), (.some, .some): throw InputError(file: "(command line)", "give exactly one of --top K and --fraction F")
        default: throw InputError(file: "(command line)", "--top must be at least 1 and --fraction in (0, 1]")
        }
    }

    static func normalised(_ example: Example) -> String {
        var out = ""
        var space = false
        for scalar in (example.turns.map(\.text) + [example.promptText, example.response]).joined(separator: " ").lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if space && !out.isEmpty { out += " " }
                out.unicodeScalars.append(scalar)
                space = false
            } else { space = true }
        }
        return out
    }
}
