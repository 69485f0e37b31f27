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
        try read { db, rows in try Self.readState(db, rows) } ?? .empty
    }

    /// The state without stock, sync marks and the push journal, for plans: a plan reads the
    /// stock of the warehouses it shows numbers of (``stock(inWarehouses:)``), a fraction of a big
    /// hub's (10 million rows at 100,000 connections of 200 SKUs).
    public func loadForPlan() throws(StateError) -> HubState {
        try read { db, rows in try Self.readState(db, rows, withStock: false, withSyncRecords: false) } ?? .empty
    }

    /// Applied changes, newest first; at most `limit` of them.
    public func history(limit: Int) throws(StateError) -> [HistoryEntry] {
        guard limit > 0 else { return [] }
        return try read("reading the history of") { db, rows in
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT time, plan_id, address, action, before_json, after_json FROM history ORDER BY id DESC LIMIT ?",
                arguments: [limit])
            var entries: [HistoryEntry] = []
            while let row = try cursor.next() {
                entries.append(
                    try rows.history(time: row[0], planID: row[1], address: row[2], action: row[3], before: row[4], after: row[5]))
            }
            return entries
        } ?? []
    }

    /// Runs `body` in one read transaction, so that what it reads is one consistent snapshot even
    /// while another process applies; nil when there is no state to read (an empty hub).
    func read<T>(_ doing: String = "reading", _ body: (Database, StateRows) throws -> T) throws(StateError) -> T? {
        guard let reader else { return nil }
        let rows = StateRows(place: path)
        return try perform(doing) { try reader.read { db in try body(db, rows) } }
    }

    /// Rows are read through cursors and column indexes rather than record decoding: every plan
    /// loads the full state, and 100,000 connections is a design point.
    static func readState(_ db: Database, _ rows: StateRows, withStock: Bool = true, withSyncRecords: Bool = true) throws -> HubState {
        var state = HubState()
        state.lineage = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'lineage'")

        let stores = try Row.fetchCursor(db, sql: "SELECT key, platform, target FROM stores")
        while let row = try stores.next() {
            let key: String = row[0]
            state.stores[key] = try rows.store(key: key, platform: row[1], target: row[2])
        }

        let warehouses = try Row.fetchCursor(db, sql: "SELECT key, name, code, kind, protect FROM warehouses")
        while let row = try warehouses.next() {
            let key: String = row[0]
            state.warehouses[key] = try rows.warehouse(key: key, name: row[1], code: row[2], kind: row[3], protect: row[4])
        }

        let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM connections") ?? 0
        state.connections.reserveCapacity(count)
        let connections = try Row.fetchCursor(
            db, sql: "SELECT store, location_id, location_name, warehouse, master, protect FROM connections"
        )
        while let row = try connections.next() {
            let record = try rows.connection(
                store: row[0], locationID: row[1], locationName: row[2], warehouse: row[3], master: row[4], protect: row[5]
            )
            state.connections[record.id] = record
        }

        if withStock {
            let stock = try Row.fetchCursor(db, sql: "SELECT warehouse, sku, quantity FROM stock ORDER BY warehouse, sku")
            var rows = StockRows()
            while let row = try stock.next() { rows.add(row[0], row[1], row[2]) }
            state.stock = rows.finished()
        }

        guard withSyncRecords else { return state }
        let marks = try Row.fetchCursor(db, sql: "SELECT store, location_id, sku, quantity FROM sync_marks")
        while let row = try marks.next() {
            let id = ConnectionRecord.ID(store: row[0], locationID: row[1])
            state.syncMarks[id, default: [:]][row[2] as String] = row[3] as Int
        }
        let pending = try Row.fetchCursor(db, sql: "SELECT key, store, location_id, writes FROM pending_pushes ORDER BY seq")
        while let row = try pending.next() {
            state.pendingPushes.append(try rows.pendingPush(key: row[0], store: row[1], locationID: row[2], writes: row[3]))
        }
        // A state of schema 1, opened by a reading command (which never migrates), has no read marks.
        guard try db.tableExists("read_marks") else { return state }
        let readMarks = try Row.fetchCursor(db, sql: "SELECT store, location_id, read_through_ms, full_read_at_ms FROM read_marks")
        while let row = try readMarks.next() {
            let mark = ReadMark(store: row[0], locationID: row[1], readThroughMilliseconds: row[2], fullReadAtMilliseconds: row[3])
            state.readMarks[mark.id] = mark
        }
        return state
    }
}
