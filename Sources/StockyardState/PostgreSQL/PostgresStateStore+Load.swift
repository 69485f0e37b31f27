import Foundation
import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore {
    /// Reads the whole state in one REPEATABLE READ, READ ONLY transaction, so that it is one
    /// consistent snapshot even while another process applies.
    ///
    /// Rows stream from the server and are decoded as tuples, not through `Codable`: every plan
    /// loads the full state, and 100,000 connections is a design point.
    public func load() async throws(StateError) -> HubState {
        let location = self.location
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            try await Self.transaction(connection, logger: logger, isolation: "ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try await Self.readState($0, location: location, logger: logger)
            }
        } ?? .empty
    }

    /// The state without stock, sync marks, the push journal and read marks, for plans, as on
    /// SQLite: a plan reads the stock of only the warehouses it shows numbers of
    /// (``stock(inWarehouses:)``), so reading all of it here would read it twice.
    public func loadForPlan() async throws(StateError) -> HubState {
        let location = self.location
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            try await Self.transaction(connection, logger: logger, isolation: "ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try await Self.readState($0, location: location, logger: logger, withStockAndSyncRecords: false)
            }
        } ?? .empty
    }

    /// Applied changes, newest first; at most `limit` of them.
    public func history(limit: Int) async throws(StateError) -> [HistoryEntry] {
        guard limit > 0 else { return [] }
        let place = location.description
        let logger = self.logger
        return try await withReadyConnection("reading the history of") { connection in
            let rows = try await connection.query(
                """
                SELECT time, plan_id, address, action, before_json, after_json
                FROM history ORDER BY id DESC LIMIT \(limit)
                """,
                logger: logger
            )
            let decoding = StateRows(place: place)
            var entries: [HistoryEntry] = []
            for try await (time, planID, address, action, before, after) in rows.decode(
                (String, String, String, String, String?, String?).self
            ) {
                entries.append(
                    try decoding.history(time: time, planID: planID, address: address, action: action, before: before, after: after)
                )
            }
            return entries
        } ?? []
    }

    static func readState(
        _ connection: PostgresConnection, location: PostgresLocation, logger: Logger, withStockAndSyncRecords: Bool = true
    ) async throws -> HubState {
        let rows = StateRows(place: location.description)
        var state = HubState()
        let meta = try await connection.query("SELECT value FROM meta WHERE key = 'lineage'", logger: logger)
        for try await lineage in meta.decode(String.self) { state.lineage = lineage }

        let stores = try await connection.query("SELECT key, platform, target FROM stores", logger: logger)
        for try await (key, platform, target) in stores.decode((String, String, String).self) {
            state.stores[key] = try rows.store(key: key, platform: platform, target: target)
        }

        let warehouses = try await connection.query("SELECT key, name, code, kind, protect FROM warehouses", logger: logger)
        for try await (key, name, code, kind, protect) in warehouses.decode((String, String, String?, String, Bool).self) {
            state.warehouses[key] = try rows.warehouse(key: key, name: name, code: code, kind: kind, protect: protect)
        }

        let count = try await connection.query("SELECT count(*) FROM connections", logger: logger)
        for try await total in count.decode(Int.self) { state.connections.reserveCapacity(total) }
        let connections = try await connection.query(
            "SELECT store, location_id, location_name, warehouse, master, protect FROM connections", logger: logger
        )
        for try await (store, locationID, locationName, warehouse, master, protect) in connections.decode(
            (String, String, String, String, String, Bool).self
        ) {
            let record = try rows.connection(
                store: store, locationID: locationID, locationName: locationName, warehouse: warehouse, master: master,
                protect: protect
            )
            state.connections[record.id] = record
        }

        guard withStockAndSyncRecords else { return state }
        let stock = try await connection.query("SELECT warehouse, sku, quantity FROM stock ORDER BY warehouse, sku COLLATE \"C\"", logger: logger)
        var stockRows = StockRows()
        for try await (warehouse, sku, quantity) in stock.decode((String, String, Int).self) { stockRows.add(warehouse, sku, quantity) }
        state.stock = stockRows.finished()

        let marks = try await connection.query("SELECT store, location_id, sku, quantity FROM sync_marks", logger: logger)
        for try await (store, locationID, sku, quantity) in marks.decode((String, String, String, Int).self) {
            state.syncMarks[ConnectionRecord.ID(store: store, locationID: locationID), default: [:]][sku] = quantity
        }
        let pending = try await connection.query(
            "SELECT key, store, location_id, writes FROM pending_pushes ORDER BY seq", logger: logger
        )
        for try await (key, store, locationID, writes) in pending.decode((String, String, String, String).self) {
            state.pendingPushes.append(try rows.pendingPush(key: key, store: store, locationID: locationID, writes: writes))
        }
        let readMarks = try await connection.query(
            "SELECT store, location_id, read_through_ms, full_read_at_ms FROM read_marks", logger: logger
        )
        for try await (store, locationID, through, full) in readMarks.decode((String, String, Int64, Int64).self) {
            let mark = ReadMark(store: store, locationID: locationID, readThroughMilliseconds: through, fullReadAtMilliseconds: full)
            state.readMarks[mark.id] = mark
        }
        return state
    }
}
