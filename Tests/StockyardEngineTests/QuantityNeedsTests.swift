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

/// A store of a few locations is searched, a larger one put in tables: the same locations are
/// found either way, also where names and ids repeat and some locations are inactive.
@Suite struct SmallStoreSearchTests {
    /// One store of a few locations with names and ids drawn from small sets (so they repeat),
    /// linked by name or by id, some to locations that do not exist; `padded` adds inactive
    /// locations no connection names, so that the store is too large to be searched.
    static func scenario(seed: UInt64, padded: Bool) -> Scenario {
        var random = SeededGenerator(seed: seed)
        var s = Scenario()
        for key in ["leeds", "york"] { s.warehouse(key) }
        let names = ["Dock", "Mill", "Yard", "Quay"]
        var locations = (0..<Int.random(in: 2...8, using: &random)).map { _ in
            location(names.randomElement(using: &random)!, id: "L\(Int.random(in: 0..<6, using: &random))", active: Int.random(in: 0..<4, using: &random) > 0)
        }
        if padded {
            locations += (0..<(QuantityNeeds.searchedLocations + 1)).map { location("Padding \($0)", id: "pad-\($0)", active: false) }
        }
        s.store("web", policy: .ignore, locations: locations)
        for _ in 0..<Int.random(in: 1...5, using: &random) {
            let byID = Bool.random(using: &random)
            s.link(
                "web", names.randomElement(using: &random)! + (Int.random(in: 0..<8, using: &random) == 0 ? " 2" : ""),
                to: ["leeds", "york"].randomElement(using: &random)!, master: Bool.random(using: &random) ? .store : .stockyard,
                id: byID ? "L\(Int.random(in: 0..<7, using: &random))" : nil)
        }
        return s
    }

    @Test func searchedAndTabledStoresFindTheSameLocations() {
        for seed in UInt64(1)...400 {
            let (small, large) = (Self.scenario(seed: seed, padded: false), Self.scenario(seed: seed, padded: true))
            let (a, b) = (small.plan(), large.plan())
            #expect(a.changes == b.changes, "seed \(seed)")
            // Messages of locations not found may list the store's names, padding included.
            #expect(a.diagnostics.map { [$0.rule.rawValue, "\($0.location)"] } == b.diagnostics.map { [$0.rule.rawValue, "\($0.location)"] }, "seed \(seed)")
            // Needs, against a state that has every link the other way round.
            var state = small
            state.absorb(a)
            for id in state.state.connections.keys { state.state.connections[id]!.master = state.state.connections[id]!.master == .store ? .stockyard : .store }
            for (s, name) in [(small, "small"), (large, "large")] {
                let needs = QuantityNeeds(config: s.config, state: state.state)
                let found = needs.needs(store: s.config.stores[0], locations: s.facts["web"]!.locations)
                let expected = QuantityNeeds(config: small.config, state: state.state).needs(
                    store: small.config.stores[0], locations: small.facts["web"]!.locations)
                #expect(found.locationIDs == expected.locationIDs && found.linkedWarehouses == expected.linkedWarehouses, "seed \(seed), \(name)")
            }
        }
    }
}
