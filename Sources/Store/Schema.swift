import GRDB

/// The store's schema, all of it, in order. Each migration is applied once per store file and never edited after it
/// has shipped: a change is a new migration appended at the end.
///
/// | table | one row is | key |
/// |---|---|---|
/// | `dataset` | one ingested source file | name |
/// | `example` | one normalised (instruction, input, response) example | content hash |
/// | `dataset_example` | an example's place in a dataset (duplicates across datasets are visible here) | dataset, position |
/// | `pool` | an example's membership in a declared pool (eval, rule-fit, selection, ...) | pool, example |
/// | `indicator_variant` | one exact indicator variant (name, parameters, model hash, reference pool) | variant key |
/// | `indicator_value` | one example's value under one variant | example, variant key |
/// | `artifact` | a content-addressed blob (step output, checkpoint, figure data) | digest |
/// | `run` | one `imine run` invocation and its provenance | id |
/// | `cell` | one finished notebook cell under one cache key; payload in `output_digest`, tables/figures/text in `report_digest` (v2) | notebook, cell, cache key |
/// | `finetune` | one finished (or failed) finetune job, keyed by its content | job key |
/// | `search_trial` | one trial of a hyper-parameter search | search, trial |
/// | `figure` | one rendered figure and the files that made it | notebook, name |
/// | `preference_pair`, `dataset_preference` | one preference judgement (prompt, chosen, rejected) and its place in a dataset (v3) | content hash; dataset, position |
/// | `example_judgement` | a KTO desirability label of an example in a dataset (v3) | dataset, position |
/// | `text_document`, `dataset_text` | one pretraining document and its place in a dataset (v3) | content hash; dataset, position |
public enum Schema {
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-core") { db in
            try db.execute(sql: """
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
                CREATE TABLE figure (
                    notebook TEXT NOT NULL,
                    name TEXT NOT NULL,
                    cell_id TEXT NOT NULL,
                    spec_digest TEXT NOT NULL REFERENCES artifact(digest),
                    directory TEXT NOT NULL,
                    rendered_at TEXT NOT NULL,
                    PRIMARY KEY (notebook, name)
                );
                """)
        }
        // A cell's presentation (tables, figures, text) is stored apart from its payload, so that only the payload's
        // digest feeds other cells' cache keys; cells are looked up by cache key alone (a renamed cell stays cached).
        migrator.registerMigration("v2-cell-report") { db in
            try db.execute(sql: """
                ALTER TABLE cell ADD COLUMN report_digest TEXT REFERENCES artifact(digest);
                CREATE INDEX cell_by_cache_key ON cell(cache_key);
                CREATE INDEX run_by_notebook ON run(notebook, id);
                """)
        }
        // Corpus: preference pairs (hh-rlhf, DPO), KTO labels and pretraining text are not instruction examples;
        // each gets its own table, placed in datasets like `dataset_example` places examples.
        migrator.registerMigration("v3-corpus-kinds") { db in
            try db.execute(sql: """
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
                """)
        }
        // Append new migrations here ("v4-<what>"), never edit one above.
        return migrator
    }
}
