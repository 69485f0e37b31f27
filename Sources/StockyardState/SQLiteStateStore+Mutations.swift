import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore {
    /// Applies the mutations and records the history entry in one IMMEDIATE transaction.
    ///
    /// All or nothing: when one mutation fails, none of the others is kept. IMMEDIATE takes the write
    /// lock up front, so two processes wait for each other (busy timeout) instead of failing halfway.
    /// Deleting something that is not there is a no-op, so that re-applying after a crash converges.
    public func commit(_ mutations: [StateMutation], history: HistoryEntry?) throws(StateError) {
        if mutations.isEmpty && history == nil { return }
        guard let pool else { throw readOnlyError }
        let path = self.path
        let entry = try history.map { (entry) throws(StateError) in try EncodedHistory(entry, path: path) }
        try perform("writing") {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for mutation in mutations {
                        try Self.apply(mutation, db)
                    }
                    if let entry {
                        try db.cachedStatement(
                            sql: """
                                INSERT INTO history (time, plan_id, address, action, before_json, after_json)
                                VALUES (?, ?, ?, ?, ?, ?)
                                """
                        ).execute(arguments: [
                            entry.time, entry.planID, entry.address, entry.action, entry.before, entry.after,
                        ])
                    }
                    return .commit
                }
            }
        }
    }

    static func apply(_ mutation: StateMutation, _ db: Database) throws {
        switch mutation {
        case .putStore(let store):
            try db.cachedStatement(
                sql: """
                    INSERT INTO stores (key, platform, target) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET platform = excluded.platform, target = excluded.target
                    """
            ).execute(arguments: [store.key, store.platform.rawValue, store.target])

        case .deleteStore(let key):
            let users = try connections(db, where: "store", is: key)
            guard users.isEmpty else {
                throw StateError("cannot delete store '\(key)': \(users) still use it")
            }
            try db.execute(sql: "DELETE FROM stores WHERE key = ?", arguments: [key])

        case .putWarehouse(let warehouse):
            try putWarehouse(warehouse, db)

        case .renameWarehouse(let from, let to):
            guard from != to else { return }
            guard try exists(db, warehouse: from) else {
                throw StateError("cannot rename warehouse '\(from)' to '\(to)': '\(from)' is not in the state")
            }
            guard try !exists(db, warehouse: to) else {
                throw StateError("cannot rename warehouse '\(from)' to '\(to)': '\(to)' already exists")
            }
            // Connections and stock follow through ON UPDATE CASCADE.
            try db.execute(sql: "UPDATE warehouses SET key = ? WHERE key = ?", arguments: [to, from])

        case .deleteWarehouse(let key):
            let users = try connections(db, where: "warehouse", is: key)
            guard users.isEmpty else {
                throw StateError("cannot delete warehouse '\(key)': \(users) still use it")
            }
            // Its stock goes with it (ON DELETE CASCADE); the planner asks for --allow-stock-loss first.
            try db.execute(sql: "DELETE FROM warehouses WHERE key = ?", arguments: [key])

        case .putConnection(let connection):
            try putConnection(connection, db)

        case .deleteConnection(let id):
            try db.cachedStatement(sql: "DELETE FROM connections WHERE store = ? AND location_id = ?")
                .execute(arguments: [id.store, id.locationID])

        case .setStock(let warehouse, let quantities):
            guard try exists(db, warehouse: warehouse) else {
                throw StateError("cannot set stock in warehouse '\(warehouse)': it is not in the state")
            }
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO stock (warehouse, sku, quantity) VALUES (?, ?, ?)
                    ON CONFLICT (warehouse, sku) DO UPDATE SET quantity = excluded.quantity
                    """
            )
            for (sku, quantity) in quantities {
                try statement.execute(arguments: [warehouse, sku, quantity])
            }
        case .setSyncMarks(let id, let quantities):
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO sync_marks (store, location_id, sku, quantity) VALUES (?, ?, ?, ?)
                    ON CONFLICT (store, location_id, sku) DO UPDATE SET quantity = excluded.quantity
                    """
            )
            for (sku, quantity) in quantities {
                try statement.execute(arguments: [id.store, id.locationID, sku, quantity])
            }
        case .addPendingPush(let push):
            let writes = String(decoding: try JSONEncoder().encode(push.writes), as: UTF8.self)
            try db.execute(
                sql: "INSERT INTO pending_pushes (key, store, location_id, writes) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                arguments: [push.key, push.store, push.locationID, writes])
        case .removePendingPush(let key):
            try db.execute(sql: "DELETE FROM pending_pushes WHERE key = ?", arguments: [key])
        }
    }

    /// Codes are not UNIQUE in the state (the config check keeps them unique), so that a plan can
    /// move a code from a warehouse it deletes to one it creates first.
    private static func putWarehouse(_ warehouse: WarehouseRecord, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO warehouses (key, name, code, kind, protect) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET
                    name = excluded.name, code = excluded.code, kind = excluded.kind, protect = excluded.protect
                """
        ).execute(arguments: [
            warehouse.key, warehouse.name, warehouse.code, warehouse.kind.rawValue, warehouse.protect,
        ])
    }

    private static func putConnection(_ connection: ConnectionRecord, _ db: Database) throws {
        do {
            try db.cachedStatement(
                sql: """
                    INSERT INTO connections (store, location_id, location_name, warehouse, master, protect)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (store, location_id) DO UPDATE SET
                        location_name = excluded.location_name, warehouse = excluded.warehouse,
                        master = excluded.master, protect = excluded.protect
                    """
            ).execute(arguments: [
                connection.store, connection.locationID, connection.locationName, connection.warehouse,
                connection.master.rawValue, connection.protect,
            ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_FOREIGNKEY {
            // SQLite does not say which reference failed; find out, to name it.
            let name = connection.displayName
            if try !exists(db, table: "stores", key: connection.store) {
                throw StateError("cannot save connection \(name): store '\(connection.store)' is not in the state")
            }
            if try !exists(db, warehouse: connection.warehouse) {
                throw StateError("cannot save connection \(name): warehouse '\(connection.warehouse)' is not in the state")
            }
            throw error
        }
    }

    private static func exists(_ db: Database, warehouse key: String) throws -> Bool {
        try exists(db, table: "warehouses", key: key)
    }

    private static func exists(_ db: Database, table: String, key: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM \(table) WHERE key = ?"), arguments: [key]) != nil
    }

    /// The connections whose `column` is `value`, described for an error message ("2 connections
    /// (acme-uk["Leeds DC"], …)"), or an empty string when there are none.
    private static func connections(_ db: Database, where column: String, is value: String) throws -> String {
        let count = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM connections WHERE \(column) = ?", arguments: [value]
        ) ?? 0
        guard count > 0 else { return "" }
        let named = try Row.fetchAll(
            db,
            sql: "SELECT store, location_name FROM connections WHERE \(column) = ? ORDER BY store, location_id LIMIT 3",
            arguments: [value]
        ).map { ConnectionAddress.format(store: $0[0], location: $0[1]) }
        let more = count > named.count ? ", …" : ""
        let noun = count == 1 ? "connection" : "connections"
        return "\(count) \(noun) (\(named.joined(separator: ", "))\(more))"
    }
}
