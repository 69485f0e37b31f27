import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("Copying one state into another")
struct MigrationTests {
    /// A state with every kind of record, and a history, as several applies would leave it.
    func fill(_ store: any StateStore) async throws {
        try await store.commit(Sample.seed, history: Sample.history("store.acme-uk", .create, before: nil, after: .store(Sample.shopify)))
        var renamed = Sample.leeds
        renamed.name = "Leeds Distribution"
        try await store.commit(
            [.putWarehouse(renamed)], history: Sample.history("warehouse.leeds", .update, before: .warehouse(Sample.leeds), after: .warehouse(renamed)))
        try await store.commit([.setSyncMarks(Sample.renoLink.id, quantities: ["SKU-1": 5])], history: nil)
        let mark = ReadMark(
            store: Sample.renoLink.store, locationID: Sample.renoLink.locationID,
            readThrough: Date(timeIntervalSince1970: 1_795_000_000.125), fullReadAt: Date(timeIntervalSince1970: 1_794_900_000))
        try await store.commit([.setReadMark(mark)], history: nil)
        try await store.commit([.addPendingPush(PendingPush(key: "k", store: "demo", locationID: "loc-leeds", writes: []))], history: nil)
        try await store.commit(
            [.putWarehouse(WarehouseRecord(key: "spare", name: "Spare", kind: .own))],
            history: Sample.history("warehouse.spare", .create, before: nil, after: nil))
    }

    @Test("every object, the history and the lineage arrive, and the copy verifies", arguments: Backend.databases)
    func lossless(target backend: Backend) async throws {
        try await withNewState(.sqlite) { source throws in
            try await fill(source.store)
            try await withNewState(backend) { target throws in
                let importer = try #require(target.store as? any StateImporting)
                let report = try await StateMigration.copy(from: source.store, to: importer)
                #expect(report.isExact, "\(report.differences)")
                #expect(report.stores == 2 && report.warehouses == 3 && report.connections == 3)
                #expect(report.stockRows == 3 && report.syncMarks == 1 && report.pendingPushes == 1 && report.historyEntries == 3)
                #expect(report.readMarks == 1)
                #expect(try await target.reopen(create: false).load() == source.store.load())
                #expect(try await target.store.history(limit: 10) == source.store.history(limit: 10))
                // New history continues after the copied entries.
                try await target.store.commit([], history: Sample.history("store.demo", .update, before: nil, after: nil))
                #expect(try await target.store.history(limit: 1).first?.address == "store.demo")
            }
        }
    }

    @Test("a target that holds anything is refused, and left as it was", arguments: Backend.databases)
    func refusesNonEmpty(target backend: Backend) async throws {
        try await withNewState(.sqlite) { source throws in
            try await fill(source.store)
            try await withNewState(backend) { target throws in
                try await target.store.commit([.putStore(Sample.file)], history: nil)
                let before = try await target.store.load()
                let importer = try #require(target.store as? any StateImporting)
                let error = await #expect(throws: StateError.self) { try await StateMigration.copy(from: source.store, to: importer) }
                #expect(error?.message.contains("is not empty (1 stores") == true, "\(error?.message ?? "")")
                #expect(try await target.store.load() == before)
            }
        }
    }

    @Test("verification names what differs")
    func verifyFindsDifferences() async throws {
        try await withNewState(.sqlite) { original throws in
            try await fill(original.store)
            try await withNewState(.sqlite) { copy throws in
                let importer = try #require(copy.store as? any StateImporting)
                _ = try await StateMigration.copy(from: original.store, to: importer)
                try await copy.store.commit([.setStock(warehouse: "leeds", quantities: ["SKU-1": 13]), .deleteWarehouse(key: "spare")], history: nil)
                let report = try await StateMigration.verify(copy.store, against: original.store)
                #expect(report.differences == ["warehouse spare: missing from the copy", "stock leeds/SKU-1: differs"])
            }
        }
    }
}
