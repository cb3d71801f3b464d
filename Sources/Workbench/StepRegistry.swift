import Foundation

/// The steps a notebook may name, by name. The `imine` tool registers ``WorkbenchInfo/builtInSteps`` and every step of
/// the `Steps` module's catalog; tests register their own.
///
///     let registry = try StepRegistry([SleepStep.self, FitRule.self])
///     registry["rule.fit"]?.version
public struct StepRegistry: Sendable {
    private var steps: [String: any Step.Type] = [:]
    private var codes: [String: String] = [:]

    public init() {}

    /// A registry of `types`; two steps with one name are a programming error reported here.
    ///
    /// `code` is the digest of the code that computes these steps (a module's `CodeDigest.sources`, made at build
    /// time): it goes into each of their cells' cache keys, so that changing that code makes the cells stale without
    /// a version bump. Steps registered without one are invalidated by their `version` alone.
    public init(_ types: [any Step.Type], code: String? = nil) throws {
        for type in types { try register(type, code: code) }
    }

    public mutating func register(_ type: any Step.Type, code: String? = nil) throws {
        if let existing = steps[type.name], existing != type {
            throw StepError.failed(step: type.name, "two step types share the name '\(type.name)': \(existing) and \(type)")
        }
        steps[type.name] = type
        codes[type.name] = code
    }

    public subscript(name: String) -> (any Step.Type)? { steps[name] }

    /// The code digest registered with step `name` (nil: none).
    public func code(of name: String) -> String? { codes[name] }

    /// Every registered step, sorted by name.
    public var all: [any Step.Type] { steps.keys.sorted().map { steps[$0]! } }

    /// Registered names close to `name` (for "did you mean" in errors).
    func suggestions(for name: String) -> [String] {
        let prefix = name.split(separator: ".").first.map(String.init) ?? name
        return steps.keys.filter { $0.hasPrefix(prefix + ".") || editDistance($0, name) <= 2 }.sorted()
    }
}

/// Facts about the workbench itself. (Not named `Workbench`: a type named like its module breaks
/// module-qualified names such as `Workbench.Step`.)
public enum WorkbenchInfo {
    /// Reported in provenance blocks.
    public static let version = "0.1.0"
    /// Steps that ship with the workbench itself: diagnostics for trying out the runner.
    public static let builtInSteps: [any Step.Type] = [SleepStep.self]
}

private func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
