import Foundation
import StockyardEngine

/// A state that can take a whole copy of another: what `stockyard state migrate` writes into.
public protocol StateImporting: StateStore {
    /// Writes `state` (its lineage included, so that saved plans still apply) and `history`
    /// (newest first, as ``StateStore/history(limit:)`` returns it) in one transaction; refuses,
    /// writing nothing, when this state already holds objects, stock, sync marks, pending pushes or history.
    func importState(_ state: HubState, history: [HistoryEntry]) async throws(StateError)
}

/// Copies one state into another and proves the copy, object by object.
public enum StateMigration {
    /// What was copied, and what differs after reloading both sides (empty when the copy is exact).
    public struct Report: Sendable, Hashable {
        public var stores = 0
        public var warehouses = 0
        public var connections = 0
        /// Warehouse and SKU pairs.
        public var stockRows = 0
        /// Connection and SKU pairs: what each location held when last synced.
        public var syncMarks = 0
        /// Pushes journaled and not yet known to have landed.
        public var pendingPushes = 0
        /// Locations with a read mark: how far sync has read them.
        public var readMarks = 0
        public var historyEntries = 0
        public var lineage: String?
        /// One line per object that differs, named by its address.
        public var differences: [String] = []

        public var isExact: Bool { differences.isEmpty }
    }

    /// Copies everything `source` holds into the empty `target`, then ``verify(_:against:)``.
    public static func copy(from source: any StateStore, to target: any StateImporting) async throws -> Report {
        let state = try await source.load()
        let history = try await source.history(limit: Int.max)
        try await target.importState(state, history: history)
        return try await verify(target, against: source)
    }

    /// Reloads both states and compares them: each store, warehouse, connection, stock figure and
    /// history entry, so that a lossy copy is caught before anyone relies on it.
    public static func verify(_ copy: any StateStore, against original: any StateStore) async throws -> Report {
        let expected = try await original.load()
        let actual = try await copy.load()
        let expectedHistory = try await original.history(limit: Int.max)
        let actualHistory = try await copy.history(limit: Int.max)

        var report = Report()
        report.lineage = actual.lineage
        if expected.lineage != actual.lineage {
            report.differences.append("lineage: \(expected.lineage ?? "none") in the original, \(actual.lineage ?? "none") in the copy")
        }
        report.stores = compare(expected.stores, actual.stores, "store", &report.differences)
        report.warehouses = compare(expected.warehouses, actual.warehouses, "warehouse", &report.differences)
        let expectedConnections = Dictionary(uniqueKeysWithValues: expected.connections.values.map { ($0.displayName + " (\($0.locationID))", $0) })
        let actualConnections = Dictionary(uniqueKeysWithValues: actual.connections.values.map { ($0.displayName + " (\($0.locationID))", $0) })
        report.connections = compare(expectedConnections, actualConnections, "connection", &report.differences)
        var expectedStock: [String: Int] = [:]
        var actualStock: [String: Int] = [:]
        for (warehouse, skus) in expected.stock { for (sku, n) in skus { expectedStock["\(warehouse)/\(sku)"] = n } }
        for (warehouse, skus) in actual.stock { for (sku, n) in skus { actualStock["\(warehouse)/\(sku)"] = n } }
        report.stockRows = compare(expectedStock, actualStock, "stock", &report.differences)
        var expectedMarks: [String: Int] = [:]
        var actualMarks: [String: Int] = [:]
        for (id, skus) in expected.syncMarks { for (sku, n) in skus { expectedMarks["\(id.store)/\(id.locationID)/\(sku)"] = n } }
        for (id, skus) in actual.syncMarks { for (sku, n) in skus { actualMarks["\(id.store)/\(id.locationID)/\(sku)"] = n } }
        report.syncMarks = compare(expectedMarks, actualMarks, "sync mark", &report.differences)
        let expectedReadMarks = Dictionary(uniqueKeysWithValues: expected.readMarks.values.map { ("\($0.store)/\($0.locationID)", $0) })
        let actualReadMarks = Dictionary(uniqueKeysWithValues: actual.readMarks.values.map { ("\($0.store)/\($0.locationID)", $0) })
        report.readMarks = compare(expectedReadMarks, actualReadMarks, "read mark", &report.differences)
        report.pendingPushes = actual.pendingPushes.count
        if expected.pendingPushes != actual.pendingPushes {
            report.differences.append(
                "pending pushes: \(expected.pendingPushes.count) in the original, \(actual.pendingPushes.count) in the copy, or in another order")
        }

        report.historyEntries = actualHistory.count
        if expectedHistory.count != actualHistory.count {
            report.differences.append("history: \(expectedHistory.count) entries in the original, \(actualHistory.count) in the copy")
        }
        for (index, (a, b)) in zip(expectedHistory, actualHistory).enumerated() where a != b {
            report.differences.append("history entry \(expectedHistory.count - index) (\(a.time) \(a.address)) differs")
        }
        return report
    }

    /// Counts `actual` and notes each key missing, extra or different. Keys sort byte-wise so the
    /// list reads the same on every run.
    private static func compare<Value: Equatable>(
        _ expected: [String: Value], _ actual: [String: Value], _ kind: String, _ differences: inout [String]
    ) -> Int {
        for key in Set(expected.keys).union(actual.keys).sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            switch (expected[key], actual[key]) {
            case (nil, _): differences.append("\(kind) \(key): in the copy only")
            case (_, nil): differences.append("\(kind) \(key): missing from the copy")
            case (let a?, let b?) where a != b: differences.append("\(kind) \(key): differs")
            default: break
            }
        }
        return actual.count
    }
}
