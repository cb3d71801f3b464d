import Core

/// A strict JSON parser over raw bytes that knows where it is: every syntax error names the file, the line, the JSON
/// path and the field being read, and every string holding invalid UTF-8 is repaired (U+FFFD) and recorded with its
/// line and path, so a loader can apply its policy (reject the file, or keep the repaired text and count it).
///
/// ```swift
/// var parser = JSONParser(bytes: Array(data), file: "alpaca.json")
/// try parser.forEachElementOfTopLevelArray { index, line, value in ... }
/// ```
public struct JSONParser {
    /// A string whose bytes were not valid UTF-8 (or held a lone surrogate escape), as found and repaired.
    public struct Repair: Equatable, Sendable {
        public var line: Int
        public var path: String
        /// The innermost object key, or "(record)" (a key string, or an array element).
        public var field: String
    }

    /// Nesting deeper than this is rejected: real records are a few levels deep, and the limit keeps hostile input
    /// from exhausting the stack.
    public static let maximumDepth = 128

    public let file: String
    public private(set) var repairs: [Repair] = []
    private let bytes: [UInt8]
    private var index = 0
    private var line: Int
    private var path: [JSONPathComponent]

    /// - Parameters:
    ///   - firstLine: the line number of the first byte (JSONL parses one line at a time).
    public init(bytes: [UInt8], file: String, firstLine: Int = 1) {
        self.bytes = bytes
        self.file = file
        self.line = firstLine
        self.path = []
    }

