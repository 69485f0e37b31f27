import Foundation
import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore: StateImporting {
    /// Writes a whole state and its history in one transaction, table by table with `unnest`
    /// arrays (one round trip per table rather than one per row: a hub may hold 100,000
    /// connections). Refuses a state that already holds anything, writing nothing.
    public func importState(_ state: HubState, history: [HistoryEntry]) async throws(StateError) {
        let place = location.description
        let encoded = try history.reversed().map { (entry) throws(StateError) in try EncodedHistory(entry, path: place) }
        let logger = self.logger
        try await inWriteTransaction("copying into") { connection in
            try await Self.refuseUnlessEmpty(connection, place: place, logger: logger)
            let stores = state.stores.values.sorted { $0.key < $1.key }
            try await connection.query(
                """
                INSERT INTO stores (key, platform, target)
                SELECT * FROM unnest(\(stores.map(\.key))::text[], \(stores.map(\.platform.rawValue))::text[],
                                     \(stores.map(\.target))::text[])
                """,
                logger: logger
            )
            let warehouses = state.warehouses.values.sorted { $0.key < $1.key }
            // A missing code travels as '' (arrays cannot carry NULL here), with a flag saying so.
            try await connection.query(
                """
                INSERT INTO warehouses (key, name, code, kind, protect)
                SELECT key, name, CASE WHEN has_code THEN code END, kind, protect
                FROM unnest(\(warehouses.map(\.key))::text[], \(warehouses.map(\.name))::text[],
                            \(warehouses.map { $0.code ?? "" })::text[], \(warehouses.map { $0.code != nil })::boolean[],
                            \(warehouses.map(\.kind.rawValue))::text[], \(warehouses.map(\.protect))::boolean[])
                     AS w(key, name, code, has_code, kind, protect)
                """,
                logger: logger
            )
            let connections = state.connections.keys.sorted().map { state.connections[$0]! }
            for chunk in stride(from: 0, to: connections.count, by: 10_000).map({ connections[$0..<min($0 + 10_000, connections.count)] }) {
                try await connection.query(
                    """
                    INSERT INTO connections (store, location_id, location_name, warehouse, master, protect)
                    SELECT * FROM unnest(\(chunk.map(\.store))::text[], \(chunk.map(\.locationID))::text[],
                                         \(chunk.map(\.locationName))::text[], \(chunk.map(\.warehouse))::text[],
                                         \(chunk.map(\.master.rawValue))::text[], \(chunk.map(\.protect))::boolean[])
                    """,
                    logger: logger
                )
            }
            let stock = state.stock.flatMap { warehouse, skus in skus.map { (warehouse, $0.key, $0.value) } }
            try await connection.query(
                """
                INSERT INTO stock (warehouse, sku, quantity)
                SELECT * FROM unnest(\(stock.map(\.0))::text[], \(stock.map(\.1))::text[], \(stock.map(\.2))::bigint[])
                """,
                logger: logger
            )
            let marks = state.syncMarks.flatMap { id, skus in skus.map { (id, $0.key, $0.value) } }
            try await connection.query(
                """
                INSERT INTO sync_marks (store, location_id, sku, quantity)
                SELECT * FROM unnest(\(marks.map(\.0.store))::text[], \(marks.map(\.0.locationID))::text[],
                                     \(marks.map(\.1))::text[], \(marks.map(\.2))::bigint[])
                """,
                logger: logger
            )
            for push in state.pendingPushes {
                try await Self.apply(.addPendingPush(push), connection, logger: logger)
            }
            for mark in state.readMarks.values {
                try await Self.apply(.setReadMark(mark), connection, logger: logger)
            }
            for start in stride(from: 0, to: encoded.count, by: 5_000) {
                try await Self.insertHistory(Array(encoded[start..<min(start + 5_000, encoded.count)]), connection, logger: logger)
            }
            if let lineage = state.lineage {
                try await connection.query("UPDATE meta SET value = \(lineage) WHERE key = 'lineage'", logger: logger)
            }
        }
    }

    private static func refuseUnlessEmpty(_ connection: PostgresConnection, place: String, logger: Logger) async throws {
        let rows = try await connection.query(
            """
            SELECT (SELECT count(*) FROM stores), (SELECT count(*) FROM warehouses), (SELECT count(*) FROM connections),
                   (SELECT count(*) FROM stock), (SELECT count(*) FROM history) + (SELECT count(*) FROM pending_pushes)
            """,
            logger: logger
        )
        for try await (stores, warehouses, connections, stock, history) in rows.decode((Int, Int, Int, Int, Int).self)
        where stores + warehouses + connections + stock + history > 0 {
            throw StateError.notEmpty(
                place: place, stores: stores, warehouses: warehouses, connections: connections, stockRows: stock, historyEntries: history)
        }
    }
}
