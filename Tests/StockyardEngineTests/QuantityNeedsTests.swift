import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// The locations a plan reads the quantities of are exactly those whose change carries an impact.
@Suite struct QuantityNeedsTests {
    /// The ids each store's impacts came from, by the planner, against what `QuantityNeeds` picks.
    static func check(_ s: Scenario) {
        let plan = s.plan()
        let needs = QuantityNeeds(config: s.config, state: s.state)
        var picked = Set<String>()
        for store in s.config.stores {
            picked.formUnion(needs.locationIDs(store: store, locations: s.facts[store.key]?.locations ?? []))
        }
        let withImpact = Set(plan.changes.filter { $0.impact != nil }.compactMap(\.locationID))
        // Every impact the plan shows had its numbers read (given quantities for every location).
        #expect(withImpact.isSubset(of: picked), "\(withImpact.subtracting(picked))")
        // And nothing was read that no change needed: each pick is a connection change.
        let changed = Set(plan.changes.filter { $0.kind == .connection && $0.action != .delete }.compactMap(\.locationID))
        #expect(picked.isSubset(of: changed), "\(picked.subtracting(changed))")
    }

    static func withQuantities(_ s: inout Scenario) {
        for key in s.facts.keys {
            for l in s.facts[key]!.locations { s.facts[key]!.quantities[l.id] = ["A": 3, "B": 1] }
        }
    }

    @Test func everythingIsNewSoEverythingIsRead() {
        var s = PlannerTests.twoStores()
        Self.withQuantities(&s)
        Self.check(s)
        let needs = QuantityNeeds(config: s.config, state: s.state)
        #expect(needs.locationIDs(store: s.config.stores[0], locations: s.facts[s.config.stores[0].key]!.locations).count == s.config.stores[0].connections.count)
    }

    @Test func nothingChangedSoNothingIsRead() {
        var s = PlannerTests.twoStores()
        Self.withQuantities(&s)
        s.absorb(s.plan())
        let needs = QuantityNeeds(config: s.config, state: s.state)
        for store in s.config.stores { #expect(needs.locationIDs(store: store, locations: s.facts[store.key]!.locations).isEmpty) }
    }

    @Test func aMasterSwitchAndAMoveAreReadButARenameIsNot() {
        var s = PlannerTests.twoStores()
        Self.withQuantities(&s)
        s.warehouse("york")
        s.store("eu", locations: [location("York")])
        s.link("eu", "York", to: "york")
        s.absorb(s.plan())
        // Switch a master, rename leeds (its links follow it: no numbers move), move York to shipbob.
        s.stores[0].connections[0].master = .stockyard
        s.warehouses[0] = WarehouseSpec(key: "leeds-dc", name: "Leeds", kind: .own, formerly: ["leeds"], location: s.warehouses[0].location)
        for i in s.stores.indices {
            for j in s.stores[i].connections.indices where s.stores[i].connections[j].warehouseKey == "leeds" {
                s.stores[i].connections[j].warehouseKey = "leeds-dc"
            }
        }
        let eu = s.stores.firstIndex { $0.key == "eu" }!
        s.stores[eu].connections[0].warehouseKey = "shipbob"
        Self.check(s)
        let needs = QuantityNeeds(config: s.config, state: s.state)
        var picked: [String] = []
        for store in s.config.stores { picked += needs.locationIDs(store: store, locations: s.facts[store.key]!.locations) }
        #expect(picked.sorted() == [location("Leeds warehouse").id, location("York").id].sorted())
    }
}
