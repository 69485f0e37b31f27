import Foundation
import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore {
    public func connections(inWarehouse key: String) async throws(StateError) -> [ConnectionRecord] {
        let rows = StateRows(place: location.description)
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            let found = try await connection.query(
                "SELECT store, location_id, location_name, warehouse, master, protect FROM connections WHERE warehouse = \(key)",
                logger: logger)
            var out: [ConnectionRecord] = []
            for try await (store, locationID, locationName, warehouse, master, protect) in found.decode(
                (String, String, String, String, String, Bool).self
            ) {
                out.append(
                    try rows.connection(
                        store: store, locationID: locationID, locationName: locationName, warehouse: warehouse, master: master,
                        protect: protect))
            }
            return out.sorted { $0.id < $1.id }
        } ?? []
    }

    public func stock(inWarehouse key: String) async throws(StateError) -> SKUNumbers {
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            var skus: [String] = []
            var units: [Int] = []
            let found = try await connection.query(
                "SELECT sku, quantity FROM stock WHERE warehouse = \(key) ORDER BY sku COLLATE \"C\"", logger: logger)
            for try await (sku, quantity) in found.decode((String, Int).self) {
                skus.append(sku)
                units.append(quantity)
            }
            return SKUNumbers(skus: skus, units: units)
        } ?? [:]
    }

    public func stock(inWarehouses keys: [String]) async throws(StateError) -> [String: SKUNumbers] {
        guard !keys.isEmpty else { return [:] }
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            // One round trip for every warehouse asked for.
            let found = try await connection.query(
                "SELECT warehouse, sku, quantity FROM stock WHERE warehouse = ANY(\(Array(Set(keys)))::text[]) ORDER BY warehouse, sku COLLATE \"C\"",
                logger: logger)
            var rows = StockRows()
            for try await (warehouse, sku, quantity) in found.decode((String, String, Int).self) { rows.add(warehouse, sku, quantity) }
            return rows.finished()
        } ?? [:]
    }

    public func syncMarks(of ids: [ConnectionRecord.ID]) async throws(StateError) -> [ConnectionRecord.ID: [String: Int]] {
        guard !ids.isEmpty else { return [:] }
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            // One round trip for every connection asked for.
            let found = try await connection.query(
                """
                SELECT m.store, m.location_id, m.sku, m.quantity
                FROM sync_marks m JOIN unnest(\(ids.map(\.store))::text[], \(ids.map(\.locationID))::text[]) AS i(store, location_id)
                  ON m.store = i.store AND m.location_id = i.location_id
                """,
                logger: logger)
            var out: [ConnectionRecord.ID: [String: Int]] = [:]
            for try await (store, locationID, sku, quantity) in found.decode((String, String, String, Int).self) {
                out[ConnectionRecord.ID(store: store, locationID: locationID), default: [:]][sku] = quantity
            }
            return out
        } ?? [:]
    }

    public func pendingPushes() async throws(StateError) -> [PendingPush] {
        let rows = StateRows(place: location.description)
        let logger = self.logger
        return try await withReadyConnection("reading") { connection in
            let found = try await connection.query(
                "SELECT key, store, location_id, writes FROM pending_pushes ORDER BY seq", logger: logger)
            var out: [PendingPush] = []
            for try await (key, store, locationID, writes) in found.decode((String, String, String, String).self) {
                out.append(try rows.pendingPush(key: key, store: store, locationID: locationID, writes: writes))
            }
            return out
        } ?? []
    }
}
