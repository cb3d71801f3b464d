import Core
import Foundation
import Indicators
import Yams

/// A rule as a file: `predicted log loss = intercept + Σ coefficient · indicator`, each indicator named by its exact
/// variant key, with the range of subset means the rule was fitted on (where its predictions can be trusted).
///
/// `imine rule export` writes a fitted rule as YAML; `imine mine --rule RULE.yaml` reads it back:
///
/// ```yaml
/// format: imine-rule-1
/// procedure: paper (p < 0.05)
/// intercept: 1.234
/// indicators:
///   - name: mtld
///     variant: 3f2a…            # indicator_variant.key in the store
///     coefficient: -0.0012
///     fit_range: [54.1, 61.9]   # min and max of the fitted subsets' means
///     fit_sd: 1.7               # their standard deviation
/// provenance: {profile: quick, cell: 02-rule-fit/fit, cache_key: …}
/// ```
public struct MiningRule: Codable, Equatable, Sendable {
    public struct Term: Codable, Equatable, Sendable {
        public var name: String
        public var variant: String?
        public var coefficient: Double
        public var fitRange: [Double]?
        public var fitSD: Double?
    }

    public static let format = "imine-rule-1"
    public var procedure: String
    public var intercept: Double
    public var terms: [Term]
    public var provenance: [String: String]

    public var names: [String] { terms.map(\.name) }

    /// The predicted log loss of one example from its indicator values (by name).
    public func predict(_ value: (String) -> Double) -> Double {
        terms.reduce(intercept) { $0 + $1.coefficient * value($1.name) }
    }

    public var equation: String {
        terms.reduce("log L = \(Self.number(intercept))") { text, term in
            text + (term.coefficient < 0 ? " − " : " + ") + Self.number(abs(term.coefficient)) + " · " + term.name
        }
    }

    /// The rule as YAML, byte for byte the same for the same rule (shortest round-trip numbers, fixed key order).
    public var yaml: String {
        var lines = ["format: \(Self.format)", "procedure: \(Self.quoted(procedure))", "intercept: \(intercept)", "indicators:"]
        for term in terms {
            lines.append("  - name: \(Self.quoted(term.name))")
            if let variant = term.variant { lines.append("    variant: \(Self.quoted(variant))") }
            lines.append("    coefficient: \(term.coefficient)")
            if let range = term.fitRange { lines.append("    fit_range: [\(range.map { "\($0)" }.joined(separator: ", "))]") }
            if let sd = term.fitSD { lines.append("    fit_sd: \(sd)") }
        }
        lines.append("provenance:")
        for key in provenance.keys.sorted() { lines.append("  \(key): \(Self.quoted(provenance[key]!))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Reads a rule file; a missing or mistyped field is named with the file.
    public static func load(path: String) throws -> MiningRule {
        let text = try FileReading.text(path, maxBytes: 1 << 20)
        try YAMLTextLimits.check(text, file: path, maxBytes: 1 << 20)
        let root: Any?
        do { root = try Yams.load(yaml: text) } catch { throw InputError(file: path, "is not YAML: \(error)") }
        guard let map = root as? [String: Any] else { throw InputError(file: path, "expected a mapping with format, intercept and indicators") }
        guard map["format"] as? String == format else {
            throw InputError(file: path, field: "format", "expected '\(format)', found \(map["format"].map { "\($0)" } ?? "nothing")")
        }
        func number(_ value: Any?, _ field: String) throws -> Double {
            if let d = value as? Double, d.isFinite { return d }
            if let i = value as? Int { return Double(i) }
            throw InputError(file: path, field: field, "expected a finite number, found \(value.map { "\($0)" } ?? "nothing")")
        }
        guard let list = map["indicators"] as? [[String: Any]], !list.isEmpty else {
            throw InputError(file: path, field: "indicators", "expected a non-empty list of {name, variant, coefficient}")
        }
        var terms: [Term] = []
        for (i, item) in list.enumerated() {
            let field = "indicators[\(i)]"
            guard let name = item["name"] as? String, !name.isEmpty else { throw InputError(file: path, field: "\(field).name", "expected an indicator name") }
            var range: [Double]?
            if let raw = item["fit_range"] {
                guard let pair = raw as? [Any], pair.count == 2 else { throw InputError(file: path, field: "\(field).fit_range", "expected [min, max]") }
                range = try pair.map { try number($0, "\(field).fit_range") }
            }
            terms.append(Term(name: name, variant: item["variant"] as? String, coefficient: try number(item["coefficient"], "\(field).coefficient"),
                              fitRange: range, fitSD: try item["fit_sd"].map { try number($0, "\(field).fit_sd") }))
        }
        guard Set(terms.map(\.name)).count == terms.count else { throw InputError(file: path, field: "indicators", "an indicator is named twice") }
        let provenance = (map["provenance"] as? [String: Any] ?? [:]).mapValues { "\($0)" }
        return MiningRule(procedure: map["procedure"] as? String ?? "from \(path)", intercept: try number(map["intercept"], "intercept"),
                          terms: terms, provenance: provenance)
    }

    static func number(_ x: Double) -> String { String(format: "%.4g", x) }

    /// YAML double-quoted scalar: safe for any text.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
