import Foundation

extension Synchronizer {
    /// One compute-commit round over what the followers are known to hold (`views`): the sales
    /// are taken off the warehouse, and the marks and `bookkeeping` (read marks, marks of SKUs no
    /// longer stocked) committed with the new stock in one transaction. Returns the writes that
    /// bring every follower to the warehouse's numbers, by store, for ``push(_:working:)`` to
    /// batch with the other warehouses' writes.
    ///
    /// Nothing is journaled here: the journal holds what is sent, and a batch is journaled when it
    /// is sent. A crash in between leaves marks that say what each location held when read and a
    /// warehouse without those sales: the next run reads the same numbers (or newer ones), finds no
    /// sale twice, and computes the same writes again.
    func round(
        warehouse: String, followers: [ConnectionRecord], countSales: Bool, views: [ConnectionRecord.ID: [String: Int]],
        bookkeeping: [StateMutation], working: WorkingState, report: inout Report
    ) async throws -> [String: [QuantityWrite]] {
        let before = working.stock(of: warehouse)
        var stock = before
        var marksUpdate: [ConnectionRecord.ID: [String: Int]] = [:]
        var sold = 0
        for c in followers {
            let now = views[c.id]!
            let marks = working.syncMarks(of: c.id)
            // Only the SKUs the location stocks: one it does not carry (or stopped carrying) is no
            // sale, and cannot be written there.
            for (sku, current) in now {
                guard let mark = marks[sku] else {
                    // Newly stocked here: its number is the starting point, not a sale or an edit.
                    marksUpdate[c.id, default: [:]][sku] = current
                    continue
                }
                guard current != mark else { continue }
                if countSales && current < mark {
                    let units = StockQuantity.subtracting(mark, current)
                    let left = StockQuantity.subtracting(stock[sku] ?? 0, units)
                    guard StockQuantity.isValid(left) else {
                        throw SyncFailure(
                            store: c.store,
                            message:
                                "warehouse '\(warehouse)': \(sku) would fall to \(left) after \(units) sold at \(c.displayName), beyond \(StockQuantity.rangeText); correct the warehouse's number"
                        )
                    }
                    stock[sku] = left
                    sold = StockQuantity.adding(sold, units)
                    report.stores[c.store, default: StoreTally()].sold = StockQuantity.adding(report.stores[c.store, default: StoreTally()].sold, units)
                } else if current > mark {
                    report.overridden.append(
                        .init(
                            store: c.store,
                            message: "\(c.displayName) \(sku): \(mark) -> \(current) was edited in the store; the warehouse's number overrides it"))
                }
                marksUpdate[c.id, default: [:]][sku] = current
            }
        }
        var writes: [String: [QuantityWrite]] = [:]
        for c in followers {
            let now = views[c.id]!
            for sku in now.keys.sorted() {
                let current = now[sku] ?? 0
                let target = stock[sku] ?? 0
                if current != target {
                    writes[c.store, default: []].append(QuantityWrite(locationID: c.locationID, sku: sku, expected: current, quantity: target))
                }
            }
        }
        var mutations = bookkeeping
        let changedStock = stock.filter { before[$0.key] != $0.value }
        if !changedStock.isEmpty {
            mutations.append(.setStock(warehouse: warehouse, quantities: changedStock))
        }
        for (id, marks) in marksUpdate.sorted(by: { $0.key < $1.key }) { mutations.append(.setSyncMarks(id, quantities: marks)) }
        try await commit(mutations, to: working)
        report.soldUnits = StockQuantity.adding(report.soldUnits, sold)
        return writes
    }
}

extension ReadMark {
    /// The same mark, with its last full read far enough back that the next sync reads in full.
    var dueForFullRead: ReadMark {
        ReadMark(store: store, locationID: locationID, readThrough: readThrough, fullReadAt: Date(timeIntervalSince1970: 0))
    }
}
