import Store

/// Search's tables in the store.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `search_trial` | one trial of a hyper-parameter search | search, trial |
extension StoreSchema {
    public static let search = StoreSchema(module: "search", migrations: [
        StoreSchema.Migration("v1-trials", sql: """
            CREATE TABLE search_trial (
                search_id TEXT NOT NULL,
                trial INTEGER NOT NULL,
                config_json TEXT NOT NULL,
                objective REAL,
                cost REAL NOT NULL,
                thread TEXT NOT NULL,
                seed INTEGER NOT NULL,
                PRIMARY KEY (search_id, trial)
            );
            """),
    ])
}
