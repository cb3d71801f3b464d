/// A parsed JSON value. The corpus parses its own JSON (see ``JSONParser``) rather than using Foundation's so that
/// every error and every repaired string can name its line and its JSON path (`$[12].output`).
public indirect enum JSONNode: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONNode])
    case object([String: JSONNode])

    /// The JSON type's name as a user reads it in an error message ("a string", "an object").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var arrayValue: [JSONNode]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONNode]? { if case .object(let o) = self { return o } else { return nil } }
}

/// One step of a JSON path: an array index or an object key.
public enum JSONPathComponent: Equatable, Sendable {
    case index(Int)
    case key(String)
}

public enum JSONPath {
    /// Renders components as `$[12].output` (keys that are not plain identifiers are quoted: `$["a b"]`).
    public static func render(_ components: [JSONPathComponent]) -> String {
        var out = "$"
        for component in components {
            switch component {
            case .index(let i): out += "[\(i)]"
            case .key(let k):
                let plain = !k.isEmpty && k.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F }
                out += plain ? ".\(k)" : "[\"\(k.replacingOccurrences(of: "\"", with: "\\\""))\"]"
            }
        }
        return out
    }
}
