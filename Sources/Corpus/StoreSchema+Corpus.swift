import Store

/// Corpus's tables in the store.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `dataset` | one ingested source file | name |
/// | `example` | one normalised (instruction, input, response) example | content hash |
/// | `dataset_example` | an example's place in a dataset (duplicates across datasets are visible here) | dataset, position |
/// | `pool` | an example's membership in a declared pool (eval, rule-fit, selection, ...) | pool, example |
/// | `preference_pair`, `dataset_preference` | one preference judgement (prompt, chosen, rejected) and its place in a dataset (v2) | content hash; dataset, position |
/// | `example_judgement` | a KTO desirability label of an example in a dataset (v2) | dataset, position |
/// | `text_document`, `dataset_text` | one pretraining document and its place in a dataset (v2) | content hash; dataset, position |
extension StoreSchema {
    public static let corpus = StoreSchema(module: "corpus", migrations: [
        StoreSchema.Migration("v1-examples", sql: """
            CREATE TABLE dataset (
                name TEXT PRIMARY KEY,
                path TEXT NOT NULL,
                format TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                licence TEXT NOT NULL,
                source TEXT NOT NULL,
                record_count INTEGER NOT NULL,
                report_json TEXT NOT NULL DEFAULT '{}',
                ingested_at TEXT NOT NULL
            );
            CREATE TABLE example (
                id TEXT PRIMARY KEY,
                instruction TEXT NOT NULL,
                input TEXT NOT NULL,
                response TEXT NOT NULL,
                turns_json TEXT NOT NULL DEFAULT '[]',
                source TEXT NOT NULL,
                licence TEXT NOT NULL,
                split TEXT NOT NULL
            );
            CREATE TABLE dataset_example (
                dataset TEXT NOT NULL REFERENCES dataset(name) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                example_id TEXT NOT NULL REFERENCES example(id),
                PRIMARY KEY (dataset, position)
            );
            CREATE INDEX dataset_example_by_example ON dataset_example(example_id);
            CREATE TABLE pool (
                name TEXT NOT NULL,
                example_id TEXT NOT NULL REFERENCES example(id),
                PRIMARY KEY (name, example_id)
            );
            """),
        // Preference pairs (hh-rlhf, DPO), KTO labels and pretraining text are not instruction examples; each gets
        // its own table, placed in datasets like `dataset_example` places examples.
        StoreSchema.Migration("v2-corpus-kinds", sql: """
            CREATE TABLE preference_pair (
                id TEXT PRIMARY KEY,
                prompt_json TEXT NOT NULL,
                chosen_json TEXT NOT NULL,
                rejected_json TEXT NOT NULL,
                source TEXT NOT NULL,
                licence TEXT NOT NULL
            );
            CREATE TABLE dataset_preference (
                dataset TEXT NOT NULL REFERENCES dataset(name) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                pair_id TEXT NOT NULL REFERENCES preference_pair(id),
                PRIMARY KEY (dataset, position)
            );
            CREATE TABLE example_judgement (
                dataset TEXT NOT NULL REFERENCES dataset(name) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                example_id TEXT NOT NULL REFERENCES example(id),
                desirable INTEGER NOT NULL,
                PRIMARY KEY (dataset, position)
            );
            CREATE TABLE text_document (
                id TEXT PRIMARY KEY,
                text TEXT NOT NULL,
                source TEXT NOT NULL,
                licence TEXT NOT NULL
            );
            CREATE TABLE dataset_text (
                dataset TEXT NOT NULL REFERENCES dataset(name) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                document_id TEXT NOT NULL REFERENCES text_document(id),
                PRIMARY KEY (dataset, position)
            );
            """),
    ])
}
