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
}
