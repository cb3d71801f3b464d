import Core
import Foundation

/// How the records of a JSON-based file are laid out.
public enum RecordContainer: String, Sendable, Codable, CaseIterable {
    /// One JSON array of records (Alpaca, LLaMA-Factory).
    case jsonArray = "json"
    /// One JSON record per line (JSONL); blank lines are skipped.
    case jsonLines = "jsonl"
    /// `json` if the first non-blank byte is `[`, otherwise `jsonl`.
    case auto
}

/// Reads files into bytes (transparently gunzipping) and their JSON records into ``JSONRecord``s, applying the
/// invalid-UTF-8 policy. The whole file is parsed before the first record is handed on, so a syntax error anywhere
/// fails the file before any of it is used.
public enum RecordReader {
    /// The file's bytes, decompressed when they start with the gzip magic number.
    public static func bytes(of url: URL, display: String) throws -> [UInt8] {
        let data: Data
        do { data = try FileReading.data(url.path) } catch let error as InputError { throw InputError(file: display, error.message) }
        let raw = [UInt8](data)
        guard Gzip.isGzip(raw) else { return raw }
        do { return try Gzip.decompress(raw) } catch { throw InputError(file: display, "gzip: \(error)") }
    }

    /// Parses every record of the file, in file order, and counts the strings repaired under the policy.
    /// - Parameter skippingBadLines: when given, a JSONL line that does not parse is handed to it and left out
    ///   instead of failing the file (a JSON array cannot be resumed after a syntax error, so it still fails).
    public static func records(in bytes: [UInt8], file: String, container: RecordContainer, policy: LoadPolicy,
                               skippingBadLines: ((InputError) -> Void)? = nil) throws -> (records: [JSONRecord], repaired: Int) {
        var records: [JSONRecord] = []
        var repairs: [JSONParser.Repair] = []
        let layout = container == .auto ? (bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "[") ? .jsonArray : .jsonLines) : container
        let content = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes  // a UTF-8 byte-order mark is not content
        switch layout {
        case .jsonArray:
            var parser = JSONParser(bytes: content, file: file)
            try parser.forEachElementOfTopLevelArray { index, line, value in
                records.append(JSONRecord(value: value, file: file, line: line, path: [.index(index)]))
            }
            repairs = parser.repairs
        default:
            try forEachLine(of: content) { lineNumber, lineBytes in
                if lineBytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
                var parser = JSONParser(bytes: Array(lineBytes), file: file, firstLine: lineNumber)
                let value: JSONValue
                do { value = try parser.parseDocument() } catch let error as InputError where skippingBadLines != nil {
                    skippingBadLines?(error)
                    return
                }
                repairs += parser.repairs
                records.append(JSONRecord(value: value, file: file, line: lineNumber, path: []))
            }
            // A .json file holds an array of records; one lone object is a mistake, not a one-record dataset.
            let named = file.lowercased()
            if container == .auto, named.hasSuffix(".json") || named.hasSuffix(".json.gz"), records.count == 1 {
                throw InputError(file: file, line: records[0].line, "a .json file must hold a JSON array of records ([{...}, ...]); this one holds one bare value (wrap it in [ ], or name the file .jsonl)")
            }
        }
        if let first = repairs.first, policy.invalidUTF8 == .reject {
            throw InputError(file: file, line: first.line, path: first.path, field: first.field,
                             "invalid UTF-8 in a string (the policy is to reject such files; \(repairs.count) string(s) affected)")
        }
        return (records, repairs.count)
    }

    /// Splits text into lines (LF or CRLF), applying the invalid-UTF-8 policy per line; lines are numbered from 1.
    public static func lines(of bytes: [UInt8], file: String, policy: LoadPolicy, report: inout LoadReport) throws -> [(line: Int, text: String)] {
        var result: [(Int, String)] = []
        try forEachLine(of: bytes) { lineNumber, slice in
            if let text = String(validating: slice, as: UTF8.self) {
                result.append((lineNumber, text))
            } else if policy.invalidUTF8 == .reject {
                throw InputError(file: file, line: lineNumber, field: "text", "invalid UTF-8 (the policy is to reject such files)")
            } else {
                report.invalidUTF8Repaired += 1
                result.append((lineNumber, String(decoding: slice, as: UTF8.self)))
            }
        }
        return result
    }

    /// Hands `body` each line of `bytes` (split at LF, a trailing CR dropped) with its number, counted from 1.
    private static func forEachLine(of bytes: [UInt8], _ body: (Int, ArraySlice<UInt8>) throws -> Void) rethrows {
        var lineNumber = 0
        var start = 0
        while start < bytes.count {
            lineNumber += 1
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            start = end + 1
            try body(lineNumber, line)
        }
    }
}
