import Foundation
import Stats
import Workbench

struct BalancePayload: Codable {
    var main: BalancePoint.Result
    var heldOut: BalancePoint.Result
    var marginFraction: Double
    /// The sweep grid's largest size: a balance point there alone is weak evidence.
    var largestSize: Int
}

/// The smallest size from which selected and random data are statistically equivalent (TOST) at every larger size.
enum BalancePointStep: Step {
    static let name = "sweep.balance-point"
    static let version = 3  // 3: TOST p below 0.001 reads "< 0.001", not "0.000"
    static let summary = "Finds the balance point by TOST equivalence of rule-selected and random losses, size by size."
    static let inputs = StepInputs.reads(SizeSweepStep.self)
    static let parameters = [
        ParameterSpec("margin", .double, default: 0.01, "equivalence margin as a fraction of the random mean loss", range: 1e-9...1),
        ParameterSpec("alpha", .double, default: 0.05, "level of each one-sided test", range: 1e-9...0.5),
    ]

    static func run(_ context: StepContext) throws -> StepOutput {
        let sweep = try context.input(SizeSweepStep.self, as: SweepPayload.self)
        let margin = try context.parameters.double("margin"), alpha = try context.parameters.double("alpha")
        let sizes = sweep.sizes.map(Double.init)
        func find(_ set: String) throws -> BalancePoint.Result {
            try BalancePoint.find(sizes: sizes, selected: sweep.losses("rule", set: set), random: sweep.losses("random", set: set),
                                  margin: .relative(margin), alpha: alpha)
        }
        let main = try find(Finetunes.mainSet), held = try find(Finetunes.heldOutSet)
        let rows = main.rows.indices.map { i -> [String] in
            let m = main.rows[i], h = held.rows[i]
            return ["\(Int(m.size))", Table.number(m.difference), Table.number(m.margin), Table.pValue(m.equivalence.p), m.equivalent ? "yes" : "no",
                    Table.number(h.difference), Table.pValue(h.equivalence.p), h.equivalent ? "yes" : "no"]
        }
        func describe(_ r: BalancePoint.Result) -> String {
            guard let size = r.balanceSize else { return "not reached within the grid" }
            let i = sweep.sizes.firstIndex(of: Int(size))!
            return "\(Int(size)) examples (\(Table.number(sweep.shared[i] * 100, digits: 1))% of a random subset that size is also in the rule's top k"
                + (i == sweep.sizes.count - 1 ? "; the grid's largest size only" : "") + ")"
        }
        // Equivalence first reached at the last grid size, where the two subsets overlap most, is the weakest evidence.
        let caveat = main.balanceSize.map { Int($0) == sweep.sizes.last! } == true
            ? " Equivalence is reached only at the grid's largest size, \(sweep.sizes.last!) of a pool of \(sweep.poolSize), where selected and random subsets share much of their data: this cannot tell a balance point from the end of the grid."
            : ""
        let markers = main.balanceSize.map { [FigureSpec.Marker(at: $0, label: "balance point")] } ?? []
        return try StepOutput(payload: BalancePayload(main: main, heldOut: held, marginFraction: margin, largestSize: sweep.sizes.last!))
            .table(Table(title: "Selected − random, size by size (TOST, margin ±\(Table.number(margin * 100, digits: 1))% of the random mean)",
                         columns: ["size", "Δ self-instruct", "margin", "TOST p", "equivalent", "Δ MT-Bench", "TOST p", "equivalent"], rows: rows,
                         note: "Δ < 0: the rule's selection has lower loss. Equivalent: both one-sided tests reject a difference beyond the margin at α = \(alpha). The balance point is the smallest size from which every larger size is equivalent."))
            .text("**Claim (P): a balance point exists.** Self-instruct: \(describe(main)); MT-Bench + Vicuna: \(describe(held)).\(caveat)")
            .figure(SweepFigures.curves(sweep, set: Finetunes.mainSet, name: "balance-point", title: "Rule-selected and random data converge", markers: markers))
    }
}
