extension Synchronizer.Report {
    /// Adds what one warehouse's sync found.
    mutating func absorb(_ other: Synchronizer.Report) {
        pulledUnits = StockQuantity.adding(pulledUnits, other.pulledUnits)
        soldUnits = StockQuantity.adding(soldUnits, other.soldUnits)
        pushes += other.pushes
        conflicts += other.conflicts
        overridden += other.overridden
        failures += other.failures
        notes += other.notes
        fullReads += other.fullReads
        incrementalReads += other.incrementalReads
        missedChanges += other.missedChanges
        for (store, tally) in other.stores {
            var mine = stores[store, default: Synchronizer.StoreTally()]
            mine.connections += tally.connections
            mine.sold = StockQuantity.adding(mine.sold, tally.sold)
            mine.pushed += tally.pushed
            mine.pulled = StockQuantity.adding(mine.pulled, tally.pulled)
            stores[store] = mine
        }
    }
}
