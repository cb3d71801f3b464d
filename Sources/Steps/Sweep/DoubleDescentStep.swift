import Foundation
import Stats
import Workbench

struct DoubleDescentPayload: Codable {
    /// Keyed "rule/eval-self-instruct" etc.
    var tests: [String: CurveShape.Result]
}

/// Decides, by a stated test, whether each loss-against-size curve is non-monotonic and shows double descent.
enum DoubleDescentStep: Step {
    static let name = "sweep.double-descent"
    static let version = 2  // 2: an adjusted p below 0.001 reads "p < 0.001", not "p=0.000"
    static let summary = "Tests each sweep curve for non-monotonicity and double descent (pairwise Welch, Holm-corrected)."
    static let inputs = StepInputs.reads(SizeSweepStep.self)
    static let parameters = [ParameterSpec("alpha", .double, default: 0.05, "family-wise error rate", range: 1e-9...0.5)]

    static func run(_ context: StepContext) throws -> StepOutput {
        let sweep = try context.input(SizeSweepStep.self, as: SweepPayload.self)
        let alpha = try context.parameters.double("alpha")
        var tests: [String: CurveShape.Result] = [:]
        var rows: [[String]] = []
        for kind in ["rule", "random"] {
            for set in [Finetunes.mainSet, Finetunes.heldOutSet] {
                let curve = try MeasuredCurve(sizes: sweep.sizes.map(Double.init), values: sweep.losses(kind, set: set))
                let result = try CurveShape.test(curve, alpha: alpha)
                tests["\(kind)/\(set)"] = result
                let rises = result.significantRises.map { "\(sweep.sizes[$0.from])→\(sweep.sizes[$0.to]) (\(Table.pStatement($0.adjustedP)))" }
                rows.append([kind == "rule" ? "rule top k" : "random k", set, result.nonMonotone ? "yes" : "not shown",
                             result.doubleDescent ? "yes" : "not shown", rises.isEmpty ? "—" : rises.joined(separator: ", ")])
            }
        }
        let any = tests.values.contains { $0.doubleDescent }
        let nonMonotone = tests.values.contains { $0.nonMonotone }
        let verdict = any ? "agrees (double descent shown on at least one curve)" :
            nonMonotone ? "partly: a significant rise, but not the full fall–rise–fall shape" : "not shown at this scale and seed count"
        return try StepOutput(payload: DoubleDescentPayload(tests: tests))
            .table(Table(title: "Is loss against size non-monotonic? (α = \(alpha), Holm over all pairs of sizes)",
                         columns: ["data", "evaluation set", "non-monotonic", "double descent", "significant rises"], rows: rows,
                         note: "Test: one-sided Welch t-tests of a rise and of a fall between every pair of sizes, Holm-adjusted as one family. Double descent = significant fall, then rise, then fall in size order. 'Not shown' is not 'absent': with few seeds the test has little power."))
            .text("**Claim (P): double descent — \(verdict).**")
            .figure(SweepFigures.curves(sweep, set: Finetunes.mainSet, name: "double-descent", title: "Self-instruct loss against data size"))
    }
}
