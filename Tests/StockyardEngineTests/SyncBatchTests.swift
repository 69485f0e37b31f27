import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// A store's writes go in requests of up to 250 that span its locations and the warehouses synced
/// in the same run (each request costs Shopify the same points whatever its size, and rewrites a
/// whole `file` store), with the journal, refusals and failures as safe as one push per location.
@Suite struct SyncBatchTests {
    static let start = ["S1": 400, "S2": 250]

    /// `count` warehouses, each linked to one location of store `a` and one of store `b` on
    /// stockyard master, in step; every `a` location then sells 2 S1, so every `b` location is pushed.
    static func hub(warehouses count: Int) -> (InMemoryStateStore, FakeStoreAdapter, FakeStoreAdapter) {
        var hub = HubState(lineage: "sync-batch")
        hub.stores = ["a": StoreRecord(key: "a", platform: .file, target: "a"), "b": StoreRecord(key: "b", platform: .file, target: "b")]
        var quantities: (a: [String: [String: Int]], b: [String: [String: Int]]) = ([:], [:])
        for w in 0..<count {
            let key = "w\(w)"
            hub.warehouses[key] = WarehouseRecord(key: key, name: key, kind: .own)
            hub.stock[key] = SKUNumbers(start)
            for store in ["a", "b"] {
                let c = ConnectionRecord(store: store, locationID: "\(store)\(w)", locationName: "\(store)\(w)", warehouse: key, master: .stockyard)
                hub.connections[c.id] = c
                hub.syncMarks[c.id] = start
            }
            quantities.a["a\(w)"] = start
            quantities.b["b\(w)"] = start
        }
        let a = FakeStoreAdapter(locations: (0..<count).map { StoreLocation(id: "a\($0)", name: "a\($0)") }, quantities: quantities.a)
        let b = FakeStoreAdapter(locations: (0..<count).map { StoreLocation(id: "b\($0)", name: "b\($0)") }, quantities: quantities.b)
        for w in 0..<count { a.sell("S1", 2, at: "a\(w)") }
        return (InMemoryStateStore(hub), a, b)
    }

    /// Every warehouse holds `expected` S1 and both its locations show it; nothing is journaled.
    static func expectInStep(_ state: InMemoryStateStore, _ a: FakeStoreAdapter, _ b: FakeStoreAdapter, count: Int, expected: (Int) -> Int) throws {
        let hub = try state.load()
        #expect(hub.pendingPushes.isEmpty, "\(hub.pendingPushes)")
        for w in 0..<count {
            #expect(hub.stock["w\(w)"]?["S1"] == expected(w), "w\(w)")
            #expect(a.quantity("S1", at: "a\(w)") == expected(w), "a\(w)")
            #expect(b.quantity("S1", at: "b\(w)") == expected(w), "b\(w)")
        }
    }

    @Test func aStoresWritesFromEveryWarehouseGoInRequestsOf250() async throws {
        let (state, a, b) = Self.hub(warehouses: 300)
        let report = try await Synchronizer(state: state, adapters: ["a": a, "b": b]).syncOnce()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(report.soldUnits == 600 && report.pushes == 300)
        // One request per location (300) before batching.
        #expect(b.writeRequests == 2)
        #expect(b.requests.map(\.count) == [250, 50])
        #expect(a.writeRequests == 0, "a's locations already show their own sales")
        try Self.expectInStep(state, a, b, count: 300) { _ in 398 }
        let again = try await Synchronizer(state: state, adapters: ["a": a, "b": b]).syncOnce()
        #expect(again.soldUnits == 0 && again.pushes == 0 && b.writeRequests == 2)
    }

    /// A sale lands at b2 while its request is in flight: the store refuses the whole request.
    /// The other warehouses' writes, turned away only because they shared it, go again at once in
    /// a request of their own; only b2's level is read again, and its warehouse goes in its next round.
    @Test func aRefusedWriteReadsAgainOnlyItsOwnLevel() async throws {
        let (state, a, b) = Self.hub(warehouses: 5)
        b.beforeWrite = { store in
            if store.writeRequests == 0 { store.sell("S1", 1, at: "b2") }
        }
        let report = try await Synchronizer(state: state, adapters: ["a": a, "b": b]).syncOnce()
        #expect(report.failures.isEmpty, "\(report.failures)")
        #expect(b.requests.map(\.count) == [5, 4, 1], "refused whole, the others sent again at once, then b2's warehouse")
        #expect(b.skuReads == 1, "only b2's S1 is read again")
        #expect(report.conflicts == 1)
        #expect(report.soldUnits == 11)
        // Five to b, and a2 learns of b2's sale.
        #expect(report.pushes == 6 && a.requests.map { $0.map(\.locationID) } == [["a2"]])
        try Self.expectInStep(state, a, b, count: 5) { $0 == 2 ? 397 : 398 }
    }

