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
        static let currentVersion = 2

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
            migrator.registerMigration("v2") { db in
                for statement in StateSchemaV2.statements(.sqlite) { try db.execute(sql: statement) }
                try db.execute(sql: "UPDATE meta SET value = '2' WHERE key = 'schema_version'")
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
                throw SQLiteErrors.map(error, path: path, doing: "migrating")
            }
        }

        /// What the file holds: `.current`, `.fresh` or `.older`; a newer or foreign file is refused.
        static func status(of reader: any DatabaseReader, path: String) throws(StateError) -> Status {
            let status: Status
            do {
                status = try reader.read(inspect)
            } catch {
                throw SQLiteErrors.map(error, path: path, doing: "reading")
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

        /// Version 1 (see ``StateSchemaV1``), as one script.
        static let v1 = StateSchemaV1.statements(.sqlite).joined(separator: ";\n")
    }
}
