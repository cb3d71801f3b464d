import GRDB

/// Stores written before each module registered its own tables (up to commit 824687c) list three store-wide
/// migrations. Each created the tables that the per-module migrations below now create, statement for statement
/// and in the same words, so such a store already has what those migrations would make: opening it replaces the
/// old identifiers with the new ones, in one transaction, and runs nothing.
enum LegacyMigrations {
    static let replacements: [String: [String]] = [
        "v1-core": ["store.v1-artifacts-runs-cells", "corpus.v1-examples", "indicators.v1-values",
                    "training.v1-finetunes", "search.v1-trials", "workbench.v1-figures"],
        "v2-cell-report": ["store.v2-cell-report"],
        "v3-corpus-kinds": ["corpus.v2-corpus-kinds"],
    ]

    /// Rewrites an old store's migration list; a store without the old identifiers is left alone.
    static func translate(_ db: Database) throws {
        guard try db.tableExists("grdb_migrations") else { return }
        let applied = try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations")
        for old in applied {
            guard let new = replacements[old] else { continue }
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [old])
            for identifier in new {
                try db.execute(sql: "INSERT OR IGNORE INTO grdb_migrations (identifier) VALUES (?)", arguments: [identifier])
            }
        }
    }
}
