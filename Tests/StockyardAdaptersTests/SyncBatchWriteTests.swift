import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// Sync's writes to one store go in requests that span its locations and the warehouses synced in
/// the same run: one rewrite of a `file` store, one `inventorySetQuantities` of at most 250
/// quantities on Shopify, instead of one per location.
@Suite struct SyncBatchWriteTests {
    static let start = ["S1": 40, "S2": 9]

    /// `count` warehouses, each linked on stockyard master to location `a<i>` of store `a` and
    /// `b<i>` of store `b` (ids as given), in step with both.
    static func hub(count: Int, b bIDs: [String]) -> InMemoryStateStore {
        var hub = HubState(lineage: "sync-batch-write")
        hub.stores = ["a": StoreRecord(key: "a", platform: .file, target: "a"), "b": StoreRecord(key: "b", platform: .file, target: "b")]
        for w in 0..<count {
            hub.warehouses["w\(w)"] = WarehouseRecord(key: "w\(w)", name: "w\(w)", kind: .own)
            hub.stock["w\(w)"] = SKUNumbers(start)
            for (store, id) in [("a", "a\(w)"), ("b", bIDs[w])] {
                let c = ConnectionRecord(store: store, locationID: id, locationName: id, warehouse: "w\(w)", master: .stockyard)
                hub.connections[c.id] = c
                hub.syncMarks[c.id] = start
            }
        }
        return InMemoryStateStore(hub)
    }

    /// A `file` store of `count` locations `<prefix><i>`, every one holding `start`.
    static func storeFile(_ dir: URL, _ prefix: String, count: Int) throws -> URL {
        let locations = (0..<count).map { ["id": "\(prefix)\($0)", "name": "\(prefix)\($0)", "active": true] as [String: Any] }
        var quantities: [String: [String: Int]] = [:]
        for i in 0..<count { quantities["\(prefix)\(i)"] = start }
        let url = dir.appendingPathComponent("\(prefix).json")
        try JSONSerialization.data(withJSONObject: ["locations": locations, "quantities": quantities], options: [.sortedKeys]).write(to: url)
        return url
    }

    static func document(_ url: URL) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    }

    @Test func aFileStoreIsRewrittenOnceForTheWritesOfAllItsLocations() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let count = 40
        let aURL = try Self.storeFile(dir, "a", count: count)
        let bURL = try Self.storeFile(dir, "b", count: count)
        // Every location of store a sells 3 S1 and 1 S2 (the file edited as a store's own sales would).
        var a = try Self.document(aURL)
        var sold = a["quantities"] as! [String: [String: Int]]
        for i in 0..<count { sold["a\(i)"] = ["S1": 37, "S2": 8] }
        a["quantities"] = sold
        try JSONSerialization.data(withJSONObject: a, options: [.sortedKeys]).write(to: aURL)

        let state = Self.hub(count: count, b: (0..<count).map { "b\($0)" })
        let adapters: [String: any StoreAdapter] = ["a": FileStoreAdapter(path: aURL.path), "b": FileStoreAdapter(path: bURL.path)]
        let report = try await Synchronizer(state: state, adapters: adapters).syncOnce()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.soldUnits == 4 * count && report.pushes == 2 * count)
        let b = try Self.document(bURL)
        // Each write request is kept in the file (for its idempotency key), one per rewrite.
        let requests = try #require(b["requests"] as? [[String: Any]])
        #expect(requests.count == 1, "one rewrite of b.json for \(count) locations, not one per location")
        #expect(try Self.document(aURL)["requests"] == nil, "a's locations already show their own sales")
        let quantities = try #require(b["quantities"] as? [String: [String: Int]])
        for i in 0..<count { #expect(quantities["b\(i)"] == ["S1": 37, "S2": 8], "b\(i)") }
        #expect(try state.load().pendingPushes.isEmpty)
    }

    @Test func aShopifyShopGetsOneMutationPer250QuantitiesAcrossWarehouses() async throws {
        let token = makeToken()
        // A bucket too big to wait on: 130 full reads of a location are what this test is not about.
        let emulator = try await ShopifyEmulator.start(token: token, limits: CostLimits(maximumAvailable: 10_000_000, restoreRate: 10_000_000))
        do {
            let count = 130
            let ids = await emulator.shop.addLocations(count: count)
            for id in ids { await emulator.shop.setAvailable(Self.start, at: id) }
            let state = Self.hub(count: count, b: ids)
            let a = FakeStoreAdapter(locations: (0..<count).map { StoreLocation(id: "a\($0)", name: "a\($0)") })
            for i in 0..<count {
                a.edit("S1", to: 37, at: "a\(i)")
                a.edit("S2", to: 8, at: "a\(i)")
            }
            let report = try await Synchronizer(state: state, adapters: ["a": a, "b": adapter(for: emulator, token: token)]).syncOnce()
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.pushes == 2 * count)
            // 260 quantities: 250 and 10, instead of one mutation per location (130).
            #expect(await emulator.shop.statistics.count(.inventorySetQuantities) == 2)
            for id in ids {
                #expect(await emulator.shop.available(sku: "S1", at: id) == 37)
                #expect(await emulator.shop.available(sku: "S2", at: id) == 8)
            }
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
    }
}
