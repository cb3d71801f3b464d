import Foundation
import Workbench
import Yams

/// The paper's reported values (`paper-repro/reference/paper-values.yaml`), each with its source class:
/// P (the paper's abstract) or R (quoted by reviews; approximate). Printed beside the workbench's numbers.
struct PaperReference {
    static let path = "paper-repro/reference/paper-values.yaml"
    let root: [String: Any]

    static func load() throws -> PaperReference {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StepError.failed(step: "reference", "cannot read \(path) (run imine from the repository root)")
        }
        guard let root = try Yams.load(yaml: text) as? [String: Any] else {
            throw StepError.failed(step: "reference", "\(path) is not a YAML mapping")
        }
        return PaperReference(root: root)
    }

    func value(_ path: String) -> Any? {
        path.split(separator: ".").reduce(root as Any?) { node, key in (node as? [String: Any])?[String(key)] }
    }

    func double(_ path: String) -> Double? {
        if let d = value(path) as? Double { return d }
        if let i = value(path) as? Int { return Double(i) }
        return nil
    }

    /// The paper's indicator names mapped onto the workbench's regressor names.
    static let indicatorNames = ["reward": "reward", "output_length": "output_length", "knn_6": "knn6",
                                 "unieval_understandability": "unieval_understandability",
                                 "unieval_naturalness": "unieval_naturalness", "unieval_coherence": "unieval_coherence"]

    /// The workbench's stand-ins for the paper's UniEval scores: the same Boolean questions put to the `indicators.lm`
    /// model as judge (``JudgeIndicator``). Used for a paper rule only when UniEval's own scores were not imported.
    static let judgeStandIns = ["unieval_understandability": "judge_understandability",
                                "unieval_naturalness": "judge_naturalness", "unieval_coherence": "judge_coherence"]

    /// The workbench indicator that carries the paper's `key`: its own name, else its judge stand-in when that is
    /// one of `available` and the name is not.
    static func workbenchName(paperKey key: String, available: [String]) -> String {
        let name = indicatorNames[key] ?? key
        if !available.contains(name), let standIn = judgeStandIns[key], available.contains(standIn) { return standIn }
        return name
    }

    /// The paper's key of a workbench indicator name (a judge stand-in's is its UniEval score's).
    static func paperKey(of name: String) -> String {
        indicatorNames.first { $0.value == name }?.key ?? judgeStandIns.first { $0.value == name }?.key ?? name
    }

    /// The paper's v1 and v2 rules beside ours, coefficient by coefficient.
    func rulesTable(ours: Rule) -> Table {
        var names = Set(ours.indicators)
        for version in ["v1", "v2"] {
            for key in ((value("rules.\(version).coefficients") as? [String: Any]) ?? [:]).keys {
                names.insert(PaperReference.workbenchName(paperKey: key, available: ours.indicators))
            }
        }
        func paper(_ version: String, _ name: String) -> String {
            double("rules.\(version).coefficients.\(PaperReference.paperKey(of: name))").map { String(format: "%+.4g", $0) } ?? "—"
        }
        var rows = [["intercept", double("rules.v1.intercept").map { String(format: "%+.4g", $0) } ?? "—",
                     double("rules.v2.intercept").map { String(format: "%+.4g", $0) } ?? "—", String(format: "%+.4g", ours.intercept)]]
        for name in names.sorted() {
            rows.append([name, paper("v1", name), paper("v2", name), ours.coefficients[name].map { String(format: "%+.4g", $0) } ?? "—"])
        }
        rows.append(["R²", "not reported", double("rules.v2.r_squared").map { Table.number($0, digits: 3) } ?? "—", ""])
        return Table(title: "The paper's rules beside ours", columns: ["indicator", "paper v1 (R)", "paper v2/v3 (R)", "ours"], rows: rows,
                     note: "R: quoted by reviews, approximate. The paper's rules are for LLaMA-2-7B with its own reward model and UniEval scores; compare signs, not magnitudes. The paper's UniEval scores are matched with our judge_* indicators where those exist (the same Boolean questions put to indicators.lm as judge, not UniEval's T5).")
    }

    /// A published rule as a workbench ``Rule``, when every indicator it names is one of `available`; nil otherwise
    /// (v2 needs UniEval's scores or their judge stand-ins, which only a profile with a real `indicators.lm` has).
    func rule(_ version: String, available: [String]) -> Rule? {
        guard let intercept = double("rules.\(version).intercept"),
              let coefficients = value("rules.\(version).coefficients") as? [String: Any] else { return nil }
        var mapped: [String: Double] = [:]
        for (key, value) in coefficients {
            let name = PaperReference.workbenchName(paperKey: key, available: available)
            guard available.contains(name), let beta = (value as? Double) ?? (value as? Int).map(Double.init) else { return nil }
            mapped[name] = beta
        }
        let judged = mapped.keys.contains { $0.hasPrefix("judge_") } ? "; UniEval scores from the indicators.lm judge" : ""
        return Rule(intercept: intercept, coefficients: mapped, procedure: "paper \(version) (published coefficients\(judged))")
    }
}
