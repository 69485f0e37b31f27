import StockyardEngine
import StockyardTestSupport
import Testing

/// `overwrite` walks both sides side by side, in SKU order:
/// the same impact as looking every SKU up on each side, SKUs sorted, for pulls and pushes, SKUs
/// on one side only, and sides that agree.
@Suite struct InventoryImpactOverwriteTests {
    @Test func overwriteMatchesTheSKUBySKUReference() {
        // Overlapping, differently ordered SKU sets with few distinct numbers, from the counters alone.
        func side(_ count: Int, _ step: Int, _ shift: Int) -> [String: Int] {
            var out: [String: Int] = [:]
            for i in 0..<count { out["SKU-\((i * step + shift) % 60)"] = (i * shift + step) % 4 }
            return out
        }
        for count in [0, 1, 5, 40, 200] {
            for variant in 0..<20 {
                let warehouse = side(count, 7, variant)
                let location = variant % 3 == 0 ? warehouse : side(count, 11, variant + 3)
                let pull = InventoryImpact.overwrite(.warehouse, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
                let push = InventoryImpact.overwrite(.location, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
                #expect(pull == reference(.warehouse, target: warehouse, source: location, warehouse: warehouse, location: location))
                #expect(push == reference(.location, target: location, source: warehouse, warehouse: warehouse, location: location))
            }
            // One side's SKUs all on the other side, with more there (and zeros only on one side).
            let all = side(count, 7, 1).merging(["ZERO": 0, "EXTRA": 3]) { a, _ in a }
            let some = all.filter { $0.value % 2 == 0 || $0.key == "EXTRA" }
            let allButOne = all.filter { $0.key != "EXTRA" }
            for (warehouse, location) in [(all, some), (some, all), (all, all), ([:], all), (all, [:]), (allButOne, all), (all, allButOne)] {
                let pull = InventoryImpact.overwrite(.warehouse, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
                let push = InventoryImpact.overwrite(.location, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
                #expect(pull == reference(.warehouse, target: warehouse, source: location, warehouse: warehouse, location: location))
                #expect(push == reference(.location, target: location, source: warehouse, warehouse: warehouse, location: location))
            }
        }
    }

    /// Random sides with SKUs of every kind (`SKUNumbersTests.sku`: long shared prefixes, NUL,
    /// non-ASCII, canonically equal spellings), each SKU on one side or both.
    @Test func overwriteOfRandomSidesMatchesTheReference() {
        var generator = SeededGenerator(seed: 13)
        for round in 0..<300 {
            var warehouse: [String: Int] = [:]
            var location: [String: Int] = [:]
            for _ in 0..<Int.random(in: 0...120, using: &generator) {
                let sku = SKUNumbersTests.sku(round, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: warehouse[sku] = Int.random(in: -2...3, using: &generator)
                case 1: location[sku] = Int.random(in: -2...3, using: &generator)
                default:
                    warehouse[sku] = Int.random(in: 0...3, using: &generator)
                    location[sku] = Int.random(in: 0...3, using: &generator)
                }
            }
            let pull = InventoryImpact.overwrite(.warehouse, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
            let push = InventoryImpact.overwrite(.location, warehouse: SKUNumbers(warehouse), location: SKUNumbers(location))
            #expect(pull == reference(.warehouse, target: warehouse, source: location, warehouse: warehouse, location: location), "round \(round)")
            #expect(push == reference(.location, target: location, source: warehouse, warehouse: warehouse, location: location), "round \(round)")
        }
    }

    /// Every SKU looked up on each side, one at a time.
    private func reference(
        _ side: InventoryImpact.Side, target: [String: Int], source: [String: Int], warehouse: [String: Int], location: [String: Int]
    ) -> InventoryImpact {
        var skus = Set(side == .location ? Array(location.keys) : Array(target.keys))
        if side != .location { skus.formUnion(source.keys) }
        var changes: [InventoryImpact.SKUChange] = []
        for sku in skus.sorted() where (target[sku] ?? 0) != (source[sku] ?? 0) {
            changes.append(InventoryImpact.SKUChange(sku: sku, from: target[sku] ?? 0, to: source[sku] ?? 0))
        }
        return InventoryImpact(
            overwritten: side, changes: changes, onlyInWarehouse: warehouse.keys.filter { location[$0] == nil }.count,
            onlyAtLocation: location.keys.filter { warehouse[$0] == nil }.count)
    }
}

/// An impact's one-line summary, for every count of changes and of SKUs on one side only (none,
/// one, several), on both sides.
@Suite struct InventoryImpactSummaryTests {
    @Test func summaryForEveryCountAndSide() {
        func plural(_ n: Int) -> String { n == 1 ? "SKU" : "SKUs" }
        for side in [InventoryImpact.Side.warehouse, .location] {
            for changed in [0, 1, 3] {
                for onlyInWarehouse in [0, 1, 2] {
                    for onlyAtLocation in [0, 1, 4] {
                        let changes = (0..<changed).map { InventoryImpact.SKUChange(sku: "S\($0)", from: $0, to: 2 * $0 + 1 - 3 * ($0 % 2)) }
                        let impact = InventoryImpact(overwritten: side, changes: changes, onlyInWarehouse: onlyInWarehouse, onlyAtLocation: onlyAtLocation)
                        var expected = [
                            "overwrites the \(side.rawValue): \(changed) \(plural(changed)) change, +\(impact.unitsUp) / -\(impact.unitsDown) units"
                        ]
                        if onlyInWarehouse > 0 {
                            let pronoun = onlyInWarehouse == 1 ? "it" : "them"
                            expected.append(
                                "\(onlyInWarehouse) \(plural(onlyInWarehouse)) only in the warehouse"
                                    + (side == .location ? " (the location does not stock \(pronoun): not pushed)" : ""))
                        }
                        if onlyAtLocation > 0 { expected.append("\(onlyAtLocation) \(plural(onlyAtLocation)) only at the location") }
                        let summary = changed == 0 ? "no numbers change (both sides already agree)" : expected.joined(separator: "; ")
                        #expect(impact.summary == summary, "\(side) \(changed) \(onlyInWarehouse) \(onlyAtLocation)")
                    }
                }
            }
        }
    }
}
