import Foundation

extension Synchronizer {
    /// What became of one warehouse's writes in a push phase.
    struct Delivery: Sendable {
        /// Numbers that landed, per store.
        var pushed: [String: Int] = [:]
        /// Writes that did not land, per store.
        var unlanded: [String: [QuantityWrite]] = [:]
        /// Of those, the levels to read again before the next round, per store: the writes the
        /// store refused, not the ones it turned away with them (a request is all or nothing).
        var reRead: [String: [QuantityWrite]] = [:]
        var failure: SyncFailure?

        mutating func merge(_ other: Delivery) {
            pushed.merge(other.pushed, uniquingKeysWith: +)
            unlanded.merge(other.unlanded, uniquingKeysWith: +)
            reRead.merge(other.reRead, uniquingKeysWith: +)
            failure = failure ?? other.failure
        }
    }

    /// One level of one store, to match a store's answer to the writes sent.
    private struct Level: Hashable {
        var locationID: String
        var sku: String
        init(_ w: QuantityWrite) { (locationID, sku) = (w.locationID, w.sku) }
    }

    /// Pushes the writes of every warehouse's round, store by store, in requests of at most
    /// ``pushBatch`` writes that span the store's locations and the warehouses (one request costs
    /// Shopify the same points whatever its size, and rewrites a whole `file` store). Stores are
    /// pushed side by side; a store's requests go one after another. Each request is journaled
    /// before it is sent, under the idempotency key it is sent with, and cleared with the marks of
    /// what landed. Returns, per turn (in the order given), what became of its writes.
    func push(_ turns: [WarehouseTurn], working: WorkingState) async throws -> [Delivery] {
        var byStore: [String: [(turn: Int, write: QuantityWrite)]] = [:]
        for (i, turn) in turns.enumerated() {
            for (store, writes) in turn.writes { byStore[store, default: []] += writes.map { (i, $0) } }
        }
        var parts: [String: [Int: Delivery]] = [:]
        let stores = byStore.keys.sorted()
        // As many stores at once as warehouses are read at once: a hub of thousands of stores
        // does not open thousands of connections together.
        try await withThrowingTaskGroup(of: (String, [Int: Delivery]).self) { group in
            var next = 0
            func launch() {
                guard next < stores.count else { return }
                let store = stores[next]
                let writes = byStore[store]!
                next += 1
                group.addTask {
                    var out: [Int: Delivery] = [:]
                    guard let adapter = adapters[store] else { return (store, out) }
                    let size = max(1, pushBatch)
                    for start in stride(from: 0, to: writes.count, by: size) {
                        let chunk = Array(writes[start..<min(start + size, writes.count)])
                        guard try await send(chunk, to: store, adapter: adapter, working: working, into: &out) else {
                            // The store failed a request: the rest of its writes wait for the next run,
                            // which finds them again (the marks say what its locations held).
                            for (turn, locations) in Self.locationsByTurn(Array(writes.dropFirst(start + size))) where out[turn]?.failure == nil {
                                out[turn, default: Delivery()].failure = SyncFailure(
                                    store: store,
                                    message: "\(store) \(InventoryMover.describeLocations(locations)) not pushed: an earlier request to \(store) failed")
                            }
                            break
                        }
                    }
                    return (store, out)
                }
            }
            for _ in 0..<max(1, warehouseConcurrency) { launch() }
            while let (store, part) = try await group.next() {
                parts[store] = part
                launch()
            }
        }
        // Merged in store order, so that a report does not depend on which store answered first.
        var deliveries = [Delivery](repeating: Delivery(), count: turns.count)
        for store in stores {
            for (i, delivery) in parts[store] ?? [:] { deliveries[i].merge(delivery) }
        }
        return deliveries
    }

