import Core

/// Applies the ``LoadPolicy`` to each item a format produces and counts what it did.
struct Collector {
    var file: LoadedFile
    let policy: LoadPolicy
    private var seen: Set<String> = []

    init(file: LoadedFile, policy: LoadPolicy) {
        self.file = file
        self.policy = policy
    }

    /// Reads the JSON records of the file and hands each to `body` with this collector.
    mutating func readRecords(_ reading: Loader.Reading, _ container: RecordContainer,
                              _ body: (JSONRecord, inout Collector) throws -> Void) throws {
        var unparsed: [InputError] = []
        let (records, repaired) = try RecordReader.records(in: reading.bytes, file: reading.display, container: container, policy: reading.policy,
                                                           skippingBadLines: reading.skipBad ? { unparsed.append($0) } : nil)
        file.report.records += records.count + unparsed.count
        file.report.invalidUTF8Repaired += repaired
        file.skipped += unparsed
        for record in records {
            guard reading.skipBad else { try body(record, &self); continue }
            // A record is all or nothing: what it added before its error is taken back.
            let before = (file.examples.count, file.preferences.count, file.judged.count, file.documents.count, file.report)
            do { try body(record, &self) } catch let error as InputError {
                file.examples.removeLast(file.examples.count - before.0)
                file.preferences.removeLast(file.preferences.count - before.1)
                file.judged.removeLast(file.judged.count - before.2)
                file.documents.removeLast(file.documents.count - before.3)
                file.report = before.4
                file.skipped.append(error)
            }
        }
    }

    private mutating func admits(responses: [String]) -> Bool {
        if policy.emptyResponse == .drop, responses.contains(where: { $0.isEmpty }) {
            file.report.emptyResponsesDropped += 1
            return false
        }
        if let limit = policy.maxResponseChars, responses.contains(where: { $0.unicodeScalars.count > limit }) {
            file.report.overLongDropped += 1
            return false
        }
        return true
    }

    private mutating func noteDuplicate(_ id: String) {
        if !seen.insert(id).inserted { file.report.duplicatesWithinFile += 1 }
        file.report.kept += 1
    }

    mutating func add(_ example: Example) {
        guard admits(responses: [example.response]) else { return }
        noteDuplicate(example.id)
        file.examples.append(example)
    }

    /// Prompts carry no response by design, so neither the empty-response nor the length rule applies to them.
    mutating func addPrompt(_ example: Example) {
        noteDuplicate(example.id)
        file.examples.append(example)
    }

    mutating func add(_ pair: PreferencePair) {
        guard admits(responses: [pair.chosenText, pair.rejectedText]) else { return }
        noteDuplicate(pair.id)
        file.preferences.append(pair)
    }

    mutating func add(_ judged: JudgedExample) {
        guard admits(responses: [judged.example.response]) else { return }
        noteDuplicate(judged.example.id)
        file.judged.append(judged)
    }

    mutating func add(_ document: TextDocument) {
        noteDuplicate(document.id)
        file.documents.append(document)
    }
}
