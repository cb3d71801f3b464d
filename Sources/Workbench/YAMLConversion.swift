import Core
import Foundation
import Yams

/// Turns Yams nodes into ``JSONValue``s, keeping line numbers for error messages.
///
/// Bounded: text goes through ``compose(_:file:maxBytes:lineOffset:)``, which caps its size and flow nesting and
/// refuses anchors and aliases before the YAML library sees it; conversion refuses nesting deeper than ``maxDepth``.
enum YAMLConversion {
    /// Deepest nesting of mappings and lists accepted in a profile or a cell.
    static let maxDepth = 32

    /// Parses `text` into a node after ``YAMLTextLimits/check(_:file:maxBytes:lineOffset:)``.
    static func compose(_ text: String, file: String, maxBytes: Int, lineOffset: Int = 0) throws -> Node? {
        try YAMLTextLimits.check(text, file: file, maxBytes: maxBytes, lineOffset: lineOffset)
        return try Yams.compose(yaml: text)
    }

    /// Converts `node`; `lineOffset` is added to Yams' 1-based line so errors point into the enclosing file.
    static func value(_ node: Node, file: String, lineOffset: Int, depth: Int = 0) throws -> JSONValue {
        guard depth < maxDepth else {
            throw InputError(file: file, line: line(of: node, lineOffset), "YAML nested more than \(maxDepth) levels deep")
        }
        switch node {
        case .scalar(let scalar):
            return scalarValue(scalar)
        case .sequence(let sequence):
            return .array(try sequence.map { try value($0, file: file, lineOffset: lineOffset, depth: depth + 1) })
        case .mapping(let mapping):
            var object: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard let name = key.string else {
                    throw InputError(file: file, line: line(of: key, lineOffset), "mapping keys must be plain strings")
                }
                if object[name] != nil {
                    throw InputError(file: file, line: line(of: key, lineOffset), field: name, "duplicate key '\(name)'")
                }
                object[name] = try value(item, file: file, lineOffset: lineOffset, depth: depth + 1)
            }
            return .object(object)
        case .alias:
            throw InputError(file: file, line: line(of: node, lineOffset), "YAML aliases are not supported here")
        }
    }

    static func line(of node: Node, _ lineOffset: Int) -> Int? {
        node.mark.map { $0.line + lineOffset }
    }

    /// YAML 1.2 core-schema scalars; quoted scalars stay strings (`"1"` is a string).
    private static func scalarValue(_ scalar: Node.Scalar) -> JSONValue {
        let text = scalar.string
        if scalar.style != .plain { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let int = Int(text.replacingOccurrences(of: "_", with: "")), text.first != "_" { return .int(int) }
        if text.range(of: #"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$"#, options: .regularExpression) != nil,
           let double = Double(text) {
            return .double(double)
        }
        return .string(text)
    }
}
