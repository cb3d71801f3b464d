import GRDB

/// One module's tables in the store: its migrations, applied in order, each once per store file.
///
/// A module that keeps tables declares them beside the code that reads them (`StoreSchema.corpus` in Corpus,
/// `StoreSchema.indicators` in Indicators, ...), and whoever opens a store names the schemas it uses:
///
///     let store = try Store(path: path, schemas: [.corpus, .indicators])
///
/// The store's own tables (``store``: artifacts, runs, cells) always come first. A migration is stored under the
/// identifier `<module>.<name>` and is never edited after it has shipped: a change is a new migration appended to
/// its module's list. A store that has applied a migration the opener does not know is refused
/// (``StoreError/unknownMigration(_:_:)``), so a program must open a store with every schema that wrote to it.
public struct StoreSchema: Sendable {
    public struct Migration: Sendable {
        public let name: String
        public let sql: String

        public init(_ name: String, sql: String) {
            self.name = name
            self.sql = sql
        }
    }

    /// The lower-case module name that prefixes its migrations' identifiers.
    public let module: String
    public let migrations: [Migration]

    public init(module: String, migrations: [Migration]) {
        self.module = module
        self.migrations = migrations
    }

    /// The identifiers its migrations have in the store, in order.
    public var identifiers: [String] { migrations.map { "\(module).\($0.name)" } }
}

/// The schemas a store is opened with, in the order their migrations run: the store's own first.
struct SchemaSet {
    let schemas: [StoreSchema]

    init(_ schemas: [StoreSchema]) {
        let all = [StoreSchema.store] + schemas.filter { $0.module != StoreSchema.store.module }
        precondition(Set(all.map(\.module)).count == all.count, "a store schema is named twice: \(all.map(\.module))")
        self.schemas = all
    }

    var identifiers: [String] { schemas.flatMap(\.identifiers) }

    var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for schema in schemas {
            for (migration, identifier) in zip(schema.migrations, schema.identifiers) {
                migrator.registerMigration(identifier) { db in try db.execute(sql: migration.sql) }
            }
        }
        return migrator
    }
}
