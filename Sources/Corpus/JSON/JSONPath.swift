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
