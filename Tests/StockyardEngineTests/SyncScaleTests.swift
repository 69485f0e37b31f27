import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// A sync round is linear in the hub: it loads the state once, not once per warehouse (which made
/// `sync --once` over 1,000 connections take 34 s), and still counts every sale exactly once.
@Suite struct SyncScaleTests {
    @Test func aRoundLoadsTheStateOnceWhateverTheNumberOfWarehouses() async throws {
        let warehouses = 60
        var hub = HubState(lineage: "sync-scale")
        hub.stores = ["a": StoreRecord(key: "a", platform: .file, target: "a"), "b": StoreRecord(key: "b", platform: .file, target: "b")]
        var aStock: [String: [String: Int]] = [:]
        var bStock: [String: [String: Int]] = [:]
        for w in 0..<warehouses {
            let key = "w\(w)"
            let start = ["S1": 100 + w, "S2": 7]
            hub.warehouses[key] = WarehouseRecord(key: key, name: key, kind: .own)
            hub.stock[key] = SKUNumbers(start)
            let ca = ConnectionRecord(store: "a", locationID: "a\(w)", locationName: "A\(w)", warehouse: key, master: .stockyard)
            // Every third warehouse is seeded from store b's location (store master): its number is pulled.
            let cb = ConnectionRecord(store: "b", locationID: "b\(w)", locationName: "B\(w)", warehouse: key, master: w % 3 == 0 ? .store : .stockyard)
            hub.connections[ca.id] = ca
            hub.connections[cb.id] = cb
            hub.syncMarks[ca.id] = start
            if cb.master == .stockyard { hub.syncMarks[cb.id] = start }
            aStock["a\(w)"] = start
            bStock["b\(w)"] = start
        }
        let state = InMemoryStateStore(hub)
        let a = FakeStoreAdapter(locations: (0..<warehouses).map { StoreLocation(id: "a\($0)", name: "A\($0)") }, quantities: aStock)
        let b = FakeStoreAdapter(locations: (0..<warehouses).map { StoreLocation(id: "b\($0)", name: "B\($0)") }, quantities: bStock)
        for w in 0..<warehouses {
            a.sell("S1", 2, at: "a\(w)")
            b.sell("S1", 3, at: "b\(w)")
        }
        let report = try await Synchronizer(state: state, adapters: ["a": a, "b": b]).syncOnce()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(state.loads <= 2, "the state was loaded \(state.loads) times for \(warehouses) warehouses")
        let after = try state.load()
        for w in 0..<warehouses {
            // Store master (every third): b's number is the count, and a mirrors it. Otherwise both sales come off.
            let expected = w % 3 == 0 ? 100 + w - 3 : 100 + w - 5
            #expect(after.stock["w\(w)"]?["S1"] == expected, "w\(w)")
            #expect(a.quantity("S1", at: "a\(w)") == expected, "a\(w)")
            #expect(b.quantity("S1", at: "b\(w)") == expected, "b\(w)")
        }
        // A second round finds nothing to do.
        let again = try await Synchronizer(state: state, adapters: ["a": a, "b": b]).syncOnce()
        #expect(again.soldUnits == 0 && again.pushes == 0 && again.pulledUnits == 0)
    }
}
