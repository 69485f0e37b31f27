import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// A count shared with `@Sendable` callbacks.
final class StepCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}

@Suite struct ApplyTests {
    @Test func applyThenPlanShowsNothing() async throws {
        let s = PlannerTests.twoStores()
        let store = InMemoryStateStore()
        let plan = s.plan()
        let report = await Applier(state: store).apply(plan, current: try store.load())
        #expect(report.succeeded)
        #expect(report.count(.applied) == plan.changes.count)
        var after = s
        after.state = try store.load()
        #expect(after.plan().changes.isEmpty)
        #expect(try store.history(limit: 100).count == plan.changes.count)
    }

    @Test func failedChangeSkipsItsDependentsButNotTheRest() async throws {
        let s = PlannerTests.twoStores()
        let store = InMemoryStateStore()
        store.failingAddresses = ["warehouse.leeds"]
        let report = await Applier(state: store).apply(s.plan(), current: try store.load())
        let outcomes = Dictionary(uniqueKeysWithValues: report.steps.map { ($0.change.address, $0.outcome) })
        #expect(outcomes["warehouse.leeds"] == .failed)
        #expect(outcomes["connection.us[\"Leeds warehouse\"]"] == .skipped)
        #expect(outcomes["connection.uk[\"Leeds DC\"]"] == .skipped)
        #expect(outcomes["connection.us[\"ShipBob\"]"] == .applied)
        #expect(!report.succeeded)
        // the next plan shows exactly what is left
        var after = s
        after.state = try store.load()
        #expect(after.plan().changes.map(\.address) == ["warehouse.leeds", "connection.us[\"Leeds warehouse\"]", "connection.uk[\"Leeds DC\"]"])
    }

    /// A pull that fails (the state's disk full, say) leaves its warehouse unfilled: the push from
    /// that warehouse is skipped, naming the pull, rather than reported "stale" as if a sale landed.
    @Test func aFailedPullSkipsThePushesFromItsWarehouse() async throws {
        var s = PlannerTests.twoStores()
        s.facts["us"]!.quantities = ["loc-leeds-warehouse": ["BEANS": 10]]
        s.facts["uk"]!.quantities = ["loc-leeds-dc": ["BEANS": 4]]
        let plan = s.plan()
        let pull = "connection.us[\"Leeds warehouse\"]"
        let push = "connection.uk[\"Leeds DC\"]"
        #expect(plan.changes.first { $0.address == push }?.dependsOn.contains(pull) == false)
        let store = InMemoryStateStore()
        store.failingAddresses = [pull]
        let us = FakeStoreAdapter(locations: s.facts["us"]!.locations, quantities: s.facts["us"]!.quantities.mapValues(\.dictionary))
        let uk = FakeStoreAdapter(locations: s.facts["uk"]!.locations, quantities: s.facts["uk"]!.quantities.mapValues(\.dictionary))
        let report = await Applier(state: store, adapters: ["us": us, "uk": uk]).apply(plan, current: try store.load())
        let steps = Dictionary(uniqueKeysWithValues: report.steps.map { ($0.change.address, $0) })
        #expect(steps[pull]?.outcome == .failed)
        #expect(steps[push]?.outcome == .skipped)
        #expect(steps[push]?.message == "skipped: \(pull) did not apply", "\(steps[push]?.message ?? "")")
        #expect(steps["connection.us[\"ShipBob\"]"]?.outcome == .applied)
        #expect(uk.quantity("BEANS", at: "loc-leeds-dc") == 4)
        #expect(uk.writeRequests == 0)
    }

    @Test func aStopRequestEndsTheApplyBetweenChanges() async throws {
        let s = PlannerTests.twoStores()
        let store = InMemoryStateStore()
        let plan = s.plan()
        let done = StepCount()
        var applier = Applier(state: store)
        applier.onStep = { _ in done.increment() }
        applier.shouldStop = { done.value >= 3 }
        let report = await applier.apply(plan, current: try store.load())
        #expect(report.count(.applied) == 3)
        #expect(report.notAttempted.map(\.address) == plan.changes.dropFirst(3).map(\.address))
        #expect(!report.succeeded)
        #expect(try store.history(limit: 100).count == 3)
    }

