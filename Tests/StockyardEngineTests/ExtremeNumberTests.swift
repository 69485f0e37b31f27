import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// Numbers at the ends of `Int` reached the engine from store files, plan files and the state, and
/// trapped in sums and differences. Readers now refuse them; the engine must not trap on them either.
@Suite struct ExtremeNumberTests {
    @Test func anImpactBetweenTheEndsOfIntDoesNotTrap() {
        let impact = InventoryImpact.overwrite(
            .location, warehouse: ["A": Int.max, "B": Int.min, "C": Int.max], location: ["A": Int.min, "B": Int.max, "C": 0])
        #expect(impact.changes.map(\.delta) == [Int.max, Int.min, Int.max])
        #expect(impact.unitsUp == Int.max)
        #expect(impact.unitsDown == Int.max)
        #expect(impact.largest.map(\.sku) == ["A", "B", "C"])
        #expect(impact.summary.hasPrefix("overwrites the location: 3 SKUs change, +\(Int.max) / -\(Int.max) units"))
    }

    @Test func aWarehouseHoldingTheEndsOfIntCountsWithoutTrapping() {
        var state = HubState()
        state.stock["leeds"] = ["A": Int.max, "B": Int.max, "C": Int.min]
        #expect(state.units(in: "leeds") == Int.max)
    }

    @Test func savedPlansWithExtremeImpactsRenderInEveryFormat() throws {
        var s = PlannerTests.twoStores()
        s.facts["uk"]!.quantities = [s.facts["uk"]!.locations[0].id: ["A": Int.max, "B": Int.min]]
        s.stores[1].connections[0].master = .stockyard
        s.state.stock["leeds"] = ["A": Int.min, "B": Int.max]
        let plan = s.plan()
        for format in [PlanFormat.text, .json, .markdown] {
            #expect(!PlanRenderer.render(plan, as: format).isEmpty)
        }
    }

    @Test func saturatingArithmetic() {
        #expect(StockQuantity.adding(Int.max, 1) == Int.max)
        #expect(StockQuantity.adding(Int.min, -1) == Int.min)
        #expect(StockQuantity.subtracting(Int.min, 1) == Int.min)
        #expect(StockQuantity.subtracting(Int.max, -1) == Int.max)
        #expect(StockQuantity.magnitude(Int.min) == Int.max)
        #expect(StockQuantity.sum([Int.max, Int.max, -5]) == Int.max - 5)
        #expect(StockQuantity.isValid(1_000_000_000) && !StockQuantity.isValid(1_000_000_001) && !StockQuantity.isValid(-1_000_000_001))
    }
}
