import StockyardEngine
import StockyardTestSupport
import Testing

@Suite struct PlannerTests {
    /// Two stores sharing the Leeds building, and a 3PL kept on store master.
    static func twoStores() -> Scenario {
        var s = Scenario()
        s.warehouse("leeds", code: "LDS")
        s.warehouse("shipbob", kind: .thirdParty)
        s.store("us", locations: [location("Leeds warehouse", street: "1 Dock St"), location("ShipBob", fulfillment: true)])
        s.store("uk", locations: [location("Leeds DC", street: "1 Dock Street")])
        s.link("us", "Leeds warehouse", to: "leeds", master: .store, testingUntil: Day(year: 2027, month: 3, day: 31))
        s.link("us", "ShipBob", to: "shipbob", master: .store)
        s.link("uk", "Leeds DC", to: "leeds")
        // The trial set-up: us seeds Leeds, uk mirrors it. Its warning has tests of its own.
        s.lintIgnore = [.storeMasterShared]
        return s
    }

    @Test func emptyStateCreatesEverythingInDependencyOrder() {
        let plan = Self.twoStores().plan()
        #expect(plan.diagnostics.isEmpty)
        #expect(
            plan.changes.map(\.address) == [
                "store.uk", "store.us", "warehouse.leeds", "warehouse.shipbob",
                // pulls (store master) seed the warehouses before pushes (stockyard master)
                "connection.us[\"Leeds warehouse\"]", "connection.us[\"ShipBob\"]", "connection.uk[\"Leeds DC\"]",
            ])
        #expect(plan.changes.allSatisfy { $0.action == .create && $0.reason == .added })
        #expect(plan.summary == PlanSummary(create: 7))
        let link = plan.changes[6]
        #expect(link.dependsOn == ["store.uk", "warehouse.leeds"])
    }

    @Test func stockyardMasterIntoANewWarehouseOverwritesInventoryButStoreMasterIsSafe() {
        let plan = Self.twoStores().plan()
        let risks = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address, $0.risk) })
        #expect(risks["connection.uk[\"Leeds DC\"]"] == .inventoryOverwrite)
        #expect(risks["connection.us[\"Leeds warehouse\"]"] == .safe)
        #expect(risks["connection.us[\"ShipBob\"]"] == .safe)
        let note = plan.changes.first { $0.address == "connection.uk[\"Leeds DC\"]" }!.notes.joined()
        #expect(note.contains("new warehouse 'leeds', filled from us[\"Leeds warehouse\"]"))
    }

    @Test func pushingFromAnEmptyWarehouseWarns() throws {
        var s = Self.twoStores()
        s.stores[0].connections[0].master = .stockyard
        let plan = s.plan()
        let warnings = plan.diagnostics.filter { $0.rule == .pushFromEmptyWarehouse }
        #expect(warnings.count == 2)
        #expect(warnings[0].message.contains("would set the location's stock to 0"))
    }

    @Test func appliedPlanLeavesNothingToDo() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        let again = s.plan()
        #expect(again.changes.isEmpty)
    }

    @Test func samePlanForSameInputs() {
        let a = JSONPlanRenderer.render(Self.twoStores().plan())
        let b = JSONPlanRenderer.render(Self.twoStores().plan())
        #expect(a == b)
    }

    @Test func renameWithFormerlyMovesWithoutTouchingConnections() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.warehouses[0] = WarehouseSpec(key: "leeds-dc", name: "Leeds", code: "LDS", kind: .own, formerly: ["leeds"], location: s.warehouses[0].location)
        for i in s.stores.indices {
            for j in s.stores[i].connections.indices where s.stores[i].connections[j].warehouseKey == "leeds" {
                s.stores[i].connections[j].warehouseKey = "leeds-dc"
            }
        }
        let plan = s.plan()
        #expect(plan.changes.map(\.address) == ["warehouse.leeds-dc"])
        #expect(plan.changes[0].action == .move)
        #expect(plan.changes[0].reason == .renamed)
        #expect(plan.changes[0].fingerprint != nil)
    }

    /// A link waits for its warehouse's creation or move, never for an update of it, and for its
    /// store's change only when the store has one.
    @Test func aLinkDependsOnItsWarehousesMoveButNotOnItsUpdate() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.warehouses[0] = WarehouseSpec(key: "leeds-dc", name: "Leeds", code: "LDS", kind: .own, formerly: ["leeds"], location: s.warehouses[0].location)
        s.warehouses[1].name = "ShipBob Reno"
        for i in s.stores.indices {
            for j in s.stores[i].connections.indices {
                if s.stores[i].connections[j].warehouseKey == "leeds" { s.stores[i].connections[j].warehouseKey = "leeds-dc" }
            }
        }
        s.stores[1].connections[0].master = .store
        s.stores[0].connections[1].master = .stockyard
        let plan = s.plan()
        let changes = Dictionary(uniqueKeysWithValues: plan.changes.map { ($0.address, $0) })
        #expect(changes["warehouse.leeds-dc"]?.action == .move)
        #expect(changes["warehouse.shipbob"]?.action == .update)
        #expect(changes["connection.uk[\"Leeds DC\"]"]?.dependsOn == ["warehouse.leeds-dc"])
        #expect(changes["connection.us[\"ShipBob\"]"]?.dependsOn == [])
    }

    @Test func masterSwitchIsAnInventoryOverwritingUpdate() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.stores[0].connections[0].master = .stockyard
        let plan = s.plan()
        #expect(plan.changes.count == 1)
        #expect(plan.changes[0].action == .update)
        #expect(plan.changes[0].risk == .inventoryOverwrite)
        #expect(plan.changes[0].notes.contains("master switches from store to stockyard"))
    }

    @Test func removedConnectionsAndWarehousesAreDeletedUnlinksFirst() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.stores[0].connections.removeAll { $0.warehouseKey == "shipbob" }
        s.warehouses.removeAll { $0.key == "shipbob" }
        s.stores[0].unmanagedLocations = .ignore
        let plan = s.plan()
        #expect(plan.changes.map(\.address) == ["connection.us[\"ShipBob\"]", "warehouse.shipbob"])
        #expect(plan.changes.allSatisfy { $0.action == .delete && $0.risk == .destructive })
        #expect(plan.changes[1].dependsOn == ["connection.us[\"ShipBob\"]"])
    }

    @Test func locationNotFoundNamesTheNearest() throws {
        var s = Self.twoStores()
        s.stores[1].connections[0].locationName = "Leeds D.C."
        let plan = s.plan()
        let error = try #require(plan.diagnostics.first { $0.rule == .locationNotFound })
        #expect(error.message.contains("nearest: 'Leeds DC'"))
        #expect(plan.hasErrors)
    }

    @Test func pinnedIDSurvivesARenameInTheStore() {
        var s = Self.twoStores()
        s.stores[1].connections[0].locationID = "loc-leeds-dc"
        s.absorb(s.plan())
        s.facts["uk"]!.locations[0].name = "Leeds Distribution"
        let plan = s.plan()
        #expect(plan.diagnostics.isEmpty)
        #expect(plan.changes.isEmpty)
    }

    @Test func inactiveLocationIsAnError() {
        var s = Self.twoStores()
        s.facts["uk"]!.locations[0].isActive = false
        #expect(s.plan().diagnostics.map(\.rule).contains(.locationInactive))
    }

    @Test func aStoreWithAConnectionLeftUnresolvedKeepsEveryConnection() {
        for unresolved in ["inactive", "missing", "linked twice"] {
            var s = Self.twoStores()
            s.absorb(s.plan())
            switch unresolved {
            case "inactive": s.facts["uk"]!.locations[0].isActive = false
            case "missing": s.stores[1].connections[0].locationName = "Nowhere"
            default: s.link("uk", "Another name", to: "leeds", id: "loc-leeds-dc")
            }
            let plan = s.plan()
            #expect(plan.hasErrors, "\(unresolved)")
            #expect(!plan.changes.contains { $0.action == .delete }, "\(unresolved): never delete because of what could not be seen")
        }
    }

    @Test func sameLocationByNameAndByIDIsAnError() {
        var s = Self.twoStores()
        s.facts["uk"]!.locations.append(location("Spare"))
        s.link("uk", "Another name", to: "leeds", id: "loc-leeds-dc")
        #expect(s.plan().diagnostics.map(\.rule).contains(.duplicateLocation))
    }

    @Test func unmanagedLocationsFollowThePolicy() {
        var s = Self.twoStores()
        s.facts["uk"]!.locations.append(location("Pop-up"))
        #expect(s.plan().diagnostics.map(\.rule) == [.unmanagedLocation])
        #expect(s.plan().diagnostics[0].severity == .warning)
        s.stores[1].unmanagedLocations = .error
        #expect(s.plan().diagnostics[0].severity == .error)
        s.stores[1].unmanagedLocations = .ignore
        #expect(s.plan().diagnostics.isEmpty)
    }

    @Test func fulfillmentServiceOnOwnWarehouseWarns() {
        var s = Self.twoStores()
        s.stores[0].connections[1].warehouseKey = "leeds"
        s.stores[0].connections[1].master = .stockyard
        #expect(s.plan().diagnostics.map(\.rule).contains(.fulfillmentServiceOnOwn))
    }

    @Test func sameAddressOnDifferentWarehousesWarnsNamingTheOther() throws {
        var s = Self.twoStores()
        s.warehouse("leeds-2")
        s.stores[1].connections[0].warehouseKey = "leeds-2"
        let warning = try #require(s.plan().diagnostics.first { $0.rule == .sharedAddress })
        #expect(warning.message.contains("links to warehouse 'leeds'"))
        #expect(warning.message.contains("uk[\"Leeds DC\"]"))
    }

    @Test func unreadableStoreKeepsItsConnections() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.stores[1].connections.removeAll()
        var readings = s.readings
        readings["uk"] = .failed(message: "connection refused", location: nil)
        let plan = Planner.plan(Planner.Input(config: s.config, state: s.state, stores: readings, today: Scenario.today))
        #expect(plan.diagnostics.map(\.rule) == [.storeUnreadable])
        #expect(!plan.changes.contains { $0.kind == .connection })
    }

    @Test func vanishedLocationIsDrift() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.stores[1].connections.removeAll()
        s.facts["uk"]!.locations.removeAll()
        let plan = s.plan()
        #expect(plan.changes.map(\.reason) == [.drift])
    }

    @Test func selectedStoresLeaveOthersAlone() {
        let plan = Self.twoStores().plan(selected: ["uk"])
        #expect(!plan.changes.contains { $0.store == "us" })
        #expect(plan.changes.contains { $0.address == "store.uk" })
    }

    @Test func protectingAConnectionIsAnUpdate() {
        var s = Self.twoStores()
        s.absorb(s.plan())
        s.stores[1].connections[0].protect = true
        let plan = s.plan()
        #expect(plan.changes.map(\.address) == ["connection.uk[\"Leeds DC\"]"])
        #expect(plan.changes.first?.action == .update)
        #expect(plan.changes.first?.notes == ["protected from deletion"])
    }

    @Test func aPinnedLocationRenamedInTheConfigIsAnUpdate() {
        var s = Self.twoStores()
        s.stores[1].connections[0].locationID = "loc-leeds-dc"
        s.absorb(s.plan())
        s.facts["uk"]!.locations[0].name = "Leeds Distribution"
        s.stores[1].connections[0].locationName = "Leeds Distribution"
        let plan = s.plan()
        #expect(plan.changes.map(\.action) == [.update])
        #expect(plan.changes.first?.notes == ["renamed from 'Leeds DC'"])
    }

    /// Enough connections that the state is searched in parts on every core: each kind of
    /// change is found where it is, and nothing else changes.
    @Test func everyChangedConnectionOfAThousandsIsFound() {
        var s = Scenario()
        s.warehouse("a")
        s.warehouse("b")
        let count = 9_000
        s.store("big", locations: (0..<count).map { location("L\($0)", id: "id-\($0)") })
        for i in 0..<count { s.link("big", "L\(i)", to: i.isMultiple(of: 2) ? "a" : "b", id: "id-\(i)") }
        s.absorb(s.plan())
        #expect(s.plan().changes.isEmpty)
        var expected: [String: String] = [:]
        for i in stride(from: 5, to: count, by: 1_013) {
            s.stores[0].connections[i].protect = true
            expected["connection.big[\"L\(i)\"]"] = "protected from deletion"
        }
        for i in stride(from: 7, to: count, by: 997) {
            s.facts["big"]!.locations[i].name = "M\(i)"
            s.stores[0].connections[i].locationName = "M\(i)"
            expected["connection.big[\"M\(i)\"]"] = "renamed from 'L\(i)'"
        }
        for i in stride(from: 11, to: count, by: 1_009) {
            s.stores[0].connections[i].master = .store
            expected["connection.big[\"L\(i)\"]"] = "master switches from stockyard to store"
        }
        let plan = s.plan()
        #expect(plan.changes.allSatisfy { $0.action == .update })
        #expect(Set(plan.changes.map(\.address)) == Set(expected.keys))
        for change in plan.changes {
            #expect(change.notes.contains(expected[change.address] ?? "-"), "\(change.address): \(change.notes)")
        }
        // Every other connection shares a warehouse with a changed one: the neighbourhood, by id.
        let ids = plan.neighbourhood.connections.map(\.id)
        #expect(ids.count == count - expected.count)
        #expect(ids == ids.sorted())
        #expect(Set(ids.map(\.locationID)).count == ids.count)
    }

    @Test func protectionIsKeptWhenTheConfigIsSilent() {
        var s = Self.twoStores()
        s.warehouses[0].protect = true
        s.absorb(s.plan())
        s.warehouses[0].protect = nil
        #expect(s.plan().changes.isEmpty)
        #expect(s.state.warehouses["leeds"]?.protect == true)
    }

    /// A push's impact compares the location with its warehouse's stock as the pulls before it
    /// leave it: the state's stock under a renamed warehouse's new key, a pull in between, and a
    /// warehouse the config does not define (its plan has an error, but the impact is still shown).
    @Test func aPushSeesItsWarehousesStockAsThePullsBeforeItLeaveIt() throws {
        var s = Scenario()
        s.warehouse("leeds", formerly: ["old-leeds"])
        s.store("us", locations: [location("A"), location("B"), location("C")])
        s.store("uk", locations: [location("D"), location("E")])
        s.state.warehouses["old-leeds"] = WarehouseRecord(key: "old-leeds", name: "Old Leeds", kind: .own)
        s.state.stock["old-leeds"] = ["SKU-1": 7, "SKU-2": 1]
        s.link("uk", "D", to: "leeds", master: .stockyard)  // sees the state's stock under the new key
        s.link("us", "A", to: "ghost", master: .store)  // fills the undefined warehouse
        s.link("us", "B", to: "ghost", master: .stockyard)  // sees what A pulled
        s.link("uk", "E", to: "elsewhere", master: .stockyard)  // undefined and never filled
        s.facts["us"]!.quantities = ["loc-a": ["SKU-1": 5], "loc-b": ["SKU-1": 2]]
        s.facts["uk"]!.quantities = ["loc-d": ["SKU-1": 3, "SKU-2": 1], "loc-e": ["SKU-1": 4]]
        let plan = s.plan()
        #expect(plan.diagnostics.filter { $0.rule == .undefinedWarehouse }.count == 3)  // one per link
        func impact(_ address: String) throws -> InventoryImpact {
            try #require(plan.changes.first { $0.address == address }?.impact)
        }
        #expect(try impact("connection.uk[\"D\"]").changes == [InventoryImpact.SKUChange(sku: "SKU-1", from: 3, to: 7)])
        #expect(try impact("connection.us[\"A\"]").changes == [InventoryImpact.SKUChange(sku: "SKU-1", from: 0, to: 5)])
        #expect(try impact("connection.us[\"B\"]").changes == [InventoryImpact.SKUChange(sku: "SKU-1", from: 2, to: 5)])
        #expect(try impact("connection.uk[\"E\"]").changes == [InventoryImpact.SKUChange(sku: "SKU-1", from: 4, to: 0)])
    }
    /// The warehouses' changes come in key order whatever order the config lists them in, and
    /// those the state has that the config neither keeps nor renames are deleted, whether or not
    /// the config keeps all the others.
    @Test func warehousesInKeyOrderAndTheStatesOthersDeleted() {
        let keys = (0..<3000).map { "w\(String($0, radix: 7))" }
        var listed: [[String]] = [keys.sorted(), keys.sorted().reversed()]
        var generator = SeededGenerator(seed: 11)
        listed.append(keys.shuffled(using: &generator))
        var plans: [Plan] = []
        for order in listed {
            var s = Scenario()
            for key in order { s.warehouse(key) }
            s.warehouse("moved", formerly: ["gone-but-renamed"])
            for key in ["w1", "w2", "gone-but-renamed", "gone"] {
                s.state.warehouses[key] = WarehouseRecord(key: key, name: key == "w2" ? "Old" : key.capitalized, kind: .own)
            }
            let plan = s.plan()
            let warehouseChanges = plan.changes.filter { $0.kind == .warehouse && $0.action != .delete }
            #expect(warehouseChanges.map(\.warehouse!) == (keys + ["moved"]).filter { $0 != "w1" }.sorted())
            #expect(plan.changes.filter { $0.action == .delete }.map(\.address) == ["warehouse.gone"])
            // Nothing to delete when the config keeps or renames every warehouse the state has.
            s.state.warehouses["gone"] = nil
            #expect(!s.plan().changes.contains { $0.action == .delete })
            plans.append(plan)
        }
        #expect(plans.dropFirst().allSatisfy { $0.changes == plans[0].changes })
    }
}
