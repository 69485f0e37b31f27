import StockyardEngine
import Testing

@testable import StockyardCLI

/// Small parts of the plan service: which stores a selection reads, and how many stock numbers a
/// plan was made from (which decides whether they are freed beside the output or kept to the exit).
@Suite struct PlanServicePartsTests {
    static func store(_ key: String) -> StoreSpec {
        StoreSpec(key: key, platform: .file, path: "\(key).json", location: SourceLocation(file: "stockyard.yaml", line: 1, column: 1))
    }

    @Test func everyStoreInConfigOrderWithoutASelectionAndOnlyTheChosenWithOne() {
        let config = DesiredConfig(file: "stockyard.yaml", sha256: "", stores: [Self.store("web"), Self.store("pos"), Self.store("eu")])
        #expect(PlanService.chosenStores(config, nil).map(\.key) == ["web", "pos", "eu"])
        #expect(PlanService.chosenStores(config, ["eu", "web"]).map(\.key) == ["web", "eu"])
        #expect(PlanService.chosenStores(config, []).isEmpty)
    }

    @Test func numbersHeldCountsTheStateStockAndEveryReadLocationsNumbers() {
        var state = HubState()
        state.stock = ["leeds": ["A": 1, "B": 0], "york": [:], "hull": ["A": 5]]
        let readings: [String: StoreReading] = [
            "web": .read(StoreFacts(storeKey: "web", locations: [], quantities: ["l1": ["A": 1, "B": 2, "C": 3], "l2": [:]])),
            "pos": .read(StoreFacts(storeKey: "pos", locations: [], quantities: ["l3": ["A": 7]])),
            "eu": .failed(message: "unreadable", location: nil),
        ]
        #expect(PlanService.numbersHeld(by: (state, readings)) == 3 + 4)
        #expect(PlanService.numbersHeld(by: (HubState(), [:])) == 0)
    }
}
