import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore {
    /// The state's tables and their migrations.
    ///
    /// Each migration bumps `meta.schema_version` by one, so that an older Stockyard can tell a newer
    /// file apart and refuse it instead of writing into a schema it does not understand.
    enum Schema {
        /// The schema version this build writes: the number of migrations it knows.
        static let currentVersion = 1

        typealias Status = SchemaStatus

        static var migrator: DatabaseMigrator {
            var migrator = DatabaseMigrator()
            migrator.registerMigration("v1") { db in
                try db.execute(sql: v1)
                try db.execute(
                    sql: "INSERT INTO meta (key, value) VALUES ('lineage', ?), ('schema_version', '1')",
                    arguments: [UUID().uuidString.lowercased()]
                )
            }
            return migrator
        }

        /// Refuses files this build must not touch, then migrates older or new ones.
        static func prepare(_ pool: DatabasePool, path: String) throws(StateError) {
            // `status` refuses newer and foreign files; what is left is current, or safe to migrate.
            guard try status(of: pool, path: path) != .current else { return }
            do {
                try migrator.migrate(pool)
            } catch {
                // Two processes may create the same new file at once; the loser's migration fails
                // on tables the winner created. That is fine when the file is now current.
                if (try? pool.read(inspect)) == .current { return }
                throw StateErrors.map(error, path: path, doing: "migrating")
            }
        }

        /// What the file holds: `.current`, `.fresh` or `.older`; a newer or foreign file is refused.
        static func status(of reader: any DatabaseReader, path: String) throws(StateError) -> Status {
            let status: Status
            do {
                status = try reader.read(inspect)
            } catch {
                throw StateErrors.map(error, path: path, doing: "reading")
            }
            return try refusingUnknown(status, path: path)
        }

        /// `status`, unless it is a newer or a foreign file: those are refused. Never a file half-way
        /// through creation: a new state appears whole (see `createAtomically`), and each migration
        /// is one transaction.
        static func refusingUnknown(_ status: Status, path: String) throws(StateError) -> Status {
            if let refusal = status.refusal(place: path) { throw refusal }
            return status
        }

        static func inspect(_ db: Database) throws -> Status {
            let tables = try String.fetchSet(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
            // A kill while Stockyard 0.1 created the file could leave GRDB's bookkeeping table and
            // nothing else: no data, so it is as good as a new file.
            if tables == ["grdb_migrations"], try Int.fetchOne(db, sql: "SELECT count(*) FROM grdb_migrations") == 0 {
                return .fresh
            }
            if let status = Status.classify(tables: tables, bookkeeping: "grdb_migrations") { return status }
            let migrator = self.migrator
            return Status.classify(
                applied: try migrator.appliedIdentifiers(db),
                recorded: try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'").flatMap { Int($0) },
                known: Set(migrator.migrations), currentVersion: currentVersion
            )
        }

        /// Version 1. Warehouse codes are not UNIQUE here: the config check keeps them unique, and a
        /// plan that moves a code from a deleted warehouse to a new one creates before it deletes.
        /// Keys are TEXT and tables WITHOUT ROWID where the key is the natural way in.
        /// `connections_warehouse` keeps renames (ON UPDATE CASCADE) and in-use checks off a full scan.
        static let v1 = """
            CREATE TABLE meta (
                key TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE stores (
                key TEXT NOT NULL PRIMARY KEY,
                platform TEXT NOT NULL,
                target TEXT NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE warehouses (
                key TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                code TEXT,
                kind TEXT NOT NULL,
                protect INTEGER NOT NULL DEFAULT 0 CHECK (protect IN (0, 1))
            ) WITHOUT ROWID;

            CREATE TABLE connections (
                store TEXT NOT NULL REFERENCES stores(key) ON UPDATE CASCADE,
                location_id TEXT NOT NULL,
                location_name TEXT NOT NULL,
                warehouse TEXT NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE,
                master TEXT NOT NULL,
                protect INTEGER NOT NULL DEFAULT 0 CHECK (protect IN (0, 1)),
                PRIMARY KEY (store, location_id)
            ) WITHOUT ROWID;
            CREATE INDEX connections_warehouse ON connections(warehouse);

            CREATE TABLE stock (
                warehouse TEXT NOT NULL REFERENCES warehouses(key) ON UPDATE CASCADE ON DELETE CASCADE,
                sku TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                PRIMARY KEY (warehouse, sku)
            ) WITHOUT ROWID;

            CREATE TABLE sync_marks (
                store TEXT NOT NULL,
                location_id TEXT NOT NULL,
                sku TEXT NOT NULL,
                quantity INTEGER NOT NULL,
                PRIMARY KEY (store, location_id, sku),
                FOREIGN KEY (store, location_id) REFERENCES connections(store, location_id)
                    ON UPDATE CASCADE ON DELETE CASCADE
            ) WITHOUT ROWID;

            CREATE TABLE pending_pushes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                store TEXT NOT NULL,
                location_id TEXT NOT NULL,
                writes TEXT NOT NULL
            );

            CREATE TABLE history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time TEXT NOT NULL,
                plan_id TEXT NOT NULL,
                address TEXT NOT NULL,
                action TEXT NOT NULL,
                before_json TEXT,
                after_json TEXT
            );

            CREATE TABLE lock (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                holder TEXT NOT NULL,
                host TEXT NOT NULL,
                pid INTEGER NOT NULL,
                since TEXT NOT NULL,
                command TEXT NOT NULL
            );
            """
    }
}