    @Test func staleObjectIsNamedAndUnrelatedChangesDoNotStale() throws {
        var s = PlannerTests.twoStores()
        s.absorb(s.plan())
        s.warehouses[0].name = "Leeds Fulfilment"
        let plan = s.plan()
        var changed = s.state
        changed.warehouses["shipbob"]!.name = "Renamed elsewhere"
        #expect(PlanGuard.staleness(of: plan, against: changed).isEmpty)
        changed.warehouses["leeds"]!.code = "LEE"
        let refusals = PlanGuard.staleness(of: plan, against: changed)
        #expect(refusals.count == 1)
        #expect(refusals.first?.message.contains("warehouse.leeds: changed since the plan (code: \"LDS\" -> \"LEE\")") == true)
    }

    @Test func createOfAnObjectSomeoneElseCreatedIsStaleUnlessIdentical() {
        let s = PlannerTests.twoStores()
        let plan = s.plan()
        var state = s.state
        state.warehouses["leeds"] = WarehouseRecord(key: "leeds", name: "Other", kind: .own)
        #expect(PlanGuard.staleness(of: plan, against: state).map(\.kind) == [.stale])
        state.warehouses["leeds"] = WarehouseRecord(key: "leeds", name: "Leeds", code: "LDS", kind: .own)
        #expect(PlanGuard.staleness(of: plan, against: state).isEmpty)
    }

    static func bigHub() -> Scenario {
        var s = Scenario()
        var locations: [StoreLocation] = []
        for i in 0..<12 {
            s.warehouse("w\(i)", kind: .thirdParty)
            locations.append(location("L\(i)"))
        }
        s.store("a", locations: locations)
        for i in 0..<12 { s.link("a", "L\(i)", to: "w\(i)", master: .store) }
        s.absorb(s.plan())
        return s
    }

    @Test func thresholdsRefuseLargeChangesUnlessAllowed() {
        var s = Self.bigHub()
        for i in 0..<8 { s.warehouses[i].name = "Changed \(i)" }
        let plan = s.plan()
        let refusals = PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(), options: .init())
        #expect(refusals.map(\.kind) == [.largeChange])
        #expect(refusals.first?.message.contains("updates 8 of 25 existing objects") == true)
        #expect(refusals.first?.message.contains("--allow-large-change") == true)
        #expect(PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(), options: .init(allowLargeChange: true)).isEmpty)
        #expect(PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(maxUpdatePercent: 50), options: .init()).isEmpty)
    }

    @Test func protectionSurvivesRemovingTheBlock() {
        var s = Self.bigHub()
        s.warehouses[0].protect = true
        s.absorb(s.plan())
        s.warehouses.removeFirst()
        s.stores[0].connections.removeFirst()
        let plan = s.plan()
        let refusals = PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(), options: .init(allowLargeChange: true))
        #expect(refusals.map(\.kind) == [.protected])
        #expect(refusals.first?.message.contains("warehouse.w0 is protected") == true)
        #expect(refusals.first?.message.contains("first apply `protect: false`") == true)
    }

    @Test func deletingAWarehouseWithStockNeedsPermission() {
        var s = Self.bigHub()
        s.state.stock["w0"] = ["SKU-1": 5, "SKU-2": 7]
        s.warehouses.removeFirst()
        s.stores[0].connections.removeFirst()
        let plan = s.plan()
        let refusals = PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(), options: .init())
        #expect(refusals.map(\.kind) == [.stockLoss])
        #expect(refusals.first?.message.contains("holds 12 units") == true)
        #expect(PlanGuard.safety(of: plan, state: s.state, thresholds: SafetyThresholds(), options: .init(allowStockLoss: true)).isEmpty)
    }

    @Test func rerunAfterAPartialApplySkipsWhatIsDone() async throws {
        let s = PlannerTests.twoStores()
        let store = InMemoryStateStore()
        let plan = s.plan()
        let partial = Plan(
            configFile: plan.configFile, configSHA256: plan.configSHA256, stateLineage: nil, changes: Array(plan.changes.prefix(3)), diagnostics: [])
        _ = await Applier(state: store).apply(partial, current: try store.load())
        let current = try store.load()
        #expect(PlanGuard.staleness(of: plan, against: current).isEmpty)
        let report = await Applier(state: store).apply(plan, current: current)
        #expect(report.count(.alreadyApplied) == 3)
        #expect(report.count(.applied) == plan.changes.count - 3)
    }
}
