import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// Sales land in two stores sharing one warehouse, between and during syncs, with crashes around
/// pushes: at the end the warehouse holds the starting stock less every sale, and every linked
/// location shows it. Nothing lost, nothing counted twice.
@Suite struct SyncTests {
    static let skus = ["S1", "S2", "S3"]
    static let start = ["S1": 400, "S2": 250, "S3": 120]

    final class Counter: @unchecked Sendable {
        let lock = NSLock()
        var sold: [String: Int] = [:]
        var rng: SeededGenerator
        var crashRate = 0.0
        var inFlightSaleRate = 0.0
        init(seed: UInt64) { rng = SeededGenerator(seed: seed) }
        func add(_ sku: String, _ n: Int) { lock.withLock { sold[sku, default: 0] += n } }
        func roll() -> Double { lock.withLock { Double.random(in: 0..<1, using: &rng) } }
        func pick<T>(_ items: [T]) -> T { lock.withLock { items.randomElement(using: &rng)! } }
        func int(_ range: ClosedRange<Int>) -> Int { lock.withLock { Int.random(in: range, using: &rng) } }
    }

    /// Two stores, one location each, both on stockyard master into warehouse `w`, already in step.
    static func hub(_ counter: Counter) throws -> (InMemoryStateStore, FakeStoreAdapter, FakeStoreAdapter) {
        let a = FakeStoreAdapter(locations: [StoreLocation(id: "a1", name: "A")], quantities: ["a1": start])
        let b = FakeStoreAdapter(locations: [StoreLocation(id: "b1", name: "B")], quantities: ["b1": start])
        var hub = HubState(lineage: "sync-test")
        hub.stores = ["a": StoreRecord(key: "a", platform: .file, target: "a"), "b": StoreRecord(key: "b", platform: .file, target: "b")]
        hub.warehouses = ["w": WarehouseRecord(key: "w", name: "W", kind: .own)]
        let ca = ConnectionRecord(store: "a", locationID: "a1", locationName: "A", warehouse: "w", master: .stockyard)
        let cb = ConnectionRecord(store: "b", locationID: "b1", locationName: "B", warehouse: "w", master: .stockyard)
        hub.connections = [ca.id: ca, cb.id: cb]
        hub.stock = ["w": SKUNumbers(start)]
        hub.syncMarks = [ca.id: start, cb.id: start]
        for adapter in [a, b] {
            adapter.beforeWrite = { _ in
                // A sale that lands while the hub is pushing: the compare-and-set must catch it.
                guard counter.roll() < counter.inFlightSaleRate else { return }
                let (store, id) = counter.pick([(a, "a1"), (b, "b1")])
                let sku = counter.pick(skus)
                counter.add(sku, store.sell(sku, counter.int(1...3), at: id))
            }
            adapter.crash = {
                let r = counter.roll()
                if r < counter.crashRate / 2 { return .beforeWrite }
                if r < counter.crashRate { return .afterWrite }
                return .none
            }
        }
        return (InMemoryStateStore(hub), a, b)
    }

    static func settle(_ sync: Synchronizer, _ counter: Counter) async throws {
        counter.crashRate = 0
        counter.inFlightSaleRate = 0
        for _ in 0..<3 { _ = try await sync.syncOnce() }
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func salesAreNeverLostOrCountedTwice(seed: UInt64) async throws {
        let counter = Counter(seed: seed)
        let (state, a, b) = try Self.hub(counter)
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        counter.inFlightSaleRate = 0.3
        counter.crashRate = 0.1
        var syncs = 0
        for _ in 0..<1_000 {
            for _ in 0..<counter.int(0...2) {
                let (store, id) = counter.pick([(a, "a1"), (b, "b1")])
                let sku = counter.pick(Self.skus)
                counter.add(sku, store.sell(sku, counter.int(1...4), at: id))
            }
            if counter.roll() < 0.5 {
                syncs += 1
                _ = try? await sync.syncOnce()
            }
        }
        try await Self.settle(sync, counter)
        let final = try state.load()
        #expect(final.pendingPushes.isEmpty)
        for sku in Self.skus {
            let expected = Self.start[sku]! - counter.sold[sku, default: 0]
            #expect(final.stock["w"]?[sku] == expected, "\(sku): warehouse \(final.stock["w"]?[sku] ?? -1), expected \(expected)")
            #expect(a.quantity(sku, at: "a1") == expected)
            #expect(b.quantity(sku, at: "b1") == expected)
        }
        #expect(counter.sold.values.reduce(0, +) > 500)
        #expect(syncs > 400)
    }

    @Test func syncIsIdempotent() async throws {
        let counter = Counter(seed: 9)
        let (state, a, b) = try Self.hub(counter)
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        a.sell("S1", 7, at: "a1")
        let first = try await sync.syncOnce()
        #expect(first.soldUnits == 7)
        #expect(first.pushes == 1)  // a1 already shows 393; b1 is pushed
        let second = try await sync.syncOnce()
        #expect(second.soldUnits == 0)
        #expect(second.pushes == 0)
        #expect(b.quantity("S1", at: "b1") == 393)
    }

    @Test func aRiseInTheStoreIsOverriddenAndReported() async throws {
        let counter = Counter(seed: 4)
        let (state, a, b) = try Self.hub(counter)
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        a.edit("S2", to: 999, at: "a1")
        let report = try await sync.syncOnce()
        #expect(report.overridden.count == 1)
        #expect(report.overridden[0].message.contains("S2: 250 -> 999"))
        #expect(a.quantity("S2", at: "a1") == 250)
        #expect(try state.load().stock["w"]?["S2"] == 250)
    }

    @Test func aThirdPartyLocationOnStoreMasterFlowsIntoItsWarehouseOnly() async throws {
        let counter = Counter(seed: 5)
        let (state, a, b) = try Self.hub(counter)
        let tpl = FakeStoreAdapter(locations: [StoreLocation(id: "t1", name: "3PL", isFulfillmentService: true)], quantities: ["t1": ["S1": 70]])
        var hub = try state.load()
        hub.stores["t"] = StoreRecord(key: "t", platform: .file, target: "t")
        hub.warehouses["tpl"] = WarehouseRecord(key: "tpl", name: "3PL", kind: .thirdParty)
        let link = ConnectionRecord(store: "t", locationID: "t1", locationName: "3PL", warehouse: "tpl", master: .store)
        hub.connections[link.id] = link
        let store = InMemoryStateStore(hub)
        let sync = Synchronizer(state: store, adapters: ["a": a, "b": b, "t": tpl])
        _ = try await sync.syncOnce()
        #expect(try store.load().stock["tpl"] == ["S1": 70])
        tpl.edit("S1", to: 64, at: "t1")
        tpl.edit("S9", to: 5, at: "t1")
        let report = try await sync.syncOnce()
        #expect(report.pulledUnits == 11)
        let after = try store.load()
        #expect(after.stock["tpl"] == ["S1": 64, "S9": 5])
        #expect(after.stock["w"] == SKUNumbers(Self.start))
        #expect(a.quantity("S1", at: "a1") == 400)
        #expect(tpl.writeRequests == 0)
    }
}
