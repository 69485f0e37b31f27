import Foundation
import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore {
    /// Applies the mutations and records the history entry in one transaction: all or nothing.
    ///
    /// Deleting something that is not there is a no-op, so that re-applying after a crash converges.
    /// Unlike SQLite, PostgreSQL aborts a transaction at its first failed statement, so the checks
    /// that name what is missing or in use run before the statement they guard, not after it fails.
    public func commit(_ mutations: [StateMutation], history: HistoryEntry?) async throws(StateError) {
        if mutations.isEmpty && history == nil { return }
        let entry = try history.map { (entry) throws(StateError) in try EncodedHistory(entry, path: location.description) }
        let logger = self.logger
        try await inWriteTransaction("writing") { connection in
            for mutation in mutations {
                try await Self.apply(mutation, connection, logger: logger)
            }
            if let entry {
                try await Self.insertHistory([entry], connection, logger: logger)
            }
        }
    }

    static func insertHistory(_ entries: [EncodedHistory], _ connection: PostgresConnection, logger: Logger) async throws {
        // One statement for many entries; WITH ORDINALITY keeps their order in the identity column.
        // Arrays cannot carry NULL here, so a missing record travels as '' (never valid JSON).
        try await connection.query(
            """
            INSERT INTO history (time, plan_id, address, action, before_json, after_json)
            SELECT time, plan_id, address, action, NULLIF(before_json, ''), NULLIF(after_json, '')
            FROM unnest(\(entries.map(\.time))::text[], \(entries.map(\.planID))::text[],
                        \(entries.map(\.address))::text[], \(entries.map(\.action))::text[],
                        \(entries.map { $0.before ?? "" })::text[], \(entries.map { $0.after ?? "" })::text[])
                 WITH ORDINALITY AS e(time, plan_id, address, action, before_json, after_json, n)
            ORDER BY n
            """,
            logger: logger
        )
    }

    static func apply(_ mutation: StateMutation, _ connection: PostgresConnection, logger: Logger) async throws {
        // PostgreSQL aborts a transaction at its first failed statement, so the checks run before
        // the statement they guard, not after it fails.
        for check in mutation.checks {
            if let violation = mutation.violation(of: check, try await answer(check, connection, logger: logger)) {
                throw StateError.rule(violation)
            }
        }
        switch mutation {
        case .putStore(let store):
            try await connection.query(
                """
                INSERT INTO stores (key, platform, target) VALUES (\(store.key), \(store.platform.rawValue), \(store.target))
                ON CONFLICT (key) DO UPDATE SET platform = excluded.platform, target = excluded.target
                """,
                logger: logger
            )

        case .deleteStore(let key):
            try await connection.query("DELETE FROM stores WHERE key = \(key)", logger: logger)

        case .putWarehouse(let warehouse):
            try await connection.query(
                """
                INSERT INTO warehouses (key, name, code, kind, protect)
                VALUES (\(warehouse.key), \(warehouse.name), \(warehouse.code), \(warehouse.kind.rawValue), \(warehouse.protect))
                ON CONFLICT (key) DO UPDATE SET
                    name = excluded.name, code = excluded.code, kind = excluded.kind, protect = excluded.protect
                """,
                logger: logger
            )

        case .renameWarehouse(let from, let to):
            guard from != to else { return }
            // Connections and stock follow through ON UPDATE CASCADE.
            try await connection.query("UPDATE warehouses SET key = \(to) WHERE key = \(from)", logger: logger)

        case .deleteWarehouse(let key):
            // Its stock goes with it (ON DELETE CASCADE).
            try await connection.query("DELETE FROM warehouses WHERE key = \(key)", logger: logger)

        case .putConnection(let record):
            try await connection.query(
                """
                INSERT INTO connections (store, location_id, location_name, warehouse, master, protect)
                VALUES (\(record.store), \(record.locationID), \(record.locationName), \(record.warehouse),
                        \(record.master.rawValue), \(record.protect))
                ON CONFLICT (store, location_id) DO UPDATE SET
                    location_name = excluded.location_name, warehouse = excluded.warehouse,
                    master = excluded.master, protect = excluded.protect
                """,
                logger: logger
            )

        case .deleteConnection(let id):
            // Its sync marks go with it (ON DELETE CASCADE).
            try await connection.query(
                "DELETE FROM connections WHERE store = \(id.store) AND location_id = \(id.locationID)", logger: logger
            )

        case .setStock(let warehouse, let quantities):
            guard !quantities.isEmpty else { return }
            let skus = Array(quantities.keys)
            let counts = skus.map { quantities[$0]! }
            try await connection.query(
                """
                INSERT INTO stock (warehouse, sku, quantity)
                SELECT \(warehouse), sku, quantity FROM unnest(\(skus)::text[], \(counts)::bigint[]) AS s(sku, quantity)
                ON CONFLICT (warehouse, sku) DO UPDATE SET quantity = excluded.quantity
                """,
                logger: logger
            )

        case .setSyncMarks(let id, let quantities):
            guard !quantities.isEmpty else { return }
            let skus = Array(quantities.keys)
            let counts = skus.map { quantities[$0]! }
            try await connection.query(
                """
                INSERT INTO sync_marks (store, location_id, sku, quantity)
                SELECT \(id.store), \(id.locationID), sku, quantity
                FROM unnest(\(skus)::text[], \(counts)::bigint[]) AS s(sku, quantity)
                ON CONFLICT (store, location_id, sku) DO UPDATE SET quantity = excluded.quantity
                """,
                logger: logger
            )

        case .addPendingPush(let push):
            let writes = try StateRows.encodedWrites(push)
            try await connection.query(
                """
                INSERT INTO pending_pushes (key, store, location_id, writes)
                VALUES (\(push.key), \(push.store), \(push.locationID), \(writes))
                ON CONFLICT (key) DO NOTHING
                """,
                logger: logger
            )

        case .removePendingPush(let key):
            try await connection.query("DELETE FROM pending_pushes WHERE key = \(key)", logger: logger)
        case .setReadMark(let mark):
            try await connection.query(
                """
                INSERT INTO read_marks (store, location_id, read_through_ms, full_read_at_ms)
                VALUES (\(mark.store), \(mark.locationID), \(mark.readThroughMilliseconds), \(mark.fullReadAtMilliseconds))
                ON CONFLICT (store, location_id) DO UPDATE SET
                    read_through_ms = excluded.read_through_ms, full_read_at_ms = excluded.full_read_at_ms
                """,
                logger: logger
            )
        case .removeSyncMarks(let id, let skus):
            guard !skus.isEmpty else { return }
            try await connection.query(
                """
                DELETE FROM sync_marks WHERE store = \(id.store) AND location_id = \(id.locationID) AND sku = ANY(\(skus)::text[])
                """,
                logger: logger
            )
        }
    }

    /// How the database answers one of a mutation's checks, inside the write transaction.
    private static func answer(_ check: StateCheck, _ connection: PostgresConnection, logger: Logger) async throws -> StateCheck.Outcome {
        func exists(_ query: PostgresQuery) async throws -> Bool {
            try await !connection.query(query, logger: logger).collect().isEmpty
        }
        switch check {
        case .storeExists(let key): return try await exists("SELECT 1 FROM stores WHERE key = \(key)") ? .holds : .fails
        case .warehouseExists(let key): return try await exists("SELECT 1 FROM warehouses WHERE key = \(key)") ? .holds : .fails
        case .warehouseAbsent(let key): return try await exists("SELECT 1 FROM warehouses WHERE key = \(key)") ? .fails : .holds
        case .connectionExists(let id):
            return try await exists("SELECT 1 FROM connections WHERE store = \(id.store) AND location_id = \(id.locationID)")
                ? .holds : .fails
        case .storeUnused(let key):
            return .inUse(
                try await usage(
                    connection,
                    "SELECT count(*) OVER (), store, location_name FROM connections WHERE store = \(key) ORDER BY store COLLATE \"C\", location_id COLLATE \"C\" LIMIT \(ConnectionUsage.named)",
                    logger: logger))
        case .warehouseUnused(let key):
            return .inUse(
                try await usage(
                    connection,
                    "SELECT count(*) OVER (), store, location_name FROM connections WHERE warehouse = \(key) ORDER BY store COLLATE \"C\", location_id COLLATE \"C\" LIMIT \(ConnectionUsage.named)",
                    logger: logger))
        }
    }

    /// The connections a query finds, as an error names them: one round trip, the total counted
    /// over the whole match before LIMIT. Sorted byte-wise (`COLLATE "C"`), as SQLite and the
    /// in-memory rules sort, so that every store names the same connections.
    private static func usage(_ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger) async throws -> ConnectionUsage {
        var usage = ConnectionUsage.unused
        for try await (total, store, location) in try await connection.query(query, logger: logger).decode((Int, String, String).self) {
            usage.count = total
            usage.first.append(ConnectionAddress.format(store: store, location: location))
        }
        return usage
    }
}
