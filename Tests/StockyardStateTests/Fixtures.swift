import Foundation
import StockyardEngine

@testable import StockyardState

/// Runs `body` with a fresh directory under the system temporary directory, removed afterwards.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("stockyard-state-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Runs `body` with a store created at a fresh path (`state/stockyard.db` in a temporary directory).
func withNewStore<T>(_ body: (SQLiteStateStore, String) throws -> T) throws -> T {
    try withTemporaryDirectory { dir in
        let path = dir.appendingPathComponent("state/stockyard.db").path
        let store = try SQLiteStateStore(path: path, create: true)
        return try body(store, path)
    }
}

/// Small records covering every field and enum case.
enum Sample {
    static let shopify = StoreRecord(key: "acme-uk", platform: .shopify, target: "acme-uk.myshopify.com")
    static let file = StoreRecord(key: "demo", platform: .file, target: "stores/demo.json")
    static let leeds = WarehouseRecord(key: "leeds", name: "Leeds DC", code: "LDS", kind: .own, protect: true)
    static let shipbob = WarehouseRecord(key: "shipbob", name: "ShipBob Reno", code: nil, kind: .thirdParty)
    static let leedsLink = ConnectionRecord(
        store: "acme-uk", locationID: "gid://shopify/Location/1", locationName: "Leeds DC", warehouse: "leeds",
        master: .stockyard, protect: true
    )
    static let renoLink = ConnectionRecord(
        store: "acme-uk", locationID: "gid://shopify/Location/2", locationName: "Reno \"3PL\"", warehouse: "shipbob",
        master: .store
    )
    static let demoLink = ConnectionRecord(
        store: "demo", locationID: "loc-leeds", locationName: "Leeds warehouse", warehouse: "leeds", master: .store
    )

    /// Mutations that build a small hub: two stores, two warehouses, three connections, some stock.
    static let seed: [StateMutation] = [
        .putStore(shopify), .putStore(file), .putWarehouse(leeds), .putWarehouse(shipbob),
        .putConnection(leedsLink), .putConnection(renoLink), .putConnection(demoLink),
        .setStock(warehouse: "leeds", quantities: ["SKU-1": 12, "SKU-2": 0]),
        .setStock(warehouse: "shipbob", quantities: ["SKU-1": 5]),
    ]

    static func history(_ address: String, _ action: ChangeAction, before: ObjectRecord?, after: ObjectRecord?)
        -> HistoryEntry
    {
        HistoryEntry(
            time: "2025-01-02T03:04:05Z", planID: "plan-1", address: address, action: action, before: before,
            after: after
        )
    }
}

extension HubState {
    /// The state without its lineage, to compare contents across files.
    var contents: HubState {
        var copy = self
        copy.lineage = nil
        return copy
    }
}
