import Core
import Foundation
import GRDB
import Store

/// One example's value under one indicator variant.
public struct IndicatorValue: Codable, Hashable, Sendable {
    public var exampleID: String
    public var value: Double
    /// A caveat kept beside the value, e.g. `short` for MTLD on fewer than 50 tokens.
    public var flag: String?

    public init(exampleID: String, value: Double, flag: String? = nil) {
        (self.exampleID, self.value, self.flag) = (exampleID, value, flag)
    }
}

/// The mean of an indicator over a subset, and which members of the subset have no value.
public struct SubsetMean: Codable, Hashable, Sendable {
    /// nil when no member has a value.
    public var mean: Double?
    public var count: Int
    public var missing: [String]
}

public enum IndicatorStoreError: Error, CustomStringConvertible, Equatable {
    case nonFiniteValue(variant: String, exampleID: String)
    case duplicateExample(variant: String, exampleID: String)
    case unknownExamples(variant: String, exampleIDs: [String])
    /// A value already stored under this variant differs: the computation changed without its variant changing.
    case conflictingValue(variant: String, exampleID: String, stored: Double, new: Double)
    case unknownVariant(String)

    public var description: String {
        switch self {
        case .nonFiniteValue(let variant, let id): "indicator \(variant): example \(id) has a non-finite value"
        case .duplicateExample(let variant, let id): "indicator \(variant): example \(id) is given twice"
        case .unknownExamples(let variant, let ids):
            "indicator \(variant): \(ids.count) example id(s) are not in the store, e.g. \(ids.prefix(3).joined(separator: ", "))"
        case .conflictingValue(let variant, let id, let stored, let new):
            "indicator \(variant): example \(id) already has \(stored) under this variant, not \(new); a changed computation needs a new variant"
        case .unknownVariant(let key): "no indicator variant with key \(key) in the store"
        }
    }
}

extension Store {
    /// Stores `values` under `variant` in one transaction and returns the variant's key.
    ///
    /// Writing the same values again is a no-op. A value that differs from the one stored for the same example and
    /// variant is an error (``IndicatorStoreError/conflictingValue(variant:exampleID:stored:new:)``), as are
    /// non-finite values, an example given twice and examples the store does not have; then nothing is written.
    @discardableResult
    public func putIndicatorValues(_ values: [IndicatorValue], variant: IndicatorVariant) throws -> String {
        try write { db in try putIndicatorValues(values, variant: variant, in: db) }
    }

    /// ``putIndicatorValues(_:variant:)`` inside a caller's transaction (e.g. a notebook cell's).
    @discardableResult
    public func putIndicatorValues(_ values: [IndicatorValue], variant: IndicatorVariant, in db: Database) throws -> String {
        let key = variant.key
        var seen = Set<String>()
        for value in values {
            guard value.value.isFinite else { throw IndicatorStoreError.nonFiniteValue(variant: variant.name, exampleID: value.exampleID) }
            guard seen.insert(value.exampleID).inserted else {
                throw IndicatorStoreError.duplicateExample(variant: variant.name, exampleID: value.exampleID)
            }
        }
        let exists = try db.makeStatement(sql: "SELECT 1 FROM example WHERE id = ?")
        var unknown: [String] = []
        for value in values where try Int.fetchOne(exists, arguments: [value.exampleID]) == nil { unknown.append(value.exampleID) }
        unknown.sort()
        guard unknown.isEmpty else { throw IndicatorStoreError.unknownExamples(variant: variant.name, exampleIDs: unknown) }

        try db.execute(sql: """
            INSERT OR IGNORE INTO indicator_variant (key, indicator, variant_json, model_hash, reference_pool, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [key, variant.name, variant.canonicalJSON, variant.modelHash, variant.referencePool,
                             ISO8601DateFormatter().string(from: Date())])
        var stored: [String: Double] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT example_id, value FROM indicator_value WHERE variant_key = ?", arguments: [key]) {
            stored[row["example_id"]] = row["value"]
        }
        let insert = try db.makeStatement(sql: "INSERT INTO indicator_value (example_id, variant_key, value, flag) VALUES (?, ?, ?, ?)")
        for value in values {
            if let old = stored[value.exampleID] {
                guard old == value.value else {
                    throw IndicatorStoreError.conflictingValue(variant: variant.name, exampleID: value.exampleID, stored: old, new: value.value)
                }
                continue
            }
            try insert.execute(arguments: [value.exampleID, key, value.value, value.flag])
        }
        return key
    }

    /// The variant stored under `key`.
    public func indicatorVariant(key: String) throws -> IndicatorVariant {
        guard let json = try read({ db in
            try String.fetchOne(db, sql: "SELECT variant_json FROM indicator_variant WHERE key = ?", arguments: [key])
        }) else { throw IndicatorStoreError.unknownVariant(key) }
        return try JSONDecoder().decode(IndicatorVariant.self, from: Data(json.utf8))
    }

    /// Every stored variant of the indicator `name`, by key.
    public func indicatorVariants(named name: String) throws -> [String: IndicatorVariant] {
        let rows = try read { db in
            try Row.fetchAll(db, sql: "SELECT key, variant_json FROM indicator_variant WHERE indicator = ? ORDER BY key", arguments: [name])
        }
        var out: [String: IndicatorVariant] = [:]
        for row in rows {
            let json: String = row["variant_json"]
            out[row["key"]] = try JSONDecoder().decode(IndicatorVariant.self, from: Data(json.utf8))
        }
        return out
    }

    /// All values stored under the variant `key`, ordered by example id.
    public func indicatorValues(variantKey key: String) throws -> [IndicatorValue] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT example_id, value, flag FROM indicator_value WHERE variant_key = ? ORDER BY example_id",
                             arguments: [key]).map { IndicatorValue(exampleID: $0["example_id"], value: $0["value"], flag: $0["flag"]) }
        }
    }

    /// The mean over the given examples (duplicates count once), naming those without a value.
    public func indicatorMean(variantKey key: String, exampleIDs: [String]) throws -> SubsetMean {
        let values = Dictionary(uniqueKeysWithValues: try indicatorValues(variantKey: key).map { ($0.exampleID, $0.value) })
        var sum = 0.0, count = 0
        var missing: [String] = []
        for id in Set(exampleIDs).sorted() {
            if let value = values[id] { sum += value; count += 1 } else { missing.append(id) }
        }
        return SubsetMean(mean: count > 0 ? sum / Double(count) : nil, count: count, missing: missing)
    }

    /// The mean over the members of a stored pool (table `pool`).
    public func indicatorMean(variantKey key: String, pool: String) throws -> SubsetMean {
        let members = try read { db in
            try String.fetchAll(db, sql: "SELECT example_id FROM pool WHERE name = ?", arguments: [pool])
        }
        return try indicatorMean(variantKey: key, exampleIDs: members)
    }
}
