import Core
import Foundation
import Search

/// The parity objectives; bench/search/objectives.py defines the same functions, and flaml_parity.py records
/// check values that `ParityProblem.verifyChecks` compares against before any search runs.
struct ParityProblem {
    let name: String
    let space: SearchSpace
    let lowCost: [String: Double]
    let budget: SearchBudget
    let objective: ([String: Double]) -> Evaluation
}

func doubleDescent(_ c: [String: Double]) -> Evaluation {
    let k = c["k"]!, t = log2(k)
    let f = 2.0 - 0.6 * exp(-pow(t - 6.0, 2) / 0.8) - 0.8 * exp(-pow(t - 10.5, 2) / 1.5) + 0.02 * (t - 4.0)
    return Evaluation(objective: f, cost: k)
}

func branin(_ c: [String: Double]) -> Evaluation {
    let x1 = c["x1"]!, x2 = c["x2"]!
    let b = 5.1 / (4 * Double.pi * Double.pi), cc = 5 / Double.pi, t = 1 / (8 * Double.pi)
    let f = pow(x2 - b * x1 * x1 + cc * x1 - 6, 2) + 10 * (1 - t) * cos(x1) + 10
    return Evaluation(objective: f, cost: 1)
}

func costly(_ c: [String: Double]) -> Evaluation {
    let n = c["n"]!, lr = c["lr"]!
    let f = 1 / n.squareRoot() + 0.25 * pow(log10(lr) + 2.5 - 0.25 * log10(n), 2) + 0.03 * log2(n)
    return Evaluation(objective: f, cost: n)
}

/// A loss-against-k table, interpolated linearly in ln k (the same rule as objectives.py).
struct LossCurve: Decodable {
    let k: [Double]
    let loss: [Double]
    let k_min: Int
    let k_max: Int

    /// Reads and checks the table the lead replaces with a recorded sweep; errors name the file and the field.
    static func load(_ url: URL) throws -> LossCurve {
        let file = url.path
        let curve: LossCurve
        do {
            curve = try JSONDecoder().decode(LossCurve.self, from: Data(contentsOf: url))
        } catch let DecodingError.keyNotFound(key, _) {
            throw InputError(file: file, path: "$.\(key.stringValue)", field: key.stringValue, "missing")
        } catch let DecodingError.typeMismatch(_, context) {
            let path = "$" + context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            throw InputError(file: file, path: path, field: context.codingPath.first?.stringValue, context.debugDescription)
        }
        guard curve.k.count >= 2, curve.k.count == curve.loss.count else {
            throw InputError(file: file, path: "$.loss", field: "loss", "needs one loss per k (\(curve.k.count) k, \(curve.loss.count) losses, at least 2)")
        }
        for i in curve.k.indices {
            guard curve.k[i] >= 1, curve.k[i] == curve.k[i].rounded(), i == 0 || curve.k[i] > curve.k[i - 1] else {
                throw InputError(file: file, path: "$.k[\(i)]", field: "k", "k must be positive integers in increasing order")
            }
            guard curve.loss[i].isFinite else { throw InputError(file: file, path: "$.loss[\(i)]", field: "loss", "not finite") }
        }
        guard curve.k_min >= 1, curve.k_min < curve.k_max else {
            throw InputError(file: file, path: "$.k_min", field: "k_min", "need 1 <= k_min < k_max")
        }
        return curve
    }

    func evaluate(_ c: [String: Double]) -> Evaluation {
        let x = c["k"]!
        if x <= k[0] { return Evaluation(objective: loss[0], cost: x) }
        for i in 1..<k.count where x <= k[i] {
            let w = (log(x) - log(k[i - 1])) / (log(k[i]) - log(k[i - 1]))
            return Evaluation(objective: loss[i - 1] + w * (loss[i] - loss[i - 1]), cost: x)
        }
        return Evaluation(objective: loss[loss.count - 1], cost: x)
    }
}

func parityProblems(curve: LossCurve) throws -> [ParityProblem] {
    [
        ParityProblem(name: "double_descent", space: try SearchSpace([Dimension("k", .logInteger(16, 4096))]),
                      lowCost: ["k": 16], budget: SearchBudget(trials: 30), objective: doubleDescent),
        ParityProblem(name: "branin", space: try SearchSpace([Dimension("x1", .uniform(-5, 10)), Dimension("x2", .uniform(0, 15))]),
                      lowCost: [:], budget: SearchBudget(trials: 60), objective: branin),
        ParityProblem(name: "costly", space: try SearchSpace([Dimension("n", .logInteger(1, 1024)), Dimension("lr", .logUniform(1e-4, 1))]),
                      lowCost: ["n": 1], budget: SearchBudget(cost: 4000), objective: costly),
        ParityProblem(name: "loss_vs_k", space: try SearchSpace([Dimension("k", .logInteger(curve.k_min, curve.k_max))]),
                      lowCost: ["k": Double(curve.k_min)], budget: SearchBudget(trials: 25), objective: curve.evaluate),
    ]
}
