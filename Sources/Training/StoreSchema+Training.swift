import Store

/// Training's tables in the store.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `finetune` | one finished (or failed) finetune job, keyed by its content | job key |
extension StoreSchema {
    public static let training = StoreSchema(module: "training", migrations: [
        StoreSchema.Migration("v1-finetunes", sql: """
            CREATE TABLE finetune (
                job_key TEXT PRIMARY KEY,
                backend TEXT NOT NULL,
                job_json TEXT NOT NULL,
                status TEXT NOT NULL,
                result_json TEXT,
                error TEXT,
                attempts INTEGER NOT NULL DEFAULT 0,
                updated_at TEXT NOT NULL
            );
            """),
    ])
}
