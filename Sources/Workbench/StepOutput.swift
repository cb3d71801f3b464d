import Core
import Foundation

/// What a step returns: a JSON payload for the cells that use it, plus what the rendered notebook shows.
///
/// Only the ``payload`` feeds other cells' cache keys; tables, figures and text are presentation and can change
/// without making anything downstream stale. Build one fluently:
///
///     return try StepOutput(payload: result)
///         .table(Table(title: "Fit", columns: ["k", "loss"], rows: rows))
///         .figure(spec)
///         .text("The rule keeps **\(kept)** of \(total) indicators.")
///         .modelHash("all-minilm-l6-v2", digest)
public struct StepOutput: Codable, Sendable, Hashable {
    /// Canonical JSON bytes (stored as a content-addressed artifact; its digest is the cell's output digest).
    public var payload: Data
    public var tables: [Table]
    public var figures: [FigureSpec]
    /// Markdown paragraphs shown under the cell, in order.
    public var text: [String]
    /// Models the step used, by name → content hash (shown in the provenance block).
    public var modelHashes: [String: String]

    /// An output whose payload is `value` encoded as canonical JSON (sorted keys).
    public init<T: Encodable>(payload value: T) throws {
        self.init(payloadBytes: try CanonicalJSON.encode(value))
    }

    /// An output with raw canonical-JSON payload bytes (use ``init(payload:)`` unless you already have them).
    public init(payloadBytes: Data, tables: [Table] = [], figures: [FigureSpec] = [], text: [String] = [],
                modelHashes: [String: String] = [:]) {
        self.payload = payloadBytes
        (self.tables, self.figures, self.text, self.modelHashes) = (tables, figures, text, modelHashes)
    }

    public func table(_ table: Table) -> StepOutput { var copy = self; copy.tables.append(table); return copy }
    public func figure(_ figure: FigureSpec) -> StepOutput { var copy = self; copy.figures.append(figure); return copy }
    public func text(_ markdown: String) -> StepOutput { var copy = self; copy.text.append(markdown); return copy }
    public func modelHash(_ name: String, _ digest: String) -> StepOutput {
        var copy = self; copy.modelHashes[name] = digest; return copy
    }

    /// The payload decoded as `T`.
    public func decode<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: payload) }
}

/// A table in the rendered notebook. Cells are strings so the step decides the formatting
/// (``Table/number(_:digits:)`` helps); keep the raw numbers in the payload.
public struct Table: Codable, Sendable, Hashable {
    public var title: String
    public var columns: [String]
    public var rows: [[String]]
    /// A sentence under the table: what the numbers mean, caveats, the paper's value for comparison.
    public var note: String?

    public init(title: String, columns: [String], rows: [[String]], note: String? = nil) {
        (self.title, self.columns, self.rows, self.note) = (title, columns, rows, note)
    }

    /// A number with a fixed count of decimals ("nan"/"inf" spelled out), identical on every platform.
    public static func number(_ value: Double, digits: Int = 4) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)f", value)
    }

    /// A p-value with `digits` decimals, or "< 0.001" (for 3 digits) where those decimals would print zero: a test's
    /// p is never exactly 0, and "0.000" would say it is.
    public static func pValue(_ p: Double, digits: Int = 3) -> String {
        let floor = pow(10, -Double(digits))
        return p.isFinite && p < floor ? "< " + number(floor, digits: digits) : number(p, digits: digits)
    }

    /// "p = 0.030" or "p < 0.001": a p-value for running text.
    public static func pStatement(_ p: Double, digits: Int = 3) -> String {
        let text = pValue(p, digits: digits)
        return "p " + (text.hasPrefix("<") ? text : "= " + text)
    }

    /// A number in scientific notation, for p-values and other tiny quantities.
    public static func scientific(_ value: Double, digits: Int = 2) -> String {
        if !value.isFinite { return number(value) }
        return String(format: "%.\(digits)e", value)
    }
}
