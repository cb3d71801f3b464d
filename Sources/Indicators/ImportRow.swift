import Core
import Foundation

/// One row of an imported indicator file, CSV or JSONL, with typed access that reports problems by line and field.
struct ImportRow {
    enum Cell: Decodable {
        case string(String), number(Double), bool(Bool), null, other

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else { self = .other }
        }

        var shown: String {
            switch self {
            case .string(let text): "'\(text)'"
            case .number(let value): "\(value)"
            case .bool(let value): "\(value)"
            case .null: "null"
            case .other: "an array or object"
            }
        }
    }

    var line: Int
    var cells: [String: Cell]
    /// CSV cells are all text; numbers in them are parsed. JSON values must already be numbers.
    var isCSV: Bool

    /// The field as text; a JSON number is accepted and written without a fraction when integral (positions).
    func text(_ field: String, file: String, problems: inout [InputError]) -> String? {
        switch cells[field] {
        case .string(let text)?: return text
        case .number(let value)? where value == value.rounded() && abs(value) < 1e15: return String(Int64(value))
        case let cell?:
            problems.append(InputError(file: file, line: line, field: field, "expected text, found \(cell.shown)"))
        case nil:
            problems.append(InputError(file: file, line: line, field: field, "the field is missing"))
        }
        return nil
    }

    /// The field as a finite number; CSV text is parsed, JSON must hold a number.
    func number(_ field: String, file: String, problems: inout [InputError]) -> Double? {
        let cell = cells[field]
        let value: Double?
        switch cell {
        case .number(let number)?: value = number
        case .string(let text)? where isCSV: value = Double(text.trimmingCharacters(in: .whitespaces))
        default: value = nil
        }
        if let value, value.isFinite { return value }
        let found = cell.map(\.shown) ?? "nothing"
        problems.append(InputError(file: file, line: line, field: field, "expected a finite number, found \(found)"))
        return nil
    }

    static func csv(_ text: String, file: String, fields: [String], problems: inout [InputError]) throws -> [ImportRow] {
        let records = try CSVReader.records(text, file: file)
        guard let header = records.first else {
            problems.append(InputError(file: file, "the file is empty (expected a header line naming \(fields.joined(separator: ", ")))"))
            return []
        }
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where columns[name] == nil {
            columns[name.trimmingCharacters(in: .whitespaces)] = index
        }
        let absent = fields.filter { columns[$0] == nil }
        for field in Set(absent).sorted() {
            problems.append(InputError(file: file, line: header.line, field: field, "the header has no such column"))
        }
        guard absent.isEmpty else { return [] }
        var rows: [ImportRow] = []
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                problems.append(InputError(file: file, line: record.line,
                                           "\(record.fields.count) fields where the header has \(header.fields.count)"))
                continue
            }
            var cells: [String: Cell] = [:]
            for field in fields { cells[field] = .string(record.fields[columns[field]!]) }
            rows.append(ImportRow(line: record.line, cells: cells, isCSV: true))
        }
        return rows
    }

    static func jsonl(_ text: String, file: String, fields: [String], problems: inout [InputError]) -> [ImportRow] {
        var rows: [ImportRow] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do {
                let object = try decoder.decode([String: Cell].self, from: Data(line.utf8))
                rows.append(ImportRow(line: index + 1, cells: object, isCSV: false))
            } catch {
                problems.append(InputError(file: file, line: index + 1, "not a JSON object"))
            }
        }
        return rows
    }
}
