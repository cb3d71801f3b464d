import Core
import Foundation

/// What a profile may contain: every key with its type and allowed range, and the rules that tie keys together.
/// ``validate(_:)`` checks a whole profile at once, before anything runs, and reports every problem with the file,
/// the key and what is allowed.
///
/// One line per key; a new section is a few more lines:
///
///     ProfileSchema([
///         .int("finetune.epochs", 1...1_000, "passes over each subset"),
///         .double("finetune.learning_rate", 1e-8...1, "AdamW step size"),
///         .ints("sweep.sizes", 1...10_000_000, "subset sizes of the sweep"),
///         .string("oracle.model", required: false, "a GGUF file under models/"),
///     ], rules: [
///         .divisible("model.d_model", by: "model.heads"),
///         .atMost("selection.top_k", "selection.pool_size"),
///     ])
///
/// A key the schema does not list is an error too (a typo such as `finetune.epoch` would otherwise be ignored).
/// Upper bounds exist so that no profile value can ask for an allocation the machine cannot make.
public struct ProfileSchema: Sendable {
    public var keys: [Key]
    public var rules: [Rule]

    public init(_ keys: [Key], rules: [Rule] = []) {
        self.keys = keys
        self.rules = rules
    }

    /// One key: its dotted name, its type and range, whether a profile must set it, and what it means.
    public struct Key: Sendable {
        /// `section`: a mapping whose contents its owner checks (through `checkSection`), such as `oracle`, whose
        /// keys depend on the backend it names.
        public enum Kind: Sendable { case int, double, string, bool, ints, doubles, section }
        public var name: String
        public var kind: Kind
        /// Inclusive bounds for numbers (each element of a list); nil for strings and booleans.
        public var range: ClosedRange<Double>?
        public var required: Bool
        public var help: String
        /// For a `section`: nil when its mapping is valid, else what is wrong (naming the sub-key).
        public var checkSection: (@Sendable (JSONValue) -> String?)? = nil

