import StockyardEngine
import StockyardTestSupport
import Testing

/// `PlanGuard.conformance`: a saved plan may only be what planning again gives, or a part of it.
@Suite struct PlanConformanceTests {
    @Test func thePlanItselfAndAnyPartOfItConform() {
        let s = PlannerTests.twoStores()
        let plan = s.plan()
        #expect(PlanGuard.conformance(of: plan, to: plan, state: s.state).isEmpty)
        var part = plan
        part.changes = plan.changes.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        #expect(PlanGuard.conformance(of: part, to: plan, state: s.state).isEmpty)
    }

    @Test func aChangeNotPlannedIsRefused() {
        var s = PlannerTests.twoStores()
        s.absorb(s.plan())
        let fresh = s.plan()
        #expect(fresh.changes.isEmpty)
        // A real change, from another config: delete a warehouse this config keeps.
        var other = s
        other.warehouses[0].name = "Leeds Elsewhere"
        var saved = fresh
        saved.changes = other.plan().changes
        let refusals = PlanGuard.conformance(of: saved, to: fresh, state: s.state)
        #expect(refusals.map(\.kind) == [.invalidPlan])
        #expect(refusals.first?.message.hasPrefix("warehouse.leeds: the plan holds this update, which the config") == true)
    }

    @Test func aPlannedChangeWithAnotherObjectOrActionIsRefused() throws {
        let s = PlannerTests.twoStores()
        let plan = s.plan()
        let index = try #require(plan.changes.firstIndex { $0.kind == .warehouse })
        let edits: [(String, (inout Change) -> Void)] = [
            (
                "after",
                { change in
                    if case .warehouse(var w)? = change.after {
                        w.name = "Forged"
                        change.after = .warehouse(w)
                    }
                }
            ),
            ("action move, planned create", { change in change.action = .move }),
        ]
        for (field, edit) in edits {
            var saved = plan
            edit(&saved.changes[index])
            let refusals = PlanGuard.conformance(of: saved, to: plan, state: s.state)
            #expect(refusals.count == 1)
            #expect(refusals.first?.message.contains("(\(field))") == true, "\(refusals)")
        }
    }

    @Test func changesOutOfOrderAreRefused() {
        let s = PlannerTests.twoStores()
        let plan = s.plan()
        var saved = plan
        saved.changes.reverse()
        #expect(PlanGuard.conformance(of: saved, to: plan, state: s.state).contains { $0.message.contains("against the order apply needs") })
    }

    @Test func changesAlreadyAppliedOrStaleAreLeftToTheirOwnChecks() {
        var s = PlannerTests.twoStores()
        let plan = s.plan()
        s.absorb(plan)
        // All applied: planning again gives nothing, and the saved plan is a rerun, not a forgery.
        #expect(s.plan().changes.isEmpty)
        #expect(PlanGuard.conformance(of: plan, to: s.plan(), state: s.state).isEmpty)
    }
}
