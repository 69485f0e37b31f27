import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

/// Every store against the rules as written once (``HubState/apply(_:)``): the same commits, one
/// by one, must leave each store holding what the rules say, and refuse what they refuse with the
/// same ``StateRuleViolation``.
@Suite("Stores follow the state's rules")
struct RuleOracleTests {
    static let ghost = ConnectionRecord.ID(store: "acme-uk", locationID: "gid://shopify/Location/404")
    static let push = PendingPush(
        key: "push-1", store: "acme-uk", locationID: Sample.leedsLink.locationID,
        writes: [QuantityWrite(locationID: Sample.leedsLink.locationID, sku: "SKU-1", expected: 3, quantity: 12)]
    )
    /// Two more users of ShipBob, one from a store whose key sorts before the others byte-wise only
    /// (upper case first), so that a fourth connection is left out of the names.
    static let zeta = StoreRecord(key: "Zeta", platform: .file, target: "stores/zeta.json")
    static let zetaLink = ConnectionRecord(store: "Zeta", locationID: "z1", locationName: "Zeta Reno", warehouse: "shipbob", master: .store)
    static let demoReno = ConnectionRecord(store: "demo", locationID: "loc-reno", locationName: "Reno", warehouse: "shipbob", master: .store)
    static let york = WarehouseRecord(key: "york", name: "York DC", code: "YRK", kind: .own)

    /// Commits in order; the failing ones name every rule, and some fail after a mutation that
    /// would have succeeded alone (nothing of them may be kept).
    static let commits: [[StateMutation]] = [
        Sample.seed,
        [.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 12, "SKU-2": 0]), .addPendingPush(push)],
        [.setSyncMarks(Sample.renoLink.id, quantities: [:])],
        [.deleteStore(key: "acme-uk")],
        [.deleteWarehouse(key: "leeds")],
        [.putStore(zeta), .putConnection(zetaLink), .putConnection(demoReno)],
        [.deleteWarehouse(key: "shipbob")],
        [.renameWarehouse(from: "nowhere", to: "york")],
        [.renameWarehouse(from: "leeds", to: "shipbob")],
        [.putConnection(ConnectionRecord(store: "ghost", locationID: "1", locationName: "G", warehouse: "leeds", master: .store))],
        [.putConnection(ConnectionRecord(store: "demo", locationID: "2", locationName: "G", warehouse: "ghost", master: .store))],
        [.setStock(warehouse: "ghost", quantities: ["SKU-1": 1])],
        [.setSyncMarks(ghost, quantities: ["SKU-1": 1])],
        [.setSyncMarks(ghost, quantities: [:])],
        [.setStock(warehouse: "leeds", quantities: ["SKU-3": 4]), .setSyncMarks(ghost, quantities: ["SKU-1": 1])],
        [.renameWarehouse(from: "leeds", to: "york"), .putWarehouse(york)],
        [.renameWarehouse(from: "york", to: "york")],
        [.deleteConnection(Sample.leedsLink.id), .deleteConnection(Sample.leedsLink.id)],
        [.removePendingPush(key: "push-1"), .removePendingPush(key: "push-1"), .addPendingPush(push), .addPendingPush(push)],
        [.deleteConnection(Sample.demoLink.id), .deleteWarehouse(key: "york"), .deleteWarehouse(key: "york")],
        [.setStock(warehouse: "york", quantities: ["SKU-1": 1])],
        [.deleteStore(key: "nope"), .deleteConnection(ghost), .removePendingPush(key: "nope")],
    ]

    @Test("each commit leaves what the rules say, or is refused as they refuse it", arguments: Backend.all)
    func storesMatchTheRules(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            var expected = try await state.store.load()
            for (index, mutations) in Self.commits.enumerated() {
                var refusal: StateRuleViolation?
                do {
                    expected = try expected.applying(mutations)
                } catch let error as StateRuleViolation {
                    refusal = error
                }
                var refused: StateError?
                do {
                    try await state.store.commit(mutations, history: nil)
                } catch let error as StateError {
                    refused = error
                }
                #expect(refused?.violation == refusal, "commit \(index): \(refused?.message ?? "accepted")")
                #expect(refused?.message == refusal?.description, "commit \(index)")
                #expect(try await state.store.load() == expected, "commit \(index)")
                try await expectTargetedReads(state.store, match: expected, "commit \(index)")
            }
            #expect(expected.stores.keys.sorted() == ["Zeta", "acme-uk", "demo"])
        }
    }

    @Test("the rules name what is missing or in use")
    func violations() throws {
        var hub = try HubState().applying(Self.commits[0] + Self.commits[5])
        #expect(
            throws: StateRuleViolation.warehouseInUse(
                warehouse: "shipbob",
                users: ConnectionUsage(count: 3, first: [#"Zeta["Zeta Reno"]"#, #"acme-uk["Reno \"3PL\""]"#, #"demo["Reno"]"#])
            )
        ) { try hub.apply(.deleteWarehouse(key: "shipbob")) }
        #expect(throws: StateRuleViolation.syncMarksConnectionMissing(Self.ghost)) {
            try hub.apply(.setSyncMarks(Self.ghost, quantities: [:]))
        }
        #expect(
            "\(StateRuleViolation.storeInUse(store: "demo", users: ConnectionUsage(count: 4, first: ["a", "b", "c"])))"
                == "cannot delete store 'demo': 4 connections (a, b, c, …) still use it"
        )
    }

    /// The targeted reads a sync round uses give what the whole state holds.
    func expectTargetedReads(_ store: any StateStore, match expected: HubState, _ comment: Comment) async throws {
        for warehouse in ["leeds", "shipbob", "york", "ghost"] {
            #expect(try await store.connections(inWarehouse: warehouse) == expected.connections(inWarehouse: warehouse), comment)
            #expect(try await store.stock(inWarehouse: warehouse) == expected.stock[warehouse] ?? [:], comment)
        }
        let keys = ["leeds", "shipbob", "york", "ghost"]
        #expect(try await store.stock(inWarehouses: keys) == expected.stock(inWarehouses: keys), comment)
        #expect(try await store.stock(inWarehouses: []) == [:], comment)
        let ids = [Sample.leedsLink.id, Sample.renoLink.id, Sample.demoLink.id, Self.zetaLink.id, Self.ghost]
        #expect(try await store.syncMarks(of: ids) == expected.syncMarks(of: ids), comment)
        #expect(try await store.syncMarks(of: []) == [:], comment)
        #expect(try await store.pendingPushes() == expected.pendingPushes, comment)
    }

    @Test("the targeted reads of a new state are empty", arguments: Backend.all)
    func targetedReadsOfNothing(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            try await expectTargetedReads(state.reopen(create: false), match: HubState(), "a new state")
        }
    }

    @Test("the targeted reads of a missing file are empty, and create nothing")
    func targetedReadsOfMissingFile() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let path = dir.appendingPathComponent("none.db").path
            try await expectTargetedReads(SQLiteStateStore(path: path, access: .read), match: HubState(), "a missing file")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
