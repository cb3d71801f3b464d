import Core
import Foundation

/// The type a step parameter must have. Checked for every cell before any cell runs.
public enum ParameterType: String, Sendable, Codable, Hashable {
    case int, double, string, bool
    case ints, doubles, strings
    /// Any YAML value (a mapping, a mixed list): the step checks it itself, e.g. with ``Parameters/decode(_:)``.
    case any

    /// Whether `value` has this type. Integers count as numbers (`alpha: 1` is a valid `.double`).
    public func accepts(_ value: JSONValue) -> Bool {
        switch self {
        case .int: value.intValue != nil
        case .double: value.doubleValue != nil
        case .string: value.stringValue != nil
        case .bool: value.boolValue != nil
        case .ints: value.arrayValue?.allSatisfy { $0.intValue != nil } ?? false
        case .doubles: value.arrayValue?.allSatisfy { $0.doubleValue != nil } ?? false
        case .strings: value.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false
        case .any: true
        }
    }

    /// How to say the type in an error message.
    public var phrase: String {
        switch self {
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .bool: "true or false"
        case .ints: "a list of integers"
        case .doubles: "a list of numbers"
        case .strings: "a list of strings"
        case .any: "any value"
        }
    }

    /// Brings an accepted value to its canonical form, so `alpha: 1` and `alpha: 1.0` give one cache key.
    func canonical(_ value: JSONValue) -> JSONValue {
        switch self {
        case .double: .double(value.doubleValue!)
        case .doubles: .array(value.arrayValue!.map { .double($0.doubleValue!) })
        default: value
        }
    }
}

/// One parameter a step accepts: its name, type, default (nil: the notebook must give it) and what it means.
///
///     static let parameters = [
///         ParameterSpec("alpha", .double, default: 0.05, "significance level of the coefficient tests"),
///         ParameterSpec("indicators", .strings, "indicator names to regress on"),
///     ]
public struct ParameterSpec: Sendable, Hashable {
    public var name: String
    public var type: ParameterType
    public var defaultValue: JSONValue?
    public var help: String
    /// Inclusive bounds of a number (or of each number in a list); nil: any. Bounds keep a cell's parameters from
    /// asking for a sleep of years or an allocation the machine cannot make.
    public var range: ClosedRange<Double>?

    public init(_ name: String, _ type: ParameterType, default defaultValue: JSONValue? = nil, _ help: String = "",
                range: ClosedRange<Double>? = nil) {
        (self.name, self.type, self.defaultValue, self.help, self.range) = (name, type, defaultValue, help, range)
    }

    /// Nil when every number in `value` lies in ``range``; else the first one that does not.
    func outOfRange(_ value: JSONValue) -> Double? {
        guard let range else { return nil }
        let numbers = value.arrayValue?.compactMap(\.doubleValue) ?? value.doubleValue.map { [$0] } ?? []
        return numbers.first { !range.contains($0) }
    }
}

/// A cell's checked parameters (defaults filled in). Typed getters never fail for a declared parameter of that
/// type, because the notebook was checked against the step's ``ParameterSpec``s before anything ran.
public struct Parameters: Sendable, Hashable {
    /// Every parameter by name, canonical (defaults applied, numbers as doubles where declared so).
    public let values: [String: JSONValue]
    let stepName: String

    public init(_ values: [String: JSONValue], step: String) {
        self.values = values
        self.stepName = step
    }

    public subscript(name: String) -> JSONValue? { values[name] }

    public func int(_ name: String) throws -> Int { try get(name, "an integer") { $0.intValue } }
    public func double(_ name: String) throws -> Double { try get(name, "a number") { $0.doubleValue } }
    public func string(_ name: String) throws -> String { try get(name, "a string") { $0.stringValue } }
    public func bool(_ name: String) throws -> Bool { try get(name, "true or false") { $0.boolValue } }
    public func ints(_ name: String) throws -> [Int] {
        try get(name, "a list of integers") { v in v.arrayValue.flatMap { a in allOrNil(a.map(\.intValue)) } }
    }
    public func doubles(_ name: String) throws -> [Double] {
        try get(name, "a list of numbers") { v in v.arrayValue.flatMap { a in allOrNil(a.map(\.doubleValue)) } }
    }
    public func strings(_ name: String) throws -> [String] {
        try get(name, "a list of strings") { v in v.arrayValue.flatMap { a in allOrNil(a.map(\.stringValue)) } }
    }

    /// All parameters decoded into one `Decodable` struct whose property names match the parameter names.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONValue.object(values).decode(T.self) }

    private func get<T>(_ name: String, _ phrase: String, _ cast: (JSONValue) -> T?) throws -> T {
        guard let value = values[name] else { throw StepError.undeclaredParameter(step: stepName, name: name) }
        guard let typed = cast(value) else {
            throw StepError.failed(step: stepName, "parameter '\(name)' is \(value.yamlTypeName), the step asked for \(phrase)")
        }
        return typed
    }
}

private func allOrNil<T>(_ values: [T?]) -> [T]? {
    var out: [T] = []
    out.reserveCapacity(values.count)
    for value in values { guard let value else { return nil }; out.append(value) }
    return out
}
