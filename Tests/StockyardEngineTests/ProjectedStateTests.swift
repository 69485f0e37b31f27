import Foundation
import StockyardTestSupport
import Testing

@testable import StockyardEngine

/// The applier's projection of the state defers re-pointing a renamed warehouse's connections;
/// these hold it to the rules applied one by one, and to one pass over the connections per read.
@Suite struct ProjectedStateTests {
    static func hub(warehouses: Int, connectionsEach: Int) -> HubState {
        var hub = HubState()
        for w in 0..<warehouses {
            hub.warehouses["w\(w)"] = WarehouseRecord(key: "w\(w)", name: "W\(w)", kind: .own)
            hub.stock["w\(w)"] = ["SKU": w]
            for c in 0..<connectionsEach {
                let record = ConnectionRecord(store: "s", locationID: "\(w)-\(c)", locationName: "L", warehouse: "w\(w)", master: .stockyard)
                hub.connections[record.id] = record
            }
        }
        return hub
    }

    /// Chains (a→b, b→c), swaps through a spare key, a code reused after its warehouse left, and
    /// connections written between renames: after every change, the projection is what applying
    /// each mutation in turn gives.
    @Test func equalsTheRulesAppliedOneByOneOverSeededSequences() {
        for seed in 1...200 {
            var random = SeededGenerator(seed: UInt64(seed))
            let start = Self.hub(warehouses: 6, connectionsEach: 3)
            var expected = start
            var projected = ProjectedState(start)
            for step in 0..<40 {
                let keys = expected.warehouses.keys.sorted()
                let spare = (0..<12).map { "w\($0)" }.filter { expected.warehouses[$0] == nil }
                var change: [StateMutation] = []
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<5 where !keys.isEmpty && !spare.isEmpty:
                    let from = keys.randomElement(using: &random)!
                    let to = spare.randomElement(using: &random)!
                    change = [.renameWarehouse(from: from, to: to), .putWarehouse(WarehouseRecord(key: to, name: "R\(step)", kind: .own))]
                case 5 where !keys.isEmpty && !expected.connections.isEmpty:
                    let id = expected.connections.keys.sorted().randomElement(using: &random)!
                    var record = expected.connections[id]!
                    record.warehouse = keys.randomElement(using: &random)!
                    change = [.putConnection(record)]
                case 6 where !keys.isEmpty:
                    let key = keys.randomElement(using: &random)!
                    change = [.setStock(warehouse: key, quantities: ["SKU": step])]
                case 7 where !keys.isEmpty:
                    let key = keys.randomElement(using: &random)!
                    change = expected.connections.values.filter { $0.warehouse == key }.map { .deleteConnection($0.id) } + [.deleteWarehouse(key: key)]
                default:
                    guard let key = spare.first else { continue }
                    change = [.putWarehouse(WarehouseRecord(key: key, name: "N\(step)", kind: .own))]
                }
                expected.applyAccepted(change)
                projected.project(change)
                if step % 7 == 0 { #expect(projected.current() == expected, "seed \(seed), step \(step)") }
            }
            #expect(projected.current() == expected, "seed \(seed)")
        }
    }

    /// Thousands of renames cost one pass over the connections when the view is next read, not one each.
    @Test func manyRenamesMakeOnePassOverTheConnections() {
        let start = Self.hub(warehouses: 2_000, connectionsEach: 10)
        var projected = ProjectedState(start)
        var expected = start
        for w in 0..<2_000 {
            let change: [StateMutation] = [
                .renameWarehouse(from: "w\(w)", to: "renamed-\(w)"), .putWarehouse(WarehouseRecord(key: "renamed-\(w)", name: "W\(w)", kind: .own)),
            ]
            projected.project(change)
            expected.applyAccepted(change)
        }
        #expect(projected.connectionPasses == 0)
        #expect(projected.current() == expected)
        #expect(projected.connectionPasses == 1)
        #expect(projected.current().connections.values.allSatisfy { $0.warehouse.hasPrefix("renamed-") })
        #expect(projected.connectionPasses == 1)
    }
}
