import Foundation

extension Synchronizer {
    /// One compute-commit-push round over what the followers are known to hold (`views`); returns
    /// the pushes a store refused because a sale landed (or an edit was made) since it was read.
    ///
    /// `bookkeeping` (read marks, marks of SKUs no longer stocked) is committed with the round's
    /// own stock, marks and journal, in one transaction.
    func round(
        warehouse: String, followers: [ConnectionRecord], countSales: Bool, views: inout [ConnectionRecord.ID: [String: Int]],
        bookkeeping: [StateMutation], working: WorkingState, report: inout Report
    ) async throws -> [PendingPush] {
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
        var journal: [PendingPush] = []
        for c in followers {
            let now = views[c.id]!
            let writes = now.keys.sorted().compactMap { sku -> QuantityWrite? in
                let current = now[sku] ?? 0
                let target = stock[sku] ?? 0
                return current == target ? nil : QuantityWrite(locationID: c.locationID, sku: sku, expected: current, quantity: target)
            }
            if !writes.isEmpty { journal.append(PendingPush(key: UUID().uuidString.lowercased(), store: c.store, locationID: c.locationID, writes: writes)) }
        }
        var mutations = bookkeeping
        let changedStock = stock.filter { before[$0.key] != $0.value }
        if !changedStock.isEmpty {
            mutations.append(.setStock(warehouse: warehouse, quantities: changedStock))
        }
        for (id, marks) in marksUpdate.sorted(by: { $0.key < $1.key }) { mutations.append(.setSyncMarks(id, quantities: marks)) }
        mutations += journal.map(StateMutation.addPendingPush)
        try await commit(mutations, to: working)
        report.soldUnits = StockQuantity.adding(report.soldUnits, sold)

        var refused: [PendingPush] = []
        for push in journal {
            if delayPerPush > .zero { try? await Task.sleep(for: delayPerPush) }
            guard let adapter = adapters[push.store] else { continue }
            let id = ConnectionRecord.ID(store: push.store, locationID: push.locationID)
            let outcome: WriteOutcome
            do {
                outcome = try await adapter.setQuantities(push.writes, idempotencyKey: push.key)
            } catch {
                // Left in the journal, unless nothing was written: the next sync replays it with the
                // same key. Either way the location is read in full next time.
                var after: [StateMutation] = []
                if (error as? StoreWriteError)?.nothingWritten == true { after.append(.removePendingPush(key: push.key)) }
                if let mark = working.readMark(of: id) { after.append(.setReadMark(mark.dueForFullRead)) }
                try await commit(after, to: working)
                throw SyncFailure(
                    store: push.store, message: "pushing to \(push.store) location \(push.locationID) failed: \(describeStoreError(error, store: push.store))")
            }
            // Marks only for what landed: a refused request wrote nothing, and its levels are read again.
            var landed: [String: Int] = [:]
            for w in outcome.written { landed[w.sku] = w.quantity }
            var mutations: [StateMutation] = [.removePendingPush(key: push.key)]
            if !landed.isEmpty { mutations.insert(.setSyncMarks(id, quantities: landed), at: 0) }
            try await commit(mutations, to: working)
            for (sku, quantity) in landed { views[id]?[sku] = quantity }
            report.pushes += landed.count
            report.stores[push.store, default: StoreTally()].pushed += landed.count
            if outcome.written.count != push.writes.count {
                let rest = push.writes.filter { w in !outcome.written.contains { $0.sku == w.sku } }
                refused.append(PendingPush(key: push.key, store: push.store, locationID: push.locationID, writes: rest))
            }
        }
        return refused
    }
}

extension ReadMark {
    /// The same mark, with its last full read far enough back that the next sync reads in full.
    var dueForFullRead: ReadMark {
        ReadMark(store: store, locationID: locationID, readThrough: readThrough, fullReadAt: Date(timeIntervalSince1970: 0))
    }
}
