import Core

/// Pretraining text: C4-style JSONL documents and plain text with one document per line.
enum TextFormats {
    static func textJSONL(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        try collector.readRecords(reading, .jsonLines) { record, collector in
            let text = try record.string("text").trimmed
            if text.isEmpty { collector.file.report.emptyResponsesDropped += 1; return }
            collector.add(TextDocument(text: text, source: reading.name, licence: reading.licence))
        }
    }

    /// One document per non-empty line. The record count is in words (runs between Unicode white space), the unit
    /// MANIFEST.tsv uses for text files.
    static func plainText(_ reading: Loader.Reading, _ collector: inout Collector) throws {
        collector.file.report.unit = "words"
        for (_, line) in try RecordReader.lines(of: reading.bytes, file: reading.display, policy: reading.policy, report: &collector.file.report) {
            let text = line.trimmed
            guard !text.isEmpty else { continue }
            collector.file.report.records += wordCount(text)
            collector.add(TextDocument(text: text, source: reading.name, licence: reading.licence))
        }
    }

    static func wordCount(_ text: String) -> Int {
        var count = 0, inWord = false
        for scalar in text.unicodeScalars {
            let space = scalar.properties.isWhitespace || (0x1C...0x1F).contains(scalar.value)
            if !space && !inWord { count += 1 }
            inWord = !space
        }
        return count
    }
}

/// Tokenizer vocabularies are data files too: they are checked and their tokens counted against MANIFEST.tsv, but
/// they hold no examples (the Neural module reads them).
enum VocabularyFormats {
    static func count(_ format: DataFormat, _ reading: Loader.Reading, _ collector: inout Collector) throws {
        collector.file.report.unit = "tokens"
        let file = reading.display
        switch format {
        case .wordpieceVocabulary, .tiktokenRanks:
            let lines = try RecordReader.lines(of: reading.bytes, file: file, policy: reading.policy, report: &collector.file.report)
            var count = 0
            for (number, line) in lines where !line.isEmpty {
                if format == .tiktokenRanks {
                    let parts = line.split(separator: " ")
                    guard parts.count == 2, Int(parts[1]) != nil else { throw InputError(file: file, line: number, field: "rank", "expected 'base64-token rank'") }
                }
                count += 1
            }
            collector.file.report.records = count
        case .llama2cTokenizer:
            let bytes = reading.bytes
            func int32(_ at: Int) -> Int { Int(Int32(bitPattern: UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24)) }
            guard bytes.count >= 4 else { throw InputError(file: file, field: "max_token_length", "the file is too short") }
            var offset = 4, count = 0
            while offset < bytes.count {
                guard offset + 8 <= bytes.count else { throw InputError(file: file, path: "byte \(offset)", field: "token \(count)", "truncated token record") }
                let length = int32(offset + 4)
                guard length >= 0, offset + 8 + length <= bytes.count else { throw InputError(file: file, path: "byte \(offset)", field: "token \(count)", "token length \(length) runs past the end") }
                offset += 8 + length
                count += 1
            }
            collector.file.report.records = count
        case .sentencepieceModel:
            collector.file.report.records = try sentencepiecePieces(reading.bytes, file: file)
        default:
            throw InputError(file: file, "\(format.rawValue) is not a vocabulary format")
        }
        collector.file.report.kept = collector.file.report.records
    }

    /// Counts field 1 (`pieces`) of the top-level `ModelProto` message, skipping every other field by wire type.
    static func sentencepiecePieces(_ bytes: [UInt8], file: String) throws -> Int {
        var offset = 0, count = 0
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard offset < bytes.count, shift < 64 else { throw InputError(file: file, path: "byte \(offset)", field: "varint", "truncated protobuf varint") }
                let byte = bytes[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
        }
        while offset < bytes.count {
            let key = try varint()
            let field = key >> 3
            switch key & 7 {
            case 0: _ = try varint()
            case 1: offset += 8
            case 2:
                let length = try varint()
                guard length <= UInt64(bytes.count - offset) else { throw InputError(file: file, path: "byte \(offset)", field: "field \(field)", "length runs past the end") }
                offset += Int(length)
                if field == 1 { count += 1 }
            case 5: offset += 4
            default: throw InputError(file: file, path: "byte \(offset)", field: "field \(field)", "unsupported protobuf wire type \(key & 7)")
            }
        }
        guard offset == bytes.count else { throw InputError(file: file, field: "pieces", "truncated protobuf") }
        return count
    }
}