    /// Sends one request: journaled first, then written, then its marks committed. Returns false
    /// when the store failed it (the store's later requests are not sent this run).
    @discardableResult
    private func send(
        _ chunk: [(turn: Int, write: QuantityWrite)], to store: String, adapter: any StoreAdapter, working: WorkingState, into out: inout [Int: Delivery]
    ) async throws -> Bool {
        if delayPerPush > .zero { try? await Task.sleep(for: delayPerPush) }
        let writes = chunk.map(\.write)
        // `locationID` holds the first write's location; the writes name every location.
        let push = PendingPush(key: UUID().uuidString.lowercased(), store: store, locationID: writes[0].locationID, writes: writes)
        try await commit([.addPendingPush(push)], to: working)
        let outcome: WriteOutcome
        do {
            outcome = try await adapter.setQuantities(writes, idempotencyKey: push.key)
        } catch {
            let nothingWritten = (error as? StoreWriteError)?.nothingWritten == true
            let ids = push.locationIDs
            if nothingWritten && ids.count > 1 && (error as? StoreWriteError)?.concernsTheWholeStore != true {
                // Untouched, and most likely one location's trouble (a SKU it stopped stocking since
                // it was read): each location's writes go alone, so that only its warehouse fails.
                try await commit([.removePendingPush(key: push.key)], to: working)
                for id in ids { try await send(chunk.filter { $0.write.locationID == id }, to: store, adapter: adapter, working: working, into: &out) }
                return true
            }
            // Left in the journal, unless nothing was written: the next sync replays it with the
            // same key. Either way every location it wrote to is read in full next time.
            var after: [StateMutation] = []
            if nothingWritten { after.append(.removePendingPush(key: push.key)) }
            for id in ids {
                if let mark = working.readMark(of: ConnectionRecord.ID(store: store, locationID: id)) { after.append(.setReadMark(mark.dueForFullRead)) }
            }
            try await commit(after, to: working)
            let detail = describeStoreError(error, store: store)
            for (turn, locations) in Self.locationsByTurn(chunk) where out[turn]?.failure == nil {
                out[turn, default: Delivery()].failure = SyncFailure(
                    store: store, message: "pushing to \(store) \(InventoryMover.describeLocations(locations)) failed: \(detail)")
            }
            return false
        }
        // Marks only for what landed, per location: a refused request wrote nothing, and its
        // levels are read again.
        var landed: [String: [String: Int]] = [:]
        for w in outcome.written { landed[w.locationID, default: [:]][w.sku] = w.quantity }
        var mutations: [StateMutation] = landed.sorted { $0.key < $1.key }.map {
            .setSyncMarks(ConnectionRecord.ID(store: store, locationID: $0.key), quantities: $0.value)
        }
        mutations.append(.removePendingPush(key: push.key))
        try await commit(mutations, to: working)
        let written = Set(outcome.written.map(Level.init))
        let refused = Set(outcome.refused.map(Level.init))
        // Refused whole for some warehouses' stale numbers: the others' writes were turned away
        // only because they shared the request, so they go again at once, in a request of their
        // own (the refusing warehouses read again and go in their next round).
        if outcome.written.isEmpty, !refused.isEmpty {
            let refusing = Set(chunk.filter { refused.contains(Level($0.write)) }.map(\.turn))
            let bystanders = chunk.filter { !refusing.contains($0.turn) }
            if !refusing.isEmpty, !bystanders.isEmpty {
                for (turn, write) in chunk where refusing.contains(turn) {
                    out[turn, default: Delivery()].unlanded[store, default: []].append(write)
                    if refused.contains(Level(write)) { out[turn, default: Delivery()].reRead[store, default: []].append(write) }
                }
                return try await send(bystanders, to: store, adapter: adapter, working: working, into: &out)
            }
        }
        for (turn, write) in chunk {
            var delivery = out[turn, default: Delivery()]
            if written.contains(Level(write)) {
                delivery.pushed[store, default: 0] += 1
            } else {
                delivery.unlanded[store, default: []].append(write)
                // A store that names no refused write leaves any of them in doubt.
                if refused.isEmpty || refused.contains(Level(write)) { delivery.reRead[store, default: []].append(write) }
            }
            out[turn] = delivery
        }
        return true
    }

    /// The locations of each turn's writes in a request, in order.
    private static func locationsByTurn(_ chunk: [(turn: Int, write: QuantityWrite)]) -> [(Int, [String])] {
        var order: [Int] = []
        var locations: [Int: [String]] = [:]
        for (turn, write) in chunk {
            if locations[turn] == nil { order.append(turn) }
            if !(locations[turn] ?? []).contains(write.locationID) { locations[turn, default: []].append(write.locationID) }
        }
        return order.map { ($0, locations[$0]!) }
    }
}
