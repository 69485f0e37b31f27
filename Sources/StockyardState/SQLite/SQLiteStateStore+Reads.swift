import Foundation
import GRDB
import GRDBSQLite
import StockyardEngine

extension SQLiteStateStore {
    public func connections(inWarehouse key: String) throws(StateError) -> [ConnectionRecord] {
        try read { db, rows in
            let cursor = try Row.fetchCursor(
                db.cachedStatement(
                    sql: "SELECT store, location_id, location_name, warehouse, master, protect FROM connections WHERE warehouse = ?"),
                arguments: [key])
            var out: [ConnectionRecord] = []
            while let row = try cursor.next() {
                out.append(
                    try rows.connection(
                        store: row[0], locationID: row[1], locationName: row[2], warehouse: row[3], master: row[4], protect: row[5]))
            }
            return out.sorted { $0.id < $1.id }
        } ?? []
    }

    public func stock(inWarehouse key: String) throws(StateError) -> SKUNumbers {
        try read { db, _ in
            var skus: [String] = []
            var units: [Int] = []
            let cursor = try Row.fetchCursor(
                db.cachedStatement(sql: "SELECT sku, quantity FROM stock WHERE warehouse = ? ORDER BY sku"), arguments: [key])
            while let row = try cursor.next() {
                skus.append(row[0])
                units.append(row[1])
            }
            return SKUNumbers(skus: skus, units: units)
        } ?? [:]
    }

    public func stock(inWarehouses keys: [String]) throws(StateError) -> [String: SKUNumbers] {
        guard !keys.isEmpty else { return [:] }
        return try read { db, _ in
            // Batches of a few hundred keys: one statement each, all in one read transaction.
            var rows = StockRows()
            let unique = Array(Set(keys)).sorted()
            for start in stride(from: 0, to: unique.count, by: Self.stockBatch) {
                let batch = Array(unique[start..<min(start + Self.stockBatch, unique.count)])
                let marks = repeatElement("?", count: batch.count).joined(separator: ",")
                let statement = try db.cachedStatement(sql: "SELECT warehouse, sku, quantity FROM stock WHERE warehouse IN (\(marks)) ORDER BY warehouse, sku")
                try statement.setArguments(StatementArguments(batch))
                try Self.stockRows(of: statement, in: db, into: &rows)
            }
            return rows.finished()
        } ?? [:]
    }

    /// Steps through rows of `(warehouse, sku, quantity)`, those of a warehouse together (the
    /// primary key's order), with SQLite's column functions: a warehouse's key is made once, not
    /// per row, and its numbers gathered before they are stored. Through GRDB's rows, a plan of
    /// 13,000 warehouses' stock spent ~28 ms here, between the stores' reading and the planning.
    /// Rows of a warehouse seen before are added to what it has (``StockRows``).
    static func stockRows(of statement: Statement, in db: Database, into rows: inout StockRows) throws {
        let handle = statement.sqliteStatement
        defer { sqlite3_reset(handle) }
        var currentBytes: [UInt8]?
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
            }
            let warehouse = UnsafeBufferPointer(start: sqlite3_column_text(handle, 0), count: Int(sqlite3_column_bytes(handle, 0)))
            if currentBytes == nil || !currentBytes!.elementsEqual(warehouse) {
                rows.start(String(decoding: warehouse, as: UTF8.self))
                currentBytes = Array(warehouse)
            }
            let sku = UnsafeBufferPointer(start: sqlite3_column_text(handle, 1), count: Int(sqlite3_column_bytes(handle, 1)))
            rows.add(sku: String(decoding: sku, as: UTF8.self), quantity: Int(sqlite3_column_int64(handle, 2)))
        }
    }

    /// Keys per stock query: well under SQLite's limit on a statement's parameters.
    static let stockBatch = 500

    public func syncMarks(of ids: [ConnectionRecord.ID]) throws(StateError) -> [ConnectionRecord.ID: [String: Int]] {
        try read { db, _ in
            // One indexed lookup per connection: in-process, cheaper than building an IN list.
            let statement = try db.cachedStatement(sql: "SELECT sku, quantity FROM sync_marks WHERE store = ? AND location_id = ?")
            var out: [ConnectionRecord.ID: [String: Int]] = [:]
            for id in Set(ids) {
                let cursor = try Row.fetchCursor(statement, arguments: [id.store, id.locationID])
                while let row = try cursor.next() { out[id, default: [:]][row[0] as String] = row[1] as Int }
            }
            return out
        } ?? [:]
    }

    public func pendingPushes() throws(StateError) -> [PendingPush] {
        try read { db, rows in
            let cursor = try Row.fetchCursor(db, sql: "SELECT key, store, location_id, writes FROM pending_pushes ORDER BY seq")
            var out: [PendingPush] = []
            while let row = try cursor.next() {
                out.append(try rows.pendingPush(key: row[0], store: row[1], locationID: row[2], writes: row[3]))
            }
            return out
        } ?? []
    }
}
