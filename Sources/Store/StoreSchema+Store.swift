/// The store's own tables.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `artifact` | a content-addressed blob (step output, checkpoint, figure data) | digest |
/// | `run` | one `imine run` invocation and its provenance | id |
/// | `cell` | one finished notebook cell under one cache key; payload in `output_digest`, tables/figures/text in `report_digest` (v2) | notebook, cell, cache key |
extension StoreSchema {
    public static let store = StoreSchema(module: "store", migrations: [
        StoreSchema.Migration("v1-artifacts-runs-cells", sql: """
            CREATE TABLE artifact (
                digest TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                media_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                bytes BLOB NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE run (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notebook TEXT NOT NULL,
                profile TEXT NOT NULL,
                provenance_json TEXT NOT NULL,
                started_at TEXT NOT NULL,
                finished_at TEXT,
                status TEXT NOT NULL
            );
            CREATE TABLE cell (
                notebook TEXT NOT NULL,
                cell_id TEXT NOT NULL,
                cache_key TEXT NOT NULL,
                step TEXT NOT NULL,
                step_version INTEGER NOT NULL,
                params_json TEXT NOT NULL,
                output_digest TEXT NOT NULL REFERENCES artifact(digest),
                run_id INTEGER REFERENCES run(id),
                duration_s REAL NOT NULL,
                finished_at TEXT NOT NULL,
                PRIMARY KEY (notebook, cell_id, cache_key)
            );
            """),
        // A cell's presentation (tables, figures, text) is stored apart from its payload, so that only the payload's
        // digest feeds other cells' cache keys; cells are looked up by cache key alone (a renamed cell stays cached).
        StoreSchema.Migration("v2-cell-report", sql: """
            ALTER TABLE cell ADD COLUMN report_digest TEXT REFERENCES artifact(digest);
            CREATE INDEX cell_by_cache_key ON cell(cache_key);
            CREATE INDEX run_by_notebook ON run(notebook, id);
            """),
    ])
}