    /// The process dies after the store took a batch and before the hub heard: the journal holds
    /// one entry for the batch's three locations (`location_id` the first), and the next run
    /// replays it with its key, sets every location's marks, and reads them in full.
    @Test func anInterruptedBatchIsReplayedWithItsKeyForEveryLocation() async throws {
        let (state, a, b) = Self.hub(warehouses: 3)
        let clock = ManualClock()
        for store in [a, b] { store.clock = { clock.now } }
        var sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        sync.clock = { clock.now }
        b.crash = { .afterWrite }
        let failed = try await sync.syncOnce()
        #expect(
            failed.failures.map(\.message) == (0..<3).map { "pushing to b location b\($0) failed: simulated crash" })
        let journal = try state.load().pendingPushes
        #expect(journal.count == 1)
        #expect(journal.first?.locationID == "b0")
        #expect(journal.first?.locationIDs == ["b0", "b1", "b2"])
        #expect(journal.first?.writes.count == 3)
        #expect((0..<3).allSatisfy { b.quantity("S1", at: "b\($0)") == 398 }, "the batch landed in the store")

        b.crash = nil
        clock.advance(by: 60)
        let fullReads = b.fullReads
        let next = try await sync.syncOnce()
        #expect(next.notes == ["resolved an interrupted push to b 3 locations (b0, b1, b2): 3 of 3 numbers had landed"])
        #expect(next.failures.isEmpty, "\(next.failures)")
        #expect(next.soldUnits == 0 && next.pushes == 0)
        #expect(b.writeRequests == 1, "the replay is answered from the key's record")
        #expect(b.fullReads == fullReads + 3, "every location the batch touched is read in full")
        for w in 0..<3 { #expect(try state.load().syncMarks[ConnectionRecord.ID(store: "b", locationID: "b\(w)")]?["S1"] == 398) }
        try Self.expectInStep(state, a, b, count: 3) { _ in 398 }
    }

    /// The process dies after the rounds committed and before their batch was journaled: nothing
    /// is replayed, and the next run computes the same writes from the marks, counting no sale twice.
    @Test func aCrashBetweenTheRoundsAndTheJournalIsMadeGoodByTheNextRun() async throws {
        let (state, a, b) = Self.hub(warehouses: 3)
        state.failingCommit = { mutations in mutations.contains { if case .addPendingPush = $0 { true } else { false } } }
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        await #expect(throws: (any Error).self) { try await sync.syncOnce() }
        let crashed = try state.load()
        #expect(crashed.pendingPushes.isEmpty)
        #expect((0..<3).allSatisfy { crashed.stock["w\($0)"]?["S1"] == 398 }, "the rounds committed")
        #expect(b.writeRequests == 0)

        state.failingCommit = nil
        let next = try await sync.syncOnce()
        #expect(next.failures.isEmpty, "\(next.failures)")
        #expect(next.soldUnits == 0, "the sales were counted by the rounds that committed")
        #expect(next.pushes == 3 && b.writeRequests == 1)
        try Self.expectInStep(state, a, b, count: 3) { _ in 398 }
    }

    /// A batch the store turns away whole, saying nothing was written (b1 stopped stocking the SKU):
    /// its locations go one by one, so only b1's warehouse fails, and the next run pushes it.
    @Test func aBatchRefusedWholeGoesAgainLocationByLocation() async throws {
        let (state, a, b) = Self.hub(warehouses: 3)
        b.refuse = { writes in writes.contains { $0.locationID == "b1" } }
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        let report = try await sync.syncOnce()
        #expect(report.failures.map(\.message) == ["pushing to b location b1 failed: refused whole, nothing written"])
        #expect(b.requests.map { $0.map(\.locationID) } == [["b0"], ["b2"]])
        #expect(try state.load().pendingPushes.isEmpty, "nothing was written: nothing to replay")
        #expect(report.pushes == 2 && report.soldUnits == 6)

        b.refuse = nil
        let next = try await sync.syncOnce()
        #expect(next.failures.isEmpty, "\(next.failures)")
        #expect(next.soldUnits == 0 && next.pushes == 1)
        try Self.expectInStep(state, a, b, count: 3) { _ in 398 }
    }

    /// A refusal of the store as a whole (its credentials) is not split into a request per location,
    /// which would fail alike; the store's later requests wait for the next run, which pushes them.
    @Test func aStoreWideRefusalIsNotSplitAndHoldsBackTheStoresLaterRequests() async throws {
        let (state, a, b) = Self.hub(warehouses: 300)
        let attempts = Counter()
        b.refuse = { _ in
            attempts.increment()
            return true
        }
        b.refusalsAreStoreWide = true
        let sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        let report = try await sync.syncOnce()
        #expect(attempts.value == 1, "one request tried, not one per location, and not the second request")
        #expect(report.failures.count == 300)
        #expect(report.failures.filter { $0.message.contains("the store refused the credentials") }.count == 250)
        #expect(report.failures.filter { $0.message.contains("not pushed: an earlier request to b failed") }.count == 50)
        #expect(try state.load().pendingPushes.isEmpty, "nothing was written: nothing to replay")

        b.refuse = nil
        let next = try await sync.syncOnce()
        #expect(next.failures.isEmpty, "\(next.failures)")
        #expect(next.soldUnits == 0 && next.pushes == 300)
        try Self.expectInStep(state, a, b, count: 300) { _ in 398 }
    }
}

/// A count shared with a `@Sendable` closure.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
