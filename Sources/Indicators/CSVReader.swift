import Core

/// RFC 4180 CSV: comma-separated fields, double-quoted fields may hold commas, newlines and `""` for a quote;
/// lines end in LF or CRLF. Each record carries the line it starts on, for error messages.
struct CSVReader {
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// All records of `text`; the first is the header. An unterminated quote or a stray quote inside an unquoted
    /// field is an ``InputError`` naming `file` and the line.
    static func records(_ text: String, file: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var inQuotes = false, wasQuoted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            // A blank line is no record.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll()
        }
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1
                    recordLine = line
                case UInt8(ascii: "\r") where i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n"):
                    break
                case UInt8(ascii: "\""):
                    guard field.isEmpty && !wasQuoted else {
                        throw InputError(file: file, line: line, "a quote inside an unquoted field (quote the whole field and double the quote)")
                    }
                    inQuotes = true
                    wasQuoted = true
                default:
                    if wasQuoted {
                        throw InputError(file: file, line: line, "text after a closing quote (expected a comma or the end of the line)")
                    }
                    field.append(byte)
                }
            }
            i += 1
        }
        if inQuotes { throw InputError(file: file, line: recordLine, "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }
}
