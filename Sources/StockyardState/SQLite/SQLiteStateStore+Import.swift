import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore: StateImporting {
    /// Writes a whole state and its history in one IMMEDIATE transaction; refuses a file that
    /// already holds anything. The way back from PostgreSQL to a file (a backup, or a laptop).
    public func importState(_ state: HubState, history: [HistoryEntry]) throws(StateError) {
        guard let pool else { throw readOnlyError }
        let path = self.path
        let encoded = try history.reversed().map { (entry) throws(StateError) in try EncodedHistory(entry, path: path) }
        try perform("copying into") {
            try pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    let counts = try ["stores", "warehouses", "connections", "stock", "history", "pending_pushes"].map { table in
                        try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0
                    }
                    if counts.reduce(0, +) > 0 {
                        throw StateError.notEmpty(
                            place: path, stores: counts[0], warehouses: counts[1], connections: counts[2], stockRows: counts[3],
                            historyEntries: counts[4] + counts[5])
                    }
                    var mutations: [StateMutation] = state.stores.values.map { .putStore($0) }
                    mutations += state.warehouses.values.map { .putWarehouse($0) }
                    mutations += state.connections.values.map { .putConnection($0) }
                    mutations += state.stock.map { .setStock(warehouse: $0.key, quantities: $0.value.dictionary) }
                    mutations += state.syncMarks.map { .setSyncMarks($0.key, quantities: $0.value) }
                    mutations += state.pendingPushes.map { .addPendingPush($0) }
                    mutations += state.readMarks.values.map { .setReadMark($0) }
                    for mutation in mutations { try Self.apply(mutation, db) }
                    let insert = try db.cachedStatement(
                        sql: "INSERT INTO history (time, plan_id, address, action, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?)"
                    )
                    for entry in encoded {
                        try insert.execute(arguments: [entry.time, entry.planID, entry.address, entry.action, entry.before, entry.after])
                    }
                    if let lineage = state.lineage {
                        try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'lineage'", arguments: [lineage])
                    }
                    return .commit
                }
            }
        }
    }
}
