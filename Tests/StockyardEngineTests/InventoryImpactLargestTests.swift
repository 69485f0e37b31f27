import StockyardEngine
import Testing

/// `largest` keeps the ten largest differences as it goes: the same ten, in the same order, as
/// sorting every change (largest first, then by SKU) and taking the first ten.
@Suite struct InventoryImpactLargestTests {
    @Test func largestIsTheFirstTenOfTheWholeSort() {
        var state: UInt64 = 11
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for count in [0, 1, 9, 10, 11, 50, 400] {
            // Few distinct sizes, so that ties are broken by SKU; SKUs in random order.
            let changes = (0..<count).map { InventoryImpact.SKUChange(sku: "S\(next(100_000))-\($0)", from: next(5), to: -next(5)) }
            let impact = InventoryImpact(overwritten: .location, changes: changes, onlyInWarehouse: 0, onlyAtLocation: 0)
            let reference = changes.sorted {
                let a = StockQuantity.magnitude($0.delta)
                let b = StockQuantity.magnitude($1.delta)
                return a != b ? a > b : $0.sku < $1.sku
            }.prefix(10)
            #expect(impact.largest == Array(reference))
        }
    }
}