    /// Parses the whole input as one value; only whitespace may follow it.
    public mutating func parseDocument() throws -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describe(bytes[index])) after the end of the JSON value") }
        return value
    }

    /// Streams the elements of a top-level array, one at a time, with the line each element starts on: the shape of
    /// every Alpaca-style dataset file.
    public mutating func forEachElementOfTopLevelArray(_ body: (_ index: Int, _ line: Int, JSONValue) throws -> Void) throws {
        skipWhitespace()
        guard index < bytes.count else { throw error("the file is empty; expected a JSON array of records") }
        guard bytes[index] == UInt8(ascii: "[") else { throw error("expected a JSON array of records, found \(describe(bytes[index]))") }
        index += 1
        skipWhitespace()
        var count = 0
        if peek() == UInt8(ascii: "]") { index += 1 } else {
            while true {
                path = [.index(count)]
                let startLine = line
                let value = try parseValue(depth: 1)
                try body(count, startLine, value)
                count += 1
                path = []
                skipWhitespace()
                guard let next = peek() else { throw error("the array is not closed: the file ends after element \(count - 1)") }
                index += 1
                if next == UInt8(ascii: "]") { break }
                if next != UInt8(ascii: ",") { index -= 1; throw error("expected ',' or ']' after element \(count - 1), found \(describe(next))") }
                skipWhitespace()
            }
        }
        skipWhitespace()
        if index < bytes.count { throw error("unexpected \(describe(bytes[index])) after the closing ']'") }
    }

    // MARK: - Values

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard depth <= JSONParser.maximumDepth else { throw error("nesting deeper than \(JSONParser.maximumDepth) levels") }
        guard let byte = peek() else { throw error("the input ends where a value was expected (truncated JSON?)") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("expected a value, found \(describe(byte))")
        }
    }

    private mutating func parseObject(depth: Int) throws -> JSONValue {
        index += 1
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if peek() == UInt8(ascii: "}") { index += 1; return .object(object) }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else { throw error("expected a quoted key, found \(peek().map(describe) ?? "the end of the input")") }
            let key = try parseString()
            skipWhitespace()
            guard peek() == UInt8(ascii: ":") else { throw error("expected ':' after key \"\(key)\"") }
            index += 1
            skipWhitespace()
            // A repeated key would silently keep one of two values; which one a tool keeps differs, so refuse.
            guard object[key] == nil else { throw error("duplicate key \"\(key)\" in one object") }
            path.append(.key(key))
            object[key] = try parseValue(depth: depth + 1)
            path.removeLast()
            if try closes("object", at: UInt8(ascii: "}")) { return .object(object) }
        }
    }

    private mutating func parseArray(depth: Int) throws -> JSONValue {
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "]") { index += 1; return .array(array) }
        while true {
            skipWhitespace()
            path.append(.index(array.count))
            array.append(try parseValue(depth: depth + 1))
            path.removeLast()
            if try closes("array", at: UInt8(ascii: "]")) { return .array(array) }
        }
    }

    /// After a member of an object or array: true when `closing` ends the container, false when a comma separates
    /// the next member (either is consumed); the end of the input or any other byte is an error.
    private mutating func closes(_ container: String, at closing: UInt8) throws -> Bool {
        skipWhitespace()
        guard let next = peek() else { throw error("the \(container) is not closed (truncated JSON?)") }
        index += 1
        if next == closing { return true }
        if next != UInt8(ascii: ",") {
            index -= 1
            throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))' in an \(container), found \(describe(next))")
        }
        return false
    }

    private mutating func parseString() throws -> String {
        index += 1
        let start = index
        // Fast path: no escapes, so the bytes between the quotes are the string.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = decode(bytes[start..<index], repaired: false)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("a raw control character (\(describe(byte))) inside a string; it must be escaped") }
            index += 1
        }
        var buffer = Array(bytes[start..<index])
        var repaired = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return decode(buffer[...], repaired: repaired)
            }
            if byte < 0x20 { throw error("a raw control character (\(describe(byte))) inside a string; it must be escaped") }
            if byte != UInt8(ascii: "\\") { buffer.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try parseHex4()
                if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                    let save = index
                    index += 2
                    let low = try parseHex4()
                    if (0xDC00..<0xE000).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) } else { index = save }
                }
                if let unicode = Unicode.Scalar(scalar) {
                    buffer.append(contentsOf: Array(String(Character(unicode)).utf8))
                } else {
                    // A lone surrogate: not representable in valid Unicode text; repaired like invalid UTF-8.
                    repaired = true
                    buffer.append(contentsOf: [0xEF, 0xBF, 0xBD])
                }
            default: throw error("invalid escape '\\\(describe(escape))' inside a string")
            }
        }
        throw error("the string is not closed (truncated JSON?)")
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a \\u escape needs four hex digits, found \(describe(byte))")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func decode(_ slice: ArraySlice<UInt8>, repaired: Bool) -> String {
        if !repaired, let text = String(validating: slice, as: UTF8.self) { return text }
        repairs.append(Repair(line: line, path: JSONPath.render(path), field: fieldName))
        return String(decoding: slice, as: UTF8.self)
    }

    /// A literal without fraction or exponent that fits an `Int` is an integer; every other number a `Double`.
    private mutating func parseNumber() throws -> JSONValue {
        let start = index
        while index < bytes.count, isNumberByte(bytes[index]) { index += 1 }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("'\(text)' is not a valid number") }
        if let integer = Int(text) { return .int(integer) }
        return .double(value)
    }

    private func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let expected = Array(literal.utf8)
        let count = expected.count
        guard index + count <= bytes.count, bytes[index..<index + count].elementsEqual(expected) else {
            throw error("expected '\(literal)'")
        }
        index += count
    }

    // MARK: - Helpers

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x0A: line += 1; index += 1
            case 0x20, 0x09, 0x0D: index += 1
            default: return
            }
        }
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
    }

    /// The field is the innermost object key on the path; errors between the fields of a record name "(record)",
    /// errors outside any record "(document)".
    private func error(_ message: String) -> InputError {
        InputError(file: file, line: line, path: JSONPath.render(path), field: fieldName, message)
    }

    private var fieldName: String {
        for component in path.reversed() { if case .key(let key) = component { return key } }
        return path.isEmpty ? "(document)" : "(record)"
    }
}
