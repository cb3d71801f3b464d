import Core
import Corpus
import Foundation

/// Reads indicator values computed outside the workbench (UniEval scores, another reward model's) from CSV or JSONL.
///
/// Every row must name a known example, once, with a finite number; every expected example must get a value.
/// Anything else is reported with its file, line and field, and nothing is returned:
///
/// ```swift
/// let spec = IndicatorImport(name: "unieval_naturalness", textField: .response, source: "UniEval-dialog, run 3",
///                            key: .exampleID(field: "id"), valueField: "naturalness")
/// let imported = try spec.read(csv, file: "scores.csv", format: .csv, known: Set(exampleIDs), expected: exampleIDs)
/// try store.putIndicatorValues(imported.values, variant: imported.variant)
/// ```
public struct IndicatorImport: Sendable {
    public enum Format: String, Codable, Sendable {
        case csv, jsonl
        /// From the file name's extension (`.csv`, `.jsonl`).
        public static func infer(fromPath path: String) -> Format? {
            if path.hasSuffix(".csv") { return .csv }
            if path.hasSuffix(".jsonl") { return .jsonl }
            return nil
        }
    }

    /// How a row names its example.
    public enum Key: Codable, Hashable, Sendable {
        /// The field holds the store's example id (the example's content hash).
        case exampleID(field: String)
        /// The fields hold the example's text; its content hash is computed as ``Corpus/Example`` does.
        case content(instruction: String, input: String, response: String)
        /// The field holds the example's 0-based position in a dataset; `positions` maps positions to ids.
        case position(field: String, dataset: String)

        var fields: [String] {
            switch self {
            case .exampleID(let field), .position(let field, _): [field]
            case .content(let instruction, let input, let response): [instruction, input, response]
            }
        }
    }

    public var name: String
    public var parameters: [String: String]
    public var textField: IndicatorVariant.TextField
    public var modelHash: String?
    /// Where the values come from; it is part of the variant, so two sources never overwrite each other.
    public var source: String
    public var key: Key
    public var valueField: String
    /// Also write a value when expected examples are missing (they are still reported in ``Result/missing``).
    public var allowMissing: Bool

    public init(name: String, parameters: [String: String] = [:], textField: IndicatorVariant.TextField, modelHash: String? = nil,
                source: String, key: Key, valueField: String, allowMissing: Bool = false) {
        (self.name, self.parameters, self.textField, self.modelHash) = (name, parameters, textField, modelHash)
        (self.source, self.key, self.valueField, self.allowMissing) = (source, key, valueField, allowMissing)
    }

    public var variant: IndicatorVariant {
        IndicatorVariant(name: name, parameters: parameters, textField: textField, modelHash: modelHash, source: source)
    }

    public struct Result: Sendable {
        public var variant: IndicatorVariant
        /// Ordered by example id.
        public var values: [IndicatorValue]
        /// Expected examples without a value (empty unless ``IndicatorImport/allowMissing``).
        public var missing: [String]
    }

    /// Every problem in a file, each naming file, line and field.
    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var problems: [InputError]
        public var description: String {
            let shown = problems.prefix(20).map { "  " + $0.description }.joined(separator: "\n")
            let more = problems.count > 20 ? "\n  … and \(problems.count - 20) more" : ""
            return "indicator import failed with \(problems.count) problem(s):\n" + shown + more
        }
    }

    /// Parses `text` and checks it against the store's examples.
    /// - Parameters:
    ///   - known: the example ids that exist.
    ///   - positions: for ``Key/position(field:dataset:)``, the dataset's example ids in order.
    ///   - expected: the examples that must all receive a value.
    public func read(_ text: String, file: String, format: Format, known: Set<String>, positions: [String] = [],
                     expected: [String]) throws -> Result {
        var problems: [InputError] = []
        let rows: [ImportRow]
        switch format {
        case .csv: rows = try ImportRow.csv(text, file: file, fields: key.fields + [valueField], problems: &problems)
        case .jsonl: rows = ImportRow.jsonl(text, file: file, fields: key.fields + [valueField], problems: &problems)
        }
        var byExample: [String: (line: Int, value: Double)] = [:]
        for row in rows {
            guard let id = resolve(row, file: file, known: known, positions: positions, problems: &problems) else { continue }
            let value = row.number(valueField, file: file, problems: &problems)
            if let first = byExample[id] {
                problems.append(InputError(file: file, line: row.line, field: key.fields[0],
                                           "example \(id) already has a value on line \(first.line)"))
                continue
            }
            if let value { byExample[id] = (row.line, value) }
        }
        let missing = Set(expected).subtracting(byExample.keys).sorted()
        if !missing.isEmpty && !allowMissing {
            problems.append(InputError(file: file, field: valueField,
                "\(missing.count) expected example(s) have no value, e.g. \(missing.prefix(3).joined(separator: ", "))"))
        }
        guard problems.isEmpty else { throw Failure(problems: problems) }
        let values = byExample.keys.sorted().map { IndicatorValue(exampleID: $0, value: byExample[$0]!.value) }
        return Result(variant: variant, values: values, missing: missing)
    }

    private func resolve(_ row: ImportRow, file: String, known: Set<String>, positions: [String],
                         problems: inout [InputError]) -> String? {
        switch key {
        case .exampleID(let field):
            guard let id = row.text(field, file: file, problems: &problems) else { return nil }
            guard known.contains(id) else {
                problems.append(InputError(file: file, line: row.line, field: field, "unknown example id '\(id)'"))
                return nil
            }
            return id
        case .content(let instructionField, let inputField, let responseField):
            guard let instruction = row.text(instructionField, file: file, problems: &problems),
                  let input = row.text(inputField, file: file, problems: &problems),
                  let response = row.text(responseField, file: file, problems: &problems) else { return nil }
            let id = Example.contentID(instruction: instruction, input: input, response: response, turns: [])
            guard known.contains(id) else {
                problems.append(InputError(file: file, line: row.line, field: instructionField,
                                           "no example in the store has this instruction, input and response (content hash \(id.prefix(12)))"))
                return nil
            }
            return id
        case .position(let field, let dataset):
            guard let text = row.text(field, file: file, problems: &problems) else { return nil }
            guard let position = Int(text), positions.indices.contains(position) else {
                problems.append(InputError(file: file, line: row.line, field: field,
                                           "'\(text)' is not a position in \(dataset) (0..<\(positions.count))"))
                return nil
            }
            return positions[position]
        }
    }
}
