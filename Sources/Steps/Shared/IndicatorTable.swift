import Foundation
import Indicators
import Store
import Workbench

/// What the `indicators.compute` cell hands on: which stored indicator variants make up "the indicators".
struct IndicatorsPayload: Codable {
    struct Entry: Codable {
        /// Short name used as a regressor: input_length, output_length, mtld, knn6, ppl, ifd, reward.
        var name: String
        /// The stored variant's key (`indicator_variant.key`).
        var key: String
        var description: String
    }
    var indicators: [Entry]
    /// Pools whose examples carry every indicator.
    var pools: [String]
    var valuesDigest: String
    /// The artifact holding every value the cell computed (``IndicatorColumns``): what later cells read. The store's
    /// `indicator_value` rows are its index, for `imine score`'s cache and for looking across variants.
    var columnsDigest: String
}

/// The indicators cell's values, column by column: `columns[name][i]` is indicator `name` of example `exampleIDs[i]`.
struct IndicatorColumns: Codable {
    var exampleIDs: [String]
    var columns: [String: [Double]]
}

/// Per-example indicator values read from the store once, for means over subsets and for scoring examples.
struct IndicatorTable {
    let names: [String]
    private let values: [String: [String: Double]]

    /// The cell's columns, decoded once per run.
    init(_ payload: IndicatorsPayload, store: Store, loaded: LoadedValues) throws {
        names = payload.indicators.map(\.name)
        let table = try loaded.decoded(IndicatorColumns.self, artifact: payload.columnsDigest, in: store, what: "the indicator columns artifact",
                                       step: "indicators")
        var values: [String: [String: Double]] = [:]
        for name in names {
            guard let column = table.columns[name], column.count == table.exampleIDs.count else {
                throw StepError.failed(step: "indicators", "the indicator columns \(payload.columnsDigest.prefix(12)) lack a full \(name) column")
            }
            values[name] = Dictionary(zip(table.exampleIDs, column), uniquingKeysWith: { a, _ in a })
        }
        self.values = values
    }

    init(_ context: StepContext) throws {
        try self.init(try context.input(IndicatorsStep.self, as: IndicatorsPayload.self), store: context.store, loaded: context.loaded)
    }

    /// One indicator's value for one example; an error names both when it was never computed.
    func value(_ name: String, _ exampleID: String) throws -> Double {
        guard let value = values[name]?[exampleID] else {
            throw StepError.failed(step: "indicators", "no \(name) value for example \(exampleID.prefix(12)): was its pool scored by indicators.compute?")
        }
        return value
    }

    /// Mean of each of `names` over the examples (one column per indicator, in `names` order).
    func means(_ exampleIDs: [String], names: [String]? = nil) throws -> [Double] {
        try (names ?? self.names).map { name in
            try exampleIDs.reduce(0.0) { $0 + (try value(name, $1)) } / Double(exampleIDs.count)
        }
    }
}
