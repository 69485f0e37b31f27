import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("Committing mutations")
struct CommitTests {
    @Test("every record type survives a commit and a reopen", arguments: Backend.all)
    func roundTrip(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            let expected = HubState(
                stores: ["acme-uk": Sample.shopify, "demo": Sample.file],
                warehouses: ["leeds": Sample.leeds, "shipbob": Sample.shipbob],
                connections: [
                    Sample.leedsLink.id: Sample.leedsLink, Sample.renoLink.id: Sample.renoLink,
                    Sample.demoLink.id: Sample.demoLink,
                ],
                stock: ["leeds": ["SKU-1": 12, "SKU-2": 0], "shipbob": ["SKU-1": 5]]
            )
            #expect(try await store.load().contents == expected)
            #expect(try await state.reopen(create: false).load().contents == expected)
        }
    }

    @Test("put replaces every field of an existing record", arguments: Backend.all)
    func putUpdates(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            let store2 = StoreRecord(key: "demo", platform: .shopify, target: "demo.myshopify.com")
            let leeds = WarehouseRecord(key: "leeds", name: "Leeds (new)", code: nil, kind: .thirdParty, protect: false)
            var link = Sample.leedsLink
            link.locationName = "Leeds Distribution"
            link.warehouse = "shipbob"
            link.master = .store
            link.protect = false
            try await store.commit([.putStore(store2), .putWarehouse(leeds), .putConnection(link)], history: nil)
            let state = try await store.load()
            #expect(state.stores["demo"] == store2)
            #expect(state.warehouses["leeds"] == leeds)
            #expect(state.connections[link.id] == link)
            #expect(state.connections.count == 3)
        }
    }

    @Test("setStock replaces only the given SKUs", arguments: Backend.all)
    func setStockReplacesGivenSKUs(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            try await store.commit([.setStock(warehouse: "leeds", quantities: ["SKU-2": 7, "SKU-3": -1])], history: nil)
            #expect(try await store.load().stock["leeds"] == ["SKU-1": 12, "SKU-2": 7, "SKU-3": -1])
        }
    }

    @Test("deletes remove records, and deleting a missing record is a no-op", arguments: Backend.all)
    func deletes(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            try await store.commit(
                [
                    .deleteConnection(Sample.renoLink.id), .deleteWarehouse(key: "shipbob"),
                    .deleteConnection(Sample.demoLink.id), .deleteStore(key: "demo"),
                    .deleteConnection(ConnectionRecord.ID(store: "nope", locationID: "x")),
                    .deleteWarehouse(key: "nope"), .deleteStore(key: "nope"),
                ],
                history: nil
            )
            let state = try await store.load()
            #expect(state.stores == ["acme-uk": Sample.shopify])
            #expect(state.warehouses == ["leeds": Sample.leeds])
            #expect(state.connections == [Sample.leedsLink.id: Sample.leedsLink])
            // The deleted warehouse's stock went with it.
            #expect(state.stock == ["leeds": ["SKU-1": 12, "SKU-2": 0]])
        }
    }

    @Test("renaming a warehouse re-points its connections and stock", arguments: Backend.all)
    func renameCascades(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            try await store.commit([.renameWarehouse(from: "leeds", to: "leeds-dc")], history: nil)
            let state = try await store.load()
            var renamed = Sample.leeds
            renamed.key = "leeds-dc"
            #expect(state.warehouses == ["leeds-dc": renamed, "shipbob": Sample.shipbob])
            #expect(state.connections[Sample.leedsLink.id]?.warehouse == "leeds-dc")
            #expect(state.connections[Sample.demoLink.id]?.warehouse == "leeds-dc")
            #expect(state.connections[Sample.renoLink.id]?.warehouse == "shipbob")
            #expect(state.stock == ["leeds-dc": ["SKU-1": 12, "SKU-2": 0], "shipbob": ["SKU-1": 5]])
        }
    }

    @Test("renaming onto an existing warehouse, or a missing one, fails and changes nothing", arguments: Backend.all)
    func renameConflicts(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            let before = try await store.load()
            let taken = await #expect(throws: StateError.self) {
                try await store.commit([.renameWarehouse(from: "leeds", to: "shipbob")], history: nil)
            }
            #expect(taken?.message == "cannot rename warehouse 'leeds' to 'shipbob': 'shipbob' already exists")
            let missing = await #expect(throws: StateError.self) {
                try await store.commit([.renameWarehouse(from: "york", to: "york-dc")], history: nil)
            }
            #expect(missing?.message == "cannot rename warehouse 'york' to 'york-dc': 'york' is not in the state")
            #expect(try await store.load() == before)
        }
    }

    @Test("deleting a warehouse in use fails, names its connections, and rolls back", arguments: Backend.all)
    func deleteWarehouseInUse(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            let before = try await store.load()
            let entry = Sample.history("warehouse.leeds", .delete, before: .warehouse(Sample.leeds), after: nil)
            let error = await #expect(throws: StateError.self) {
                try await store.commit(
                    [.putStore(StoreRecord(key: "new", platform: .file, target: "x.json")), .deleteWarehouse(key: "leeds")],
                    history: entry
                )
            }
            #expect(
                error?.message
                    == #"cannot delete warehouse 'leeds': 2 connections (acme-uk["Leeds DC"], demo["Leeds warehouse"]) still use it"#
            )
            #expect(try await store.load() == before)
            #expect(try await store.history(limit: 10).isEmpty)
        }
    }

    @Test("deleting a store that connections still reference fails", arguments: Backend.all)
    func deleteStoreInUse(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed, history: nil)
            let before = try await store.load()
            let error = await #expect(throws: StateError.self) { try await store.commit([.deleteStore(key: "acme-uk")], history: nil) }
            #expect(error?.message.hasPrefix("cannot delete store 'acme-uk': 2 connections (") == true)
            #expect(try await store.load() == before)
        }
    }

    @Test("a commit whose second mutation fails keeps nothing of the first", arguments: Backend.all)
    func allOrNothing(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let entry = Sample.history("store.acme-uk", .create, before: nil, after: .store(Sample.shopify))
            let error = await #expect(throws: StateError.self) {
                try await store.commit([.putStore(Sample.shopify), .putConnection(Sample.leedsLink)], history: entry)
            }
            #expect(
                error?.message
                    == #"cannot save connection acme-uk["Leeds DC"]: warehouse 'leeds' is not in the state"#
            )
            #expect(try await store.load().contents == .empty)
            #expect(try await store.history(limit: 10).isEmpty)
        }
    }

    @Test("a connection to a missing store is refused by name", arguments: Backend.all)
    func connectionToMissingStore(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit([.putWarehouse(Sample.leeds)], history: nil)
            let error = await #expect(throws: StateError.self) { try await store.commit([.putConnection(Sample.leedsLink)], history: nil) }
            #expect(error?.message == #"cannot save connection acme-uk["Leeds DC"]: store 'acme-uk' is not in the state"#)
        }
    }

    @Test("stock for a missing warehouse is refused", arguments: Backend.all)
    func stockForMissingWarehouse(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let error = await #expect(throws: StateError.self) {
                try await store.commit([.setStock(warehouse: "york", quantities: ["SKU-1": 1])], history: nil)
            }
            #expect(error?.message == "cannot set stock in warehouse 'york': it is not in the state")
        }
    }

    @Test("an empty commit writes nothing", arguments: Backend.all)
    func emptyCommit(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit([], history: nil)
            #expect(try await store.load().contents == .empty)
        }
    }

    @Test("keys and names with quotes, unicode and SQL survive", arguments: Backend.all)
    func awkwardText(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let key = "o'brien; DROP TABLE stores; --"
            let storeRecord = StoreRecord(key: key, platform: .file, target: "Zürich/ストア.json")
            let warehouse = WarehouseRecord(key: "lager-zürich", name: "Lager \"Zürich\" 🏭", code: "ZÜR", kind: .own)
            let link = ConnectionRecord(
                store: key, locationID: "", locationName: "", warehouse: "lager-zürich", master: .stockyard
            )
            try await store.commit([.putStore(storeRecord), .putWarehouse(warehouse), .putConnection(link)], history: nil)
            let state = try await store.load()
            #expect(state.stores[key] == storeRecord)
            #expect(state.warehouses["lager-zürich"] == warehouse)
            #expect(state.connections[link.id] == link)
        }
    }
}
