import Foundation
import Logging
import PostgresNIO
import StockyardEngine

/// Whether a store has seen its schema current; once it has, it never looks again.
actor SchemaReadiness {
    private(set) var isReady = false
    func markReady() { isReady = true }
}

extension PostgresStateStore {
    /// Whether the tables are there (`true`), or the state holds nothing and was opened without
    /// `create` (`false`: an empty hub that must not be written, and no table is created for it).
    ///
    /// The first call opens a connection of its own rather than using the pool: a pool retries a
    /// failing connect for a minute and then reports a generic error, while a single connect fails
    /// at once with the server's reason ("password authentication failed for user …").
    /// Until the schema is ready, each call looks again, so a reader sees a state a writer creates.
    func ready() async throws(StateError) -> Bool {
        if await readiness.isReady { return true }
        let connection = try await connect()
        do {
            let isReady = try await PostgresSchema.prepare(connection, location: location, create: create, logger: logger)
            try? await connection.close()
            if isReady { await readiness.markReady() }
            return isReady
        } catch {
            try? await connection.close()
            throw PostgresErrors.map(error, location: location, doing: "opening")
        }
    }

    /// A new connection of this store's own (not from the pool).
    func connect() async throws(StateError) -> PostgresConnection {
        let configuration = connectionConfiguration
        let logger = self.logger
        return try await perform("connecting to") {
            try await PostgresConnection.connect(configuration: configuration, id: Self.nextConnectionID(), logger: logger)
        }
    }

    private static let connectionIDs = ConnectionIDs()
    static func nextConnectionID() -> Int { connectionIDs.next() }
}

/// Ids for the connections stores open themselves, unique in the process (postgres-nio wants one).
private final class ConnectionIDs: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 1_000_000
    func next() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}

/// The state's tables in PostgreSQL and their migrations: SQLite's schema v1, translated.
///
/// As in SQLite, `meta.schema_version` counts the migrations applied, and `schema_migrations`
/// names them, so an older Stockyard refuses a state a newer one wrote instead of writing into a
/// schema it does not understand.
enum PostgresSchema {
    static let currentVersion = 2

    /// Migrations in order, each a list of statements (the extended protocol runs one at a time).
    /// Version 1 creates `schema_migrations` first: it replaces GRDB's `grdb_migrations`.
    static let migrations: [(id: String, statements: [String])] = [
        (
            "v1",
            ["CREATE TABLE schema_migrations (identifier text NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"]
                + StateSchemaV1.statements(.postgres)
        ),
        ("v2", StateSchemaV2.statements(.postgres)),
    ]

    /// Two `int4` keys for advisory locks: the first says "Stockyard" and what the lock is for,
    /// the second which state (a schema, several of which may share one database).
    static let applyLockClass: Int32 = 0x5354_4B59  // "STKY"
    static let migrationLockClass: Int32 = 0x5354_4B5A  // "STKZ"

    typealias Status = SchemaStatus

    /// What a foreign state's refusal suggests instead.
    static let foreignHint = "give Stockyard an empty database, or a schema of its own with ?schema=NAME"

    /// Refuses states this build must not touch, migrates older ones and, with `create`, new ones.
    /// Returns whether the tables are now there.
    static func prepare(
        _ connection: PostgresConnection, location: PostgresLocation, create: Bool, logger: Logger
    ) async throws -> Bool {
        let found = try await inspect(connection, logger: logger)
        if let refusal = found.refusal(place: location.description, hint: foreignHint) { throw refusal }
        switch found {
        case .current: return true
        case .fresh where !create: return false
        default: break
        }
        return try await PostgresStateStore.transaction(connection, logger: logger) { connection in
            // Serializes Stockyards creating the same state at once; the loser finds it current.
            let key = Int32(bitPattern: fnv1a(location.schema ?? "") & 0x7FFF_FFFF)
            try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLockClass), \(key))", logger: logger)
            if let schema = location.schema {
                let exists = try await connection.query(
                    "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = \(schema)", logger: logger
                ).collect()
                if exists.isEmpty {
                    try await connection.query(
                        PostgresQuery(unsafeSQL: "CREATE SCHEMA \(PostgresSQL.identifier(schema))"), logger: logger
                    )
                }
            }
            let status = try await inspect(connection, logger: logger)
            if let refusal = status.refusal(place: location.description, hint: foreignHint) { throw refusal }
            if status == .current { return true }
            var applied = Set<String>()
            if status == .older { applied = try await appliedMigrations(connection, logger: logger) }
            for migration in migrations where !applied.contains(migration.id) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (identifier) VALUES (\(migration.id))", logger: logger
                )
                if migration.id == "v1" {
                    let lineage = UUID().uuidString.lowercased()
                    try await connection.query(
                        "INSERT INTO meta (key, value) VALUES ('lineage', \(lineage)), ('schema_version', '0')",
                        logger: logger
                    )
                }
            }
            try await connection.query(
                "UPDATE meta SET value = \(String(migrations.count)) WHERE key = 'schema_version'", logger: logger
            )
            return true
        }
    }

    static func inspect(_ connection: PostgresConnection, logger: Logger) async throws -> Status {
        let tableRows = try await connection.query(
            """
            SELECT c.relname FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """,
            logger: logger
        )
        var tables = Set<String>()
        for try await name in tableRows.decode(String.self) { tables.insert(name) }
        if let status = Status.classify(tables: tables, bookkeeping: "schema_migrations") { return status }
        var recorded: Int?
        let rows = try await connection.query("SELECT value FROM meta WHERE key = 'schema_version'", logger: logger)
        for try await value in rows.decode(String.self) { recorded = Int(value) }
        return Status.classify(
            applied: try await appliedMigrations(connection, logger: logger), recorded: recorded,
            known: Set(migrations.map(\.id)), currentVersion: currentVersion
        )
    }

    static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> Set<String> {
        let rows = try await connection.query("SELECT identifier FROM schema_migrations", logger: logger)
        var applied = Set<String>()
        for try await identifier in rows.decode(String.self) { applied.insert(identifier) }
        return applied
    }

    /// FNV-1a: a hash that is the same in every process and every build (`Hasher` is seeded).
    static func fnv1a(_ text: String) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }
}
