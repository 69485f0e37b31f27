import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

/// A plan reads the stock of a few thousand warehouses at once: more keys than one SQLite
/// statement takes, asked for in any order, repeated, or not in the state.
@Suite("Stock read for many warehouses at once")
struct StockBatchReadTests {
    @Test("every warehouse asked for, across batches, and only those", arguments: Backend.all)
    func manyWarehouses(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let keys = (0..<1_203).map { String(format: "w%05d", $0) }
            var mutations: [StateMutation] = keys.map { .putWarehouse(WarehouseRecord(key: $0, name: $0, code: nil, kind: .own)) }
            for (n, key) in keys.enumerated() where n % 7 != 0 {
                mutations.append(.setStock(warehouse: key, quantities: ["SKU-1": n, "SKU-2": n % 3]))
            }
            try await state.store.commit(mutations, history: nil)
            let expected = try await state.store.load()
            let asked = keys.filter { $0.hasSuffix("1") || $0.hasSuffix("4") || $0 > "w00600" }.reversed() + ["w00002", "w00002", "gone"]
            let read = try await state.store.stock(inWarehouses: Array(asked))
            #expect(read == expected.stock(inWarehouses: Array(asked)))
            #expect(read.count > SQLiteStateStore.stockBatch)
            #expect(read["w00007"] == nil && read["gone"] == nil)
            #expect(read["w00601"] == ["SKU-1": 601, "SKU-2": 1])
        }
    }

    @Test("a plan's load holds the records of a whole load and, on a database, none of the stock", arguments: Backend.databases)
    func planLoadLeavesTheStockOut(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            try await state.store.commit(Sample.seed + [.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 4])], history: nil)
            let whole = try await state.store.load()
            #expect(!whole.stock.isEmpty && !whole.syncMarks.isEmpty)
            let forPlan = try await state.store.loadForPlan()
            #expect(forPlan.lineage == whole.lineage)
            #expect(forPlan.stores == whole.stores && forPlan.warehouses == whole.warehouses)
            #expect(forPlan.connections == whole.connections)
            // The plan reads the stock it shows through `stock(inWarehouses:)`; reading it here too was
            // reading it twice.
            #expect(forPlan.stock.isEmpty && forPlan.syncMarks.isEmpty && forPlan.pendingPushes.isEmpty)
        }
    }
}
