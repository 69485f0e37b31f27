import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore {
    /// Reads the whole state in one read transaction, so that it is one consistent snapshot even
    /// while another process applies.
    ///
    /// Rows are read through cursors and column indexes rather than record decoding: every plan
    /// loads the full state, and 100,000 connections is a design point.
    public func load() throws(StateError) -> HubState {
        guard let reader else { return .empty }
        let path = self.path
        return try perform("reading") {
            try reader.read { db in try Self.readState(db, path: path) }
        }
    }

    /// The state without sync marks and the push journal, for plans.
    public func loadForPlan() throws(StateError) -> HubState {
        guard let reader else { return .empty }
        let path = self.path
        return try perform("reading") {
            try reader.read { db in try Self.readState(db, path: path, withSyncRecords: false) }
        }
    }

    /// Applied changes, newest first; at most `limit` of them.
    public func history(limit: Int) throws(StateError) -> [HistoryEntry] {
        guard let reader, limit > 0 else { return [] }
        let path = self.path
        return try perform("reading the history of") {
            try reader.read { db in
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT time, plan_id, address, action, before_json, after_json
                        FROM history ORDER BY id DESC LIMIT ?
                        """,
                    arguments: [limit]
                )
                let decoder = JSONDecoder()
                var entries: [HistoryEntry] = []
                while let row = try rows.next() {
                    let address: String = row[2]
                    let actionName: String = row[3]
                    guard let action = ChangeAction(rawValue: actionName) else {
                        throw Self.damaged(path, "history entry \(address) has an unknown action '\(actionName)'")
                    }
                    entries.append(
                        HistoryEntry(
                            time: row[0], planID: row[1], address: address, action: action,
                            before: try Self.decodeRecord(row[4], decoder, path: path, address: address),
                            after: try Self.decodeRecord(row[5], decoder, path: path, address: address)
                        )
                    )
                }
                return entries
            }
        }
    }

    static func readState(_ db: Database, path: String, withSyncRecords: Bool = true) throws -> HubState {
        var state = HubState()
        state.lineage = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lineage'")

        let stores = try Row.fetchCursor(db, sql: "SELECT key, platform, target FROM stores")
        while let row = try stores.next() {
            let key: String = row[0]
            let platformName: String = row[1]
            guard let platform = Platform(rawValue: platformName) else {
                throw damaged(path, "store '\(key)' has an unknown platform '\(platformName)'")
            }
            state.stores[key] = StoreRecord(key: key, platform: platform, target: row[2])
        }

        let warehouses = try Row.fetchCursor(db, sql: "SELECT key, name, code, kind, protect FROM warehouses")
        while let row = try warehouses.next() {
            let key: String = row[0]
            let kindName: String = row[3]
            guard let kind = WarehouseKind(rawValue: kindName) else {
                throw damaged(path, "warehouse '\(key)' has an unknown kind '\(kindName)'")
            }
            state.warehouses[key] = WarehouseRecord(key: key, name: row[1], code: row[2], kind: kind, protect: row[4])
        }

        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM connections") ?? 0
        state.connections.reserveCapacity(count)
        let connections = try Row.fetchCursor(
            db, sql: "SELECT store, location_id, location_name, warehouse, master, protect FROM connections"
        )
        while let row = try connections.next() {
            let store: String = row[0]
            let locationID: String = row[1]
            let master: Master
            switch row[4] as String {
            case "stockyard": master = .stockyard
            case "store": master = .store
            case let other:
                throw damaged(path, "connection \(store)/\(locationID) has an unknown master '\(other)'")
            }
            let record = ConnectionRecord(
                store: store, locationID: locationID, locationName: row[2], warehouse: row[3], master: master,
                protect: row[5]
            )
            state.connections[ConnectionRecord.ID(store: store, locationID: locationID)] = record
        }

        let stock = try Row.fetchCursor(db, sql: "SELECT warehouse, sku, quantity FROM stock ORDER BY warehouse")
        var warehouseKey: String?
        var quantities: [String: Int] = [:]
        while let row = try stock.next() {
            let warehouse: String = row[0]
            if warehouse != warehouseKey {
                if let warehouseKey { state.stock[warehouseKey] = quantities }
                warehouseKey = warehouse
                quantities = [:]
            }
            quantities[row[1] as String] = row[2] as Int
        }
        if let warehouseKey { state.stock[warehouseKey] = quantities }

        guard withSyncRecords else { return state }
        let marks = try Row.fetchCursor(db, sql: "SELECT store, location_id, sku, quantity FROM sync_marks")
        while let row = try marks.next() {
            let id = ConnectionRecord.ID(store: row[0], locationID: row[1])
            state.syncMarks[id, default: [:]][row[2] as String] = row[3] as Int
        }
        let pending = try Row.fetchCursor(db, sql: "SELECT key, store, location_id, writes FROM pending_pushes ORDER BY seq")
        let decoder = JSONDecoder()
        while let row = try pending.next() {
            let writes = (try? decoder.decode([QuantityWrite].self, from: Data((row[3] as String).utf8))) ?? []
            state.pendingPushes.append(PendingPush(key: row[0], store: row[1], locationID: row[2], writes: writes))
        }
        return state
    }

    private static func decodeRecord(
        _ json: String?, _ decoder: JSONDecoder, path: String, address: String
    ) throws -> ObjectRecord? {
        guard let json else { return nil }
        do {
            return try decoder.decode(ObjectRecord.self, from: Data(json.utf8))
        } catch {
            throw damaged(path, "history entry \(address) holds a record that cannot be read")
        }
    }

    /// A value this build cannot read in a file whose schema it knows: damaged by hand or by a bug.
    static func damaged(_ path: String, _ what: String) -> StateError {
        StateError("the state at \(path) is damaged: \(what)")
    }
}
