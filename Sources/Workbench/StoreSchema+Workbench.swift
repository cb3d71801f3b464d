import Store

/// Workbench's tables in the store.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `figure` | one rendered figure and the files that made it | notebook, name |
extension StoreSchema {
    public static let workbench = StoreSchema(module: "workbench", migrations: [
        StoreSchema.Migration("v1-figures", sql: """
            CREATE TABLE figure (
                notebook TEXT NOT NULL,
                name TEXT NOT NULL,
                cell_id TEXT NOT NULL,
                spec_digest TEXT NOT NULL REFERENCES artifact(digest),
                directory TEXT NOT NULL,
                rendered_at TEXT NOT NULL,
                PRIMARY KEY (notebook, name)
            );
            """),
    ])
}
