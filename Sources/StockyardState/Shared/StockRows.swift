import StockyardEngine

/// Stock rows of `(warehouse, sku, quantity)` gathered per warehouse, for every backend's reads:
/// a warehouse's rows in SKU order (the primary key's) make its numbers with no sort; rows in
/// another order, or a warehouse's rows in several runs, are sorted, and still right.
struct StockRows {
    private var skus: [String: [String]] = [:]
    private var units: [String: [Int]] = [:]
    /// The warehouse whose rows are being added.
    private(set) var current: String?
    private var currentSKUs: [String] = []
    private var currentUnits: [Int] = []

    /// The rows that follow are `warehouse`'s.
    mutating func start(_ warehouse: String) {
        if let current {
            if skus[current] == nil {
                skus[current] = currentSKUs
                units[current] = currentUnits
            } else {
                skus[current]! += currentSKUs
                units[current]! += currentUnits
            }
        }
        current = warehouse
        currentSKUs = []
        currentUnits = []
    }

    /// A row of the ``current`` warehouse.
    mutating func add(sku: String, quantity: Int) {
        currentSKUs.append(sku)
        currentUnits.append(quantity)
    }

    mutating func add(_ warehouse: String, _ sku: String, _ quantity: Int) {
        if warehouse != current { start(warehouse) }
        add(sku: sku, quantity: quantity)
    }

    /// Every warehouse's numbers.
    mutating func finished() -> [String: SKUNumbers] {
        if let current { start(current) }
        var out: [String: SKUNumbers] = [:]
        out.reserveCapacity(skus.count)
        for (warehouse, list) in skus { out[warehouse] = SKUNumbers(skus: list, units: units[warehouse]!) }
        return out
    }
}