        public static func int(_ name: String, _ range: ClosedRange<Int>, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .int, range: Double(range.lowerBound)...Double(range.upperBound), required: required, help: help)
        }
        public static func double(_ name: String, _ range: ClosedRange<Double>, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .double, range: range, required: required, help: help)
        }
        public static func ints(_ name: String, _ range: ClosedRange<Int>, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .ints, range: Double(range.lowerBound)...Double(range.upperBound), required: required, help: help)
        }
        public static func doubles(_ name: String, _ range: ClosedRange<Double>, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .doubles, range: range, required: required, help: help)
        }
        public static func string(_ name: String, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .string, range: nil, required: required, help: help)
        }
        public static func bool(_ name: String, required: Bool = true, _ help: String = "") -> Key {
            Key(name: name, kind: .bool, range: nil, required: required, help: help)
        }
        public static func section(_ name: String, required: Bool = false, _ help: String = "",
                                   check: @escaping @Sendable (JSONValue) -> String?) -> Key {
            Key(name: name, kind: .section, range: nil, required: required, help: help, checkSection: check)
        }

        /// "an integer from 1 to 64", "a list of numbers from 0 to 1": the allowed values in words.
        public var allowed: String {
            let noun: String
            switch kind {
            case .int: noun = "an integer"
            case .double: noun = "a number"
            case .string: return "a string"
            case .bool: return "true or false"
            case .section: return "a mapping"
            case .ints: noun = "a non-empty list of integers"
            case .doubles: noun = "a non-empty list of numbers"
            }
            guard let range else { return noun }
            return "\(noun) from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))"
        }

        static func format(_ value: Double) -> String {
            if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
            return "\(value)"
        }

        /// Nil when `value` fits; otherwise what is wrong, in words.
        func problem(with value: JSONValue) -> String? {
            func inRange(_ number: Double) -> Bool { range.map { $0.contains(number) } ?? true }
            let fits: Bool
            switch kind {
            case .int: fits = value.intValue.map { inRange(Double($0)) } ?? false
            case .double: fits = value.doubleValue.map { $0.isFinite && inRange($0) } ?? false
            case .string: fits = value.stringValue != nil
            case .bool: fits = value.boolValue != nil
            case .section:
                guard value.objectValue != nil else { fits = false; break }
                return checkSection?(value)
            case .ints:
                let items = value.arrayValue ?? []
                fits = !items.isEmpty && items.allSatisfy { $0.intValue.map { inRange(Double($0)) } ?? false }
            case .doubles:
                let items = value.arrayValue ?? []
                fits = !items.isEmpty && items.allSatisfy { $0.doubleValue.map { $0.isFinite && inRange($0) } ?? false }
            }
            return fits ? nil : "'\(name)' is \(value.description) (\(value.yamlTypeName)); allowed: \(allowed)"
        }
    }

    /// A rule over several keys. `check` returns nil when the profile satisfies it, else the problem in words;
    /// it runs only when every key in `keys` is set and has the right type (so it may read them with `try!`-free
    /// typed getters and treat a throw as "not applicable").
    public struct Rule: Sendable {
        public var keys: [String]
        public var check: @Sendable (Profile) -> String?

        public init(keys: [String], check: @escaping @Sendable (Profile) -> String?) {
            self.keys = keys
            self.check = check
        }

        /// `dividend` must be a multiple of `divisor` (e.g. `d_model` and `heads`).
        public static func divisible(_ dividend: String, by divisor: String) -> Rule {
            Rule(keys: [dividend, divisor]) { profile in
                guard let a = try? profile.int(dividend), let b = try? profile.int(divisor), b != 0 else { return nil }
                return a % b == 0 ? nil : "'\(dividend)' (\(a)) must be a multiple of '\(divisor)' (\(b))"
            }
        }

        /// Every number at `smaller` (a number or a list) must be at most the number at `larger`.
        public static func atMost(_ smaller: String, _ larger: String) -> Rule {
            Rule(keys: [smaller, larger]) { profile in
                guard let limit = profile.value(larger)?.doubleValue, let value = profile.value(smaller) else { return nil }
                let numbers = value.arrayValue?.compactMap(\.doubleValue) ?? value.doubleValue.map { [$0] } ?? []
                guard let worst = numbers.max(), worst > limit else { return nil }
                return "'\(smaller)' (\(Key.format(worst))) must be at most '\(larger)' (\(Key.format(limit)))"
            }
        }

        /// A list must be strictly increasing (a grid of sizes).
        public static func increasing(_ key: String) -> Rule {
            Rule(keys: [key]) { profile in
                guard let numbers = try? profile.doubles(key) else { return nil }
                return zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 } ? nil : "'\(key)' must be strictly increasing"
            }
        }
    }

    /// Checks every key and rule; throws ``ProfileErrors`` listing all problems, or returns.
    public func validate(_ profile: Profile) throws {
        var problems: [String: String] = [:]  // key → problem (one per key, the first found)
        var order: [String] = []
        func report(_ key: String, _ problem: String) {
            guard problems[key] == nil else { return }
            problems[key] = problem
            order.append(key)
        }
        for key in keys {
            guard let value = profile.value(key.name) else {
                if key.required { report(key.name, "the profile does not set '\(key.name)' (\(key.allowed)\(key.help.isEmpty ? "" : ": \(key.help)"))") }
                continue
            }
            if let problem = key.problem(with: value) { report(key.name, problem) }
        }
        let sections = keys.filter { $0.kind == .section }.map(\.name)
        for leaf in Self.leaves(of: profile.values) where !keys.contains(where: { $0.name == leaf })
            && !sections.contains(where: { leaf.hasPrefix($0 + ".") }) {
            let section = leaf.split(separator: ".").dropLast().joined(separator: ".")
            let siblings = keys.map(\.name).filter { section.isEmpty ? !$0.contains(".") : $0.hasPrefix(section + ".") }
            let known = siblings.isEmpty ? "" : "; known keys here: \(siblings.joined(separator: ", "))"
            report(leaf, "unknown key '\(leaf)'\(known)")
        }
        for rule in rules where rule.keys.allSatisfy({ problems[$0] == nil && profile.value($0) != nil }) {
            if let problem = rule.check(profile) { report(rule.keys.joined(separator: ", "), problem) }
        }
        guard order.isEmpty else {
            throw ProfileErrors(file: profile.file, order.map { InputError(file: profile.file, field: $0, problems[$0]!) })
        }
    }

    /// Dotted names of every non-mapping value (an empty mapping counts as a leaf, so `model: {}` is reported).
    static func leaves(of value: JSONValue, prefix: String = "") -> [String] {
        guard case .object(let object) = value, !(object.isEmpty && !prefix.isEmpty) else { return [prefix] }
        return object.keys.sorted().flatMap { leaves(of: object[$0]!, prefix: prefix.isEmpty ? $0 : "\(prefix).\($0)") }
    }
}

/// Every problem ``ProfileSchema/validate(_:)`` found in one profile.
public struct ProfileErrors: Error, CustomStringConvertible {
    public let file: String
    public let errors: [InputError]
    public init(file: String, _ errors: [InputError]) {
        self.file = file
        self.errors = errors
    }
    public var description: String {
        let noun = errors.count == 1 ? "problem" : "problems"
        return "\(errors.count) profile \(noun); nothing was run:\n" + errors.map { "  \($0)" }.joined(separator: "\n")
    }
}
