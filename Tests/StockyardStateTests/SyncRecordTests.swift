import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("Sync marks and pending pushes")
struct SyncRecordTests {
    let push = PendingPush(
        key: "push-1", store: "acme-uk", locationID: "gid://shopify/Location/1",
        writes: [QuantityWrite(locationID: "gid://shopify/Location/1", sku: "SKU-1", expected: 3, quantity: 12)]
    )

    @Test("sync marks survive a reopen and go with their connection", arguments: Backend.all)
    func syncMarks(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            try await store.commit([.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 12, "SKU-2": 0])], history: nil)
            try await store.commit([.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-2": 4])], history: nil)
            #expect(try await state.reopen(create: false).load().syncMarks == [Sample.leedsLink.id: ["SKU-1": 12, "SKU-2": 4]])
            try await store.commit([.deleteConnection(Sample.leedsLink.id)], history: nil)
            #expect(try await store.load().syncMarks.isEmpty)
        }
    }

    @Test("pending pushes are journaled once, in order, and removed", arguments: Backend.all)
    func pendingPushes(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            var second = push
            second.key = "push-2"
            try await store.commit([.addPendingPush(push), .addPendingPush(second), .addPendingPush(push)], history: nil)
            #expect(try await state.reopen(create: false).load().pendingPushes == [push, second])
            try await store.commit([.removePendingPush(key: "push-1"), .removePendingPush(key: "nope")], history: nil)
            #expect(try await store.load().pendingPushes == [second])
        }
    }

    /// Sync journals a batch of writes to several locations of a store as one push: the
    /// `location_id` column holds the first write's location, the writes name every one.
    @Test("a push to several locations comes back with every location", arguments: Backend.all)
    func batchPush(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let batch = PendingPush(
                key: "batch-1", store: "acme-uk", locationID: "gid://shopify/Location/2",
                writes: [
                    QuantityWrite(locationID: "gid://shopify/Location/2", sku: "SKU-1", expected: 3, quantity: 2),
                    QuantityWrite(locationID: "gid://shopify/Location/1", sku: "SKU-1", expected: 4, quantity: 2),
                    QuantityWrite(locationID: "gid://shopify/Location/2", sku: "SKU-2", expected: 0, quantity: 5),
                ])
            try await state.store.commit([.addPendingPush(batch)], history: nil)
            let loaded = try await state.reopen(create: false).pendingPushes()
            #expect(loaded == [batch])
            #expect(loaded.first?.locationIDs == ["gid://shopify/Location/2", "gid://shopify/Location/1"])
        }
    }
}

@Suite("What every store does with sync records")
struct SyncRecordContractTests {
    @Test("sync marks of a connection that is not in the state are refused by name", arguments: Backend.all)
    func marksOfUnknownConnection(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            try await state.store.commit(Sample.seed, history: nil)
            let ghost = ConnectionRecord.ID(store: "acme-uk", locationID: "gid://shopify/Location/404")
            let error = await #expect(throws: StateError.self) {
                try await state.store.commit(
                    [.setStock(warehouse: "leeds", quantities: ["SKU-1": 1]), .setSyncMarks(ghost, quantities: ["SKU-1": 1])],
                    history: nil
                )
            }
            #expect(error?.violation == .syncMarksConnectionMissing(ghost))
            #expect(error?.message == "cannot set sync marks of connection acme-uk/gid://shopify/Location/404: it is not in the state")
            #expect(try await state.store.load().stock["leeds"]?["SKU-1"] == 12)
        }
    }

    @Test("a pending push whose writes cannot be read is reported as damage, not dropped", arguments: Backend.databases)
    func unreadablePendingPush(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            try await state.store.commit([.addPendingPush(PendingPush(key: "push-1", store: "acme-uk", locationID: "L1", writes: []))], history: nil)
            try await state.executeRaw("UPDATE pending_pushes SET writes = '[{\"sku\": 7' WHERE key = 'push-1'")
            let error = await #expect(throws: StateError.self) { try await state.reopen(create: false).load() }
            #expect(
                error?.message.hasSuffix(
                    "is damaged: pending push push-1 to acme-uk location L1 holds writes that cannot be read, so whether it landed cannot be checked"
                ) == true,
                "\(error?.message ?? "")"
            )
        }
    }
}
