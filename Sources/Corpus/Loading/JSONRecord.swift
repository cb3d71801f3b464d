import Core

/// A JSON value together with where it came from, so that a loader's "this field is missing" or "this should be a
/// string" names the file, line, JSON path and field without bookkeeping in every loader.
public struct JSONRecord: Sendable {
    public let value: JSONValue
    public let file: String
    public let line: Int
    public let path: [JSONPathComponent]

    public init(value: JSONValue, file: String, line: Int, path: [JSONPathComponent]) {
        (self.value, self.file, self.line, self.path) = (value, file, line, path)
    }

    /// The member `key` of this object, or nil when it is absent or `null`.
    public func field(_ key: String) throws -> JSONRecord? {
        guard case .object(let object) = value else { throw error("expected an object, found \(value.typeName)") }
        guard let member = object[key], member != .null else { return nil }
        return JSONRecord(value: member, file: file, line: line, path: path + [.key(key)])
    }

    public func required(_ key: String) throws -> JSONRecord {
        guard let member = try field(key) else {
            throw InputError(file: file, line: line, path: JSONPath.render(path + [.key(key)]), field: key, "the required field '\(key)' is missing")
        }
        return member
    }

    public func string() throws -> String {
        guard case .string(let text) = value else { throw error("expected a string, found \(value.typeName)") }
        return text
    }

    public func string(_ key: String) throws -> String { try required(key).string() }
    public func optionalString(_ key: String) throws -> String? { try field(key)?.string() }

    public func bool() throws -> Bool {
        guard case .bool(let flag) = value else { throw error("expected true or false, found \(value.typeName)") }
        return flag
    }

    public func int() throws -> Int {
        guard let number = value.doubleValue, number == number.rounded(), abs(number) < 1e15 else {
            throw error("expected an integer, found \(value.typeName)")
        }
        return Int(number)
    }

    public func array() throws -> [JSONRecord] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.typeName)") }
        return items.enumerated().map { JSONRecord(value: $1, file: file, line: line, path: path + [.index($0)]) }
    }

    public func array(_ key: String) throws -> [JSONRecord] { try required(key).array() }

    /// An error at this value; the field is the nearest enclosing object key.
    public func error(_ message: String) -> InputError {
        InputError(file: file, line: line, path: JSONPath.render(path), field: fieldName, message)
    }

    /// The innermost object key on the path, or "(record)" for the record itself.
    public var fieldName: String {
        for component in path.reversed() { if case .key(let key) = component { return key } }
        return "(record)"
    }
}
