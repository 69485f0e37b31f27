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
        if let violation = try mutation.violation({ check in try answer(check, db) }) {
            throw StateError.rule(violation)
        }
        switch mutation {
        case .putStore(let store):
            try db.cachedStatement(
                sql: """
                    INSERT INTO stores (key, platform, target) VALUES (?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET platform = excluded.platform, target = excluded.target
                    """
            ).execute(arguments: [store.key, store.platform.rawValue, store.target])

        case .deleteStore(let key):
            try db.execute(sql: "DELETE FROM stores WHERE key = ?", arguments: [key])

        case .putWarehouse(let warehouse):
            try db.cachedStatement(
                sql: """
                    INSERT INTO warehouses (key, name, code, kind, protect) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (key) DO UPDATE SET
                        name = excluded.name, code = excluded.code, kind = excluded.kind, protect = excluded.protect
                    """
            ).execute(arguments: [
                warehouse.key, warehouse.name, warehouse.code, warehouse.kind.rawValue, warehouse.protect,
            ])

        case .renameWarehouse(let from, let to):
            guard from != to else { return }
            // Connections and stock follow through ON UPDATE CASCADE.
            try db.execute(sql: "UPDATE warehouses SET key = ? WHERE key = ?", arguments: [to, from])

        case .deleteWarehouse(let key):
            // Its stock goes with it (ON DELETE CASCADE).
            try db.execute(sql: "DELETE FROM warehouses WHERE key = ?", arguments: [key])

        case .putConnection(let connection):
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

        case .deleteConnection(let id):
            // Its sync marks and read mark go with it (ON DELETE CASCADE).
            try db.cachedStatement(sql: "DELETE FROM connections WHERE store = ? AND location_id = ?")
                .execute(arguments: [id.store, id.locationID])

        case .setStock(let warehouse, let quantities):
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
            try db.execute(
                sql: "INSERT INTO pending_pushes (key, store, location_id, writes) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
                arguments: [push.key, push.store, push.locationID, try StateRows.encodedWrites(push)])
        case .removePendingPush(let key):
            try db.execute(sql: "DELETE FROM pending_pushes WHERE key = ?", arguments: [key])
        case .setReadMark(let mark):
            try db.cachedStatement(
                sql: """
                    INSERT INTO read_marks (store, location_id, read_through_ms, full_read_at_ms) VALUES (?, ?, ?, ?)
                    ON CONFLICT (store, location_id) DO UPDATE SET
                        read_through_ms = excluded.read_through_ms, full_read_at_ms = excluded.full_read_at_ms
                    """
            ).execute(arguments: [mark.store, mark.locationID, mark.readThroughMilliseconds, mark.fullReadAtMilliseconds])
        case .removeSyncMarks(let id, let skus):
            let statement = try db.cachedStatement(sql: "DELETE FROM sync_marks WHERE store = ? AND location_id = ? AND sku = ?")
            for sku in skus { try statement.execute(arguments: [id.store, id.locationID, sku]) }
        }
    }

    /// How the file answers one of a mutation's checks: indexed lookups, in the write transaction.
    private static func answer(_ check: StateCheck, _ db: Database) throws -> StateCheck.Outcome {
        switch check {
        case .storeExists(let key): try exists(db, "SELECT 1 FROM stores WHERE key = ?", [key]) ? .holds : .fails
        case .warehouseExists(let key): try exists(db, "SELECT 1 FROM warehouses WHERE key = ?", [key]) ? .holds : .fails
        case .warehouseAbsent(let key): try exists(db, "SELECT 1 FROM warehouses WHERE key = ?", [key]) ? .fails : .holds
        case .connectionExists(let id):
            try exists(db, "SELECT 1 FROM connections WHERE store = ? AND location_id = ?", [id.store, id.locationID])
                ? .holds : .fails
        case .storeUnused(let key): .inUse(try usage(db, column: "store", key))
        case .warehouseUnused(let key): .inUse(try usage(db, column: "warehouse", key))
        }
    }

    private static func exists(_ db: Database, _ sql: String, _ arguments: StatementArguments) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: sql), arguments: arguments) != nil
    }

    /// The connections whose `column` is `key`, as an error names them.
    private static func usage(_ db: Database, column: String, _ key: String) throws -> ConnectionUsage {
        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM connections WHERE \(column) = ?", arguments: [key]) ?? 0
        guard count > 0 else { return .unused }
        let first = try Row.fetchAll(
            db,
            sql: "SELECT store, location_name FROM connections WHERE \(column) = ? ORDER BY store, location_id LIMIT ?",
            arguments: [key, ConnectionUsage.named]
        ).map { ConnectionAddress.format(store: $0[0], location: $0[1]) }
        return ConnectionUsage(count: count, first: first)
    }
}
