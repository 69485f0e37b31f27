import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("Many commits")
struct VolumeTests {
    @Test("10,000 single-change commits, each with a history entry", arguments: Backend.all)
    func tenThousandCommits(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(
                [
                    .putStore(Sample.shopify),
                    .putWarehouse(Sample.leeds),
                ],
                history: nil
            )
            let count = 10_000
            let clock = ContinuousClock()
            let start = clock.now
            for index in 0..<count {
                let link = ConnectionRecord(
                    store: "acme-uk", locationID: "gid://shopify/Location/\(index)", locationName: "Location \(index)",
                    warehouse: "leeds", master: index.isMultiple(of: 2) ? .stockyard : .store
                )
                let entry = HistoryEntry(
                    time: "2025-01-02T03:04:05Z", planID: "plan-volume",
                    address: ConnectionAddress.format(store: "acme-uk", location: link.locationName),
                    action: .create, before: nil, after: .connection(link)
                )
                try await store.commit([.putConnection(link)], history: entry)
            }
            let elapsed = clock.now - start
            print("\(backend) state: \(count) commits of one putConnection + history took \(elapsed)")

            let loaded = try await state.reopen(create: false).load()
            #expect(loaded.connections.count == count)
            #expect(loaded.connections[ConnectionRecord.ID(store: "acme-uk", locationID: "gid://shopify/Location/9999")]?.master == .store)
            let history = try await store.history(limit: count + 1)
            #expect(history.count == count)
            #expect(history.first?.address == #"acme-uk["Location 9999"]"#)
            #expect(history.last?.address == #"acme-uk["Location 0"]"#)
        }
    }
}
