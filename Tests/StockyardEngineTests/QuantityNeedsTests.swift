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

    /// Renames warehouse leeds to leeds-dc (`formerly`), its links following it.
    static func renameLeeds(_ s: inout Scenario) {
        s.warehouses[0] = WarehouseSpec(key: "leeds-dc", name: "Leeds", kind: .own, formerly: ["leeds"], location: s.warehouses[0].location)
        for i in s.stores.indices {
            for j in s.stores[i].connections.indices where s.stores[i].connections[j].warehouseKey == "leeds" {
                s.stores[i].connections[j].warehouseKey = "leeds-dc"
            }
        }
    }

    @Test func everythingIsNewSoEverythingIsRead() {
        var s = PlannerTests.twoStores()
        Self.withQuantities(&s)
        Self.check(s)
        let needs = QuantityNeeds(config: s.config, state: s.state)
        #expect(
            needs.locationIDs(store: s.config.stores[0], locations: s.facts[s.config.stores[0].key]!.locations).count == s.config.stores[0].connections.count)
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
        Self.renameLeeds(&s)
        let eu = s.stores.firstIndex { $0.key == "eu" }!
        s.stores[eu].connections[0].warehouseKey = "shipbob"
        Self.check(s)
        let needs = QuantityNeeds(config: s.config, state: s.state)
        var picked: [String] = []
        for store in s.config.stores { picked += needs.locationIDs(store: store, locations: s.facts[store.key]!.locations) }
        #expect(picked.sorted() == [location("Leeds warehouse").id, location("York").id].sorted())
    }

    /// The plan reads the stock of only the warehouses it shows numbers of; with just those, it is
    /// the plan made with all the stock.
    @Test func theStockOfOnlyTheWarehousesThePlanShowsNumbersOfIsRead() {
        var s = PlannerTests.twoStores()
        Self.withQuantities(&s)
        for key in ["york", "hull", "wick"] { s.warehouse(key) }
        s.store("eu", locations: [location("York"), location("Hull"), location("Wick")])
        for name in ["York", "Hull", "Wick"] { s.link("eu", name, to: name.lowercased(), master: .store) }
        s.absorb(s.plan())
        for (n, key) in s.state.warehouses.keys.sorted().enumerated() { s.state.stock[key] = ["A": 10 + n, "C": 2] }
        // A master switch on leeds, renamed to leeds-dc; York moved to shipbob; hull deleted with its
        // link; wick and york left as they are.
        s.stores[0].connections[0].master = .stockyard
        Self.renameLeeds(&s)
        let eu = s.stores.firstIndex { $0.key == "eu" }!
        s.stores[eu].connections[0].warehouseKey = "shipbob"
        s.stores[eu].connections.remove(at: 1)
        s.warehouses.removeAll { $0.key == "hull" }

        let needs = QuantityNeeds(config: s.config, state: s.state)
        let keys = needs.warehouses(stores: s.config.stores, readings: s.readings)
        #expect(keys == ["hull", "leeds", "shipbob"])
        // The deletable ones are known before any store is read; the rest once they are.
        #expect(needs.deletableWarehouses == ["hull"])
        var linked = Set<String>()
        for store in s.config.stores {
            guard case .read(let facts)? = s.readings[store.key] else { continue }
            linked.formUnion(needs.linkedWarehouses(store: store, locations: facts.locations))
        }
        #expect(needs.undeletableWarehouses(linkedTo: linked) == ["leeds", "shipbob"])
        #expect(needs.undeletableWarehouses(linkedTo: linked.union(["hull", "nowhere"])) == ["leeds", "shipbob"])
        var narrowed = s
        narrowed.state.stock = s.state.stock(inWarehouses: keys)
        let plan = s.plan()
        #expect(plan.changes.contains { $0.impact != nil })
        #expect(plan.changes.contains { $0.notes.contains { $0.contains("units of stock") } })
        #expect(narrowed.plan() == plan)
        // An unread store's connections need nothing.
        #expect(needs.warehouses(stores: s.config.stores, readings: [:]) == ["hull"])
    }
}
