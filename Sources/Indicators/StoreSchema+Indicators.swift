import Store

/// Indicators's tables in the store. Its values refer to Corpus's examples: open a store with `.corpus` before `.indicators`.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `indicator_variant` | one exact indicator variant (name, parameters, model hash, reference pool) | variant key |
/// | `indicator_value` | one example's value under one variant (an index for `imine score` and imported values) | example, variant key |
extension StoreSchema {
    public static let indicators = StoreSchema(module: "indicators", migrations: [
        StoreSchema.Migration("v1-values", sql: """
            CREATE TABLE indicator_variant (
                key TEXT PRIMARY KEY,
                indicator TEXT NOT NULL,
                variant_json TEXT NOT NULL,
                model_hash TEXT,
                reference_pool TEXT,
                created_at TEXT NOT NULL
            );
            CREATE TABLE indicator_value (
                example_id TEXT NOT NULL REFERENCES example(id),
                variant_key TEXT NOT NULL REFERENCES indicator_variant(key),
                value REAL NOT NULL,
                flag TEXT,
                PRIMARY KEY (example_id, variant_key)
            );
            CREATE INDEX indicator_value_by_variant ON indicator_value(variant_key);
            """),
    ])
}
