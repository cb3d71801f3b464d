import Core
import Foundation
import GRDB
import Store

extension Store {
    /// Imports an indicator file into the store: reads it, checks every row against the store's examples, and
    /// writes the values in one transaction, or throws ``IndicatorImport/Failure`` listing every problem and writes
    /// nothing.
    ///
    /// - Parameters:
    ///   - format: CSV or JSONL; inferred from the extension when nil.
    ///   - expectedPool: a pool whose members must all get a value. For position keys the dataset's examples are
    ///     expected as well.
    @discardableResult
    public func importIndicator(_ spec: IndicatorImport, from url: URL, format: IndicatorImport.Format? = nil,
                                expectedPool: String? = nil) throws -> IndicatorImport.Result {
        guard let format = format ?? IndicatorImport.Format.infer(fromPath: url.path) else {
            throw InputError(file: url.path, "cannot tell the format: name the file .csv or .jsonl, or pass the format")
        }
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(file: url.path, "cannot read the file as UTF-8 text")
        }
        return try write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT id FROM example"))
            var positions: [String] = []
            var expected: [String] = []
            if case .position(_, let dataset) = spec.key {
                positions = try String.fetchAll(db, sql: "SELECT example_id FROM dataset_example WHERE dataset = ? ORDER BY position",
                                                arguments: [dataset])
                guard !positions.isEmpty else {
                    throw InputError(file: url.path, "no dataset named '\(dataset)' in the store (ingest it first)")
                }
                expected += positions
            }
            if let expectedPool {
                let members = try String.fetchAll(db, sql: "SELECT example_id FROM pool WHERE name = ?", arguments: [expectedPool])
                guard !members.isEmpty else { throw InputError(file: url.path, "no pool named '\(expectedPool)' in the store") }
                expected += members
            }
            let result = try spec.read(text, file: url.path, format: format, known: known, positions: positions, expected: expected)
            try putIndicatorValues(result.values, variant: result.variant, in: db)
            return result
        }
    }
}
