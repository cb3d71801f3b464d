import Core
import Foundation
import Yams

/// A run profile (`paper-repro/profiles/<name>.yaml`): the sizes, epochs and seeds that make the same notebooks
/// run in seconds (`tiny`), minutes (`quick`) or hours (`paper`).
///
/// Values are read by dotted key: `try profile.int("finetune.epochs")`. A step reads the profile through
/// ``StepContext/profile``, which only allows the keys the step declared in ``Step/profileKeys``, so that every
/// value that can change a result is part of the cell's cache key.
public struct Profile: Sendable, Hashable {
    public let name: String
    /// Where it was loaded from (for error messages only; never part of a cache key).
    public let file: String
    public let values: JSONValue

    public init(name: String, file: String, values: JSONValue) {
        (self.name, self.file, self.values) = (name, file, values)
    }

    /// Loads `<directory>/<name>.yaml`.
    public static func load(named name: String, in directory: URL) throws -> Profile {
        let url = directory.appendingPathComponent("\(name).yaml")
        guard FileReading.entryExists(url.path) else {
            let known = (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
                .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted() ?? []
            throw InputError(file: url.path, field: "profile",
                             "no profile '\(name)'; known profiles: \(known.joined(separator: ", "))")
        }
        return try load(file: url)
    }

    /// The largest profile file accepted (the paper profile is under 4 KB).
    public static let maxBytes = 256 * 1024

    /// Loads a profile from a YAML file; its name is the file name without extension.
    public static func load(file url: URL) throws -> Profile {
        let text = try FileReading.text(url.path, maxBytes: maxBytes)
        let node: Node?
        do { node = try YAMLConversion.compose(text, file: url.path, maxBytes: maxBytes) } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: url.path, "not valid YAML: \(error)")
        }
        guard let node, case .mapping = node else { throw InputError(file: url.path, "a profile must be a YAML mapping") }
        let values = try YAMLConversion.value(node, file: url.path, lineOffset: 0)
        return Profile(name: url.deletingPathExtension().lastPathComponent, file: url.path, values: values)
    }

    /// The value at a dotted key, or nil when the profile does not set it.
    public func value(_ key: String) -> JSONValue? { values[path: key] }

    public func int(_ key: String) throws -> Int { try get(key, "an integer") { $0.intValue } }
    /// An integer no smaller than `minimum` (a size, a count of steps or shards), or an error naming the key.
    public func int(_ key: String, atLeast minimum: Int) throws -> Int {
        let value = try int(key)
        guard value >= minimum else { throw InputError(file: file, field: key, "'\(key)' is \(value); expected at least \(minimum)") }
        return value
    }
    public func double(_ key: String) throws -> Double { try get(key, "a number") { $0.doubleValue } }
    public func string(_ key: String) throws -> String { try get(key, "a string") { $0.stringValue } }
    public func bool(_ key: String) throws -> Bool { try get(key, "true or false") { $0.boolValue } }
    public func ints(_ key: String) throws -> [Int] {
        try get(key, "a list of integers") { v in
            guard let a = v.arrayValue else { return nil }
            let ints = a.compactMap(\.intValue)
            return ints.count == a.count ? ints : nil
        }
    }
    public func doubles(_ key: String) throws -> [Double] {
        try get(key, "a list of numbers") { v in
            guard let a = v.arrayValue else { return nil }
            let doubles = a.compactMap(\.doubleValue)
            return doubles.count == a.count ? doubles : nil
        }
    }
    /// The profile's master seed (`seed:`), 0 when it has none.
    public var seed: UInt64 { UInt64(values[path: "seed"]?.intValue ?? 0) }

    private func get<T>(_ key: String, _ phrase: String, _ cast: (JSONValue) -> T?) throws -> T {
        guard let value = value(key) else { throw InputError(file: file, field: key, "the profile '\(name)' does not set '\(key)'") }
        guard let typed = cast(value) else {
            throw InputError(file: file, field: key, "'\(key)' is \(value.yamlTypeName); expected \(phrase)")
        }
        return typed
    }
}

/// A profile as one step sees it: only the keys it declared (and their sub-keys) can be read.
public struct ProfileView: Sendable {
    public let profile: Profile
    public let allowedKeys: [String]
    let stepName: String

    /// The master seed (always part of the cache key). The profile's name is deliberately not offered: a result
    /// may depend on the profile's values, never on what it is called.
    public var seed: UInt64 { profile.seed }

    public init(profile: Profile, allowedKeys: [String], stepName: String) {
        (self.profile, self.allowedKeys, self.stepName) = (profile, allowedKeys, stepName)
    }

    public func value(_ key: String) throws -> JSONValue? { try check(key); return profile.value(key) }
    public func int(_ key: String) throws -> Int { try check(key); return try profile.int(key) }
    public func int(_ key: String, atLeast minimum: Int) throws -> Int { try check(key); return try profile.int(key, atLeast: minimum) }
    public func double(_ key: String) throws -> Double { try check(key); return try profile.double(key) }
    public func string(_ key: String) throws -> String { try check(key); return try profile.string(key) }
    public func bool(_ key: String) throws -> Bool { try check(key); return try profile.bool(key) }
    public func ints(_ key: String) throws -> [Int] { try check(key); return try profile.ints(key) }
    public func doubles(_ key: String) throws -> [Double] { try check(key); return try profile.doubles(key) }

    /// Reading an undeclared key is a programming error in the step: its cache key would miss that value.
    private func check(_ key: String) throws {
        let covered = allowedKeys.contains { key == $0 || key.hasPrefix($0 + ".") }
        if !covered { throw StepError.undeclaredProfileKey(step: stepName, key: key) }
    }
}
