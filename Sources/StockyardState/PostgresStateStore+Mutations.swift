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
            let users = try await connections(connection, whereStore: key, logger: logger)
            guard users.isEmpty else { throw StateError("cannot delete store '\(key)': \(users) still use it") }
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
            guard try await exists(connection, warehouse: from, logger: logger) else {
                throw StateError("cannot rename warehouse '\(from)' to '\(to)': '\(from)' is not in the state")
            }
            guard try await !exists(connection, warehouse: to, logger: logger) else {
                throw StateError("cannot rename warehouse '\(from)' to '\(to)': '\(to)' already exists")
            }
            // Connections and stock follow through ON UPDATE CASCADE.
            try await connection.query("UPDATE warehouses SET key = \(to) WHERE key = \(from)", logger: logger)

        case .deleteWarehouse(let key):
            let users = try await connections(connection, whereWarehouse: key, logger: logger)
            guard users.isEmpty else { throw StateError("cannot delete warehouse '\(key)': \(users) still use it") }
            // Its stock goes with it (ON DELETE CASCADE); the planner asks for --allow-stock-loss first.
            try await connection.query("DELETE FROM warehouses WHERE key = \(key)", logger: logger)

        case .putConnection(let record):
            try await putConnection(record, connection, logger: logger)

        case .deleteConnection(let id):
            try await connection.query(
                "DELETE FROM connections WHERE store = \(id.store) AND location_id = \(id.locationID)", logger: logger
            )

        case .setStock(let warehouse, let quantities):
            guard try await exists(connection, warehouse: warehouse, logger: logger) else {
                throw StateError("cannot set stock in warehouse '\(warehouse)': it is not in the state")
            }
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
            let found = try await connection.query(
                "SELECT 1 FROM connections WHERE store = \(id.store) AND location_id = \(id.locationID)", logger: logger
            ).collect()
            guard !found.isEmpty else {
                throw StateError("cannot set sync marks of connection \(id.store)/\(id.locationID): it is not in the state")
            }
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
            let writes = String(decoding: try JSONEncoder().encode(push.writes), as: UTF8.self)
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
        }
    }

    /// Inserts or replaces a connection, or names the store or warehouse it points at that is
    /// missing: one round trip, the checks and the write in one statement.
    private static func putConnection(_ record: ConnectionRecord, _ connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            WITH refs AS (
                SELECT EXISTS (SELECT 1 FROM stores WHERE key = \(record.store)) AS has_store,
                       EXISTS (SELECT 1 FROM warehouses WHERE key = \(record.warehouse)) AS has_warehouse
            ), written AS (
                INSERT INTO connections (store, location_id, location_name, warehouse, master, protect)
                SELECT \(record.store), \(record.locationID), \(record.locationName), \(record.warehouse),
                       \(record.master.rawValue), \(record.protect)
                FROM refs WHERE has_store AND has_warehouse
                ON CONFLICT (store, location_id) DO UPDATE SET
                    location_name = excluded.location_name, warehouse = excluded.warehouse,
                    master = excluded.master, protect = excluded.protect
                RETURNING 1
            )
            SELECT has_store, has_warehouse FROM refs
            """,
            logger: logger
        )
        for try await (hasStore, hasWarehouse) in rows.decode((Bool, Bool).self) {
            let name = record.displayName
            if !hasStore {
                throw StateError("cannot save connection \(name): store '\(record.store)' is not in the state")
            }
            if !hasWarehouse {
                throw StateError("cannot save connection \(name): warehouse '\(record.warehouse)' is not in the state")
            }
        }
    }

    private static func exists(_ connection: PostgresConnection, warehouse key: String, logger: Logger) async throws -> Bool {
        try await !connection.query("SELECT 1 FROM warehouses WHERE key = \(key)", logger: logger).collect().isEmpty
    }

    private static func connections(_ connection: PostgresConnection, whereStore key: String, logger: Logger) async throws -> String {
        try await describeConnections(
            connection,
            count: "SELECT count(*) FROM connections WHERE store = \(key)",
            first: """
                SELECT store, location_name FROM connections WHERE store = \(key)
                ORDER BY store COLLATE "C", location_id COLLATE "C" LIMIT 3
                """,
            logger: logger
        )
    }

    private static func connections(_ connection: PostgresConnection, whereWarehouse key: String, logger: Logger) async throws -> String {
        try await describeConnections(
            connection,
            count: "SELECT count(*) FROM connections WHERE warehouse = \(key)",
            first: """
                SELECT store, location_name FROM connections WHERE warehouse = \(key)
                ORDER BY store COLLATE "C", location_id COLLATE "C" LIMIT 3
                """,
            logger: logger
        )
    }

    /// The connections a query finds, for an error message ("2 connections (acme-uk["Leeds DC"],
    /// …)"), or an empty string when there are none. Sorted byte-wise (`COLLATE "C"`), as SQLite
    /// sorts, so that both stores name the same connections.
    private static func describeConnections(
        _ connection: PostgresConnection, count: PostgresQuery, first: PostgresQuery, logger: Logger
    ) async throws -> String {
        var total = 0
        for try await value in try await connection.query(count, logger: logger).decode(Int.self) { total = value }
        guard total > 0 else { return "" }
        var named: [String] = []
        for try await (store, location) in try await connection.query(first, logger: logger).decode((String, String).self) {
            named.append(ConnectionAddress.format(store: store, location: location))
        }
        let more = total > named.count ? ", …" : ""
        let noun = total == 1 ? "connection" : "connections"
        return "\(total) \(noun) (\(named.joined(separator: ", "))\(more))"
    }
}
