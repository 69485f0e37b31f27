import Foundation

/// Carries out the inventory side of a connection change: the pull or push its impact describes,
/// compare-and-set, journaled so a crash between the store write and the state commit can be resolved.
struct InventoryMover: Sendable {
    let state: any StateStore
    let adapters: [String: any StoreAdapter]

    enum Failure: Error, CustomStringConvertible {
        case stale(String)
        case store(String)

        var description: String {
            switch self {
            case .stale(let m): return "stale: \(m)"
            case .store(let m): return m
            }
        }
    }

    /// The mutations that complete the change, after any store write it needed has landed.
    func carryOut(_ change: Change, record: ConnectionRecord, impact: InventoryImpact, working: HubState, planID: String) async throws -> [StateMutation] {
        guard let adapter = adapters[record.store] else {
            throw Failure.store("no adapter for store '\(record.store)'")
        }
        let now: [String: Int]
        do {
            now = try await adapter.quantities(at: [record.locationID])[record.locationID] ?? [:]
        } catch {
            throw Failure.store("store '\(record.store)' could not be read: \(describeStoreError(error, store: record.store))")
        }
        let stock = working.stock[record.warehouse] ?? [:]
        switch impact.overwritten {
        case .warehouse:
            let moved = impact.changes.filter { (now[$0.sku] ?? 0) != $0.to }
            if let first = moved.first {
                throw Failure.stale("\(record.displayName) now has \(first.sku) = \(now[first.sku] ?? 0), the plan read \(first.to); make a new plan")
            }
            let drifted = impact.changes.filter { (stock[$0.sku] ?? 0) != $0.from }
            if let first = drifted.first {
                throw Failure.stale(
                    "warehouse '\(record.warehouse)' now has \(first.sku) = \(stock[first.sku] ?? 0), the plan read \(first.from); make a new plan")
            }
            var pulled: [String: Int] = [:]
            for c in impact.changes { pulled[c.sku] = c.to }
            return [.putConnection(record), .setStock(warehouse: record.warehouse, quantities: pulled)]
        case .location:
            let drifted = impact.changes.filter { (stock[$0.sku] ?? 0) != $0.to }
            if let first = drifted.first {
                throw Failure.stale(
                    "warehouse '\(record.warehouse)' now has \(first.sku) = \(stock[first.sku] ?? 0), the plan showed \(first.to); make a new plan")
            }
            let writes = impact.changes.map { QuantityWrite(locationID: record.locationID, sku: $0.sku, expected: $0.from, quantity: $0.to) }
            // Marks for the SKUs the location stocks: what it shows once the push lands.
            var marks = now
            for c in impact.changes { marks[c.sku] = c.to }
            if !writes.isEmpty {
                let key = "apply-\(planID)-\(Fingerprint.hex(of: change.address).prefix(16))"
                try await state.commit(
                    [.addPendingPush(PendingPush(key: key, store: record.store, locationID: record.locationID, writes: writes))], history: nil)
                let outcome: WriteOutcome
                do {
                    outcome = try await adapter.setQuantities(writes, idempotencyKey: key)
                } catch {
                    // Nothing landed: forget the request. Otherwise it stays journaled, to be replayed.
                    if (error as? StoreWriteError)?.nothingWritten == true {
                        try await state.commit([.removePendingPush(key: key)], history: nil)
                    }
                    throw Failure.store("store '\(record.store)' refused the push: \(describeStoreError(error, store: record.store))")
                }
                if outcome.written.count != writes.count {
                    try await state.commit(Self.settle(outcome, key: key, record: record, working: working), history: nil)
                    throw Failure.stale(Self.describeRefusal(outcome, of: writes, at: record.displayName))
                }
                return [.putConnection(record), .setSyncMarks(record.id, quantities: marks), .removePendingPush(key: key)]
            }
            return [.putConnection(record), .setSyncMarks(record.id, quantities: marks)]
        }
    }

    /// After a push that did not land whole: the journal entry goes, and if the location is already
    /// linked, the marks of the numbers that did land (a store that splits a request may have taken
    /// some parts), so sync does not mistake the new numbers for sales.
    static func settle(_ outcome: WriteOutcome, key: String, record: ConnectionRecord, working: HubState) -> [StateMutation] {
        var marks: [String: Int] = [:]
        for w in outcome.written { marks[w.sku] = w.quantity }
        guard !marks.isEmpty, working.connections[record.id] != nil else { return [.removePendingPush(key: key)] }
        return [.setSyncMarks(record.id, quantities: marks), .removePendingPush(key: key)]
    }

    /// Says exactly what a refused push wrote: nothing, or which numbers before the refusal.
    static func describeRefusal(_ outcome: WriteOutcome, of writes: [QuantityWrite], at location: String) -> String {
        var text: String
        if let first = outcome.refused.first {
            let others = outcome.refused.count - 1
            text = "\(location)'s \(first.sku) moved since the plan read \(first.expected ?? 0)"
            if others > 0 { text += " (and \(others) other SKU\(others == 1 ? "" : "s"))" }
            text += " (a sale, or an edit in the store)"
        } else {
            text = "\(location) did not take the whole push"
        }
        if outcome.written.isEmpty {
            text += "; nothing was written"
        } else {
            let skus = outcome.written.map(\.sku)
            let named = skus.prefix(5).joined(separator: ", ") + (skus.count > 5 ? ", …" : "")
            text +=
                "; \(outcome.written.count) of \(writes.count) numbers were written before the store refused the rest (\(named)): the location holds the warehouse's numbers for those"
        }
        return text + "; make a new plan"
    }

    /// Replays journaled pushes with their idempotency keys: a push that landed answers as it did,
    /// one that never left is tried now (compare-and-set), and either way the journal is cleared.
    /// A push that fails again stays journaled (unless the store says nothing was written) and is
    /// reported; it does not stop the others.
    static func recover(state: any StateStore, adapters: [String: any StoreAdapter]) async throws -> [String] {
        var touched = Set<ConnectionRecord.ID>()
        return try await recover(state: state, adapters: adapters, touched: &touched)
    }

    /// As above; `touched` gains every location a journaled push was aimed at, resolved or not.
    static func recover(state: any StateStore, adapters: [String: any StoreAdapter], touched: inout Set<ConnectionRecord.ID>) async throws -> [String] {
        // The journal is almost always empty: the whole state is read only when there is something to replay.
        guard !(try await state.pendingPushes()).isEmpty else { return [] }
        let current = try await state.load()
        var notes: [String] = []
        for push in current.pendingPushes {
            let ids = push.locationIDs
            for id in ids { touched.insert(ConnectionRecord.ID(store: push.store, locationID: id)) }
            let aimedAt = "\(push.store) \(Self.describeLocations(ids))"
            guard let adapter = adapters[push.store] else {
                notes.append("an interrupted push to \(aimedAt) waits: the store is not in the config")
                continue
            }
            let outcome: WriteOutcome
            do {
                outcome = try await adapter.setQuantities(push.writes, idempotencyKey: push.key)
            } catch {
                let detail = describeStoreError(error, store: push.store)
                if (error as? StoreWriteError)?.nothingWritten == true {
                    try await state.commit([.removePendingPush(key: push.key)], history: nil)
                    notes.append("dropped an interrupted push to \(aimedAt) that cannot land: \(detail)")
                } else {
                    notes.append("an interrupted push to \(aimedAt) is still unresolved: \(detail)")
                }
                continue
            }
            // Marks per location, for the locations still linked (a batch from sync spans several).
            var marks: [String: [String: Int]] = [:]
            for w in outcome.written { marks[w.locationID, default: [:]][w.sku] = w.quantity }
            var mutations: [StateMutation] = []
            for id in ids {
                let link = ConnectionRecord.ID(store: push.store, locationID: id)
                if current.connections[link] != nil, let landed = marks[id], !landed.isEmpty { mutations.append(.setSyncMarks(link, quantities: landed)) }
            }
            mutations.append(.removePendingPush(key: push.key))
            try await state.commit(mutations, history: nil)
            notes.append(
                "resolved an interrupted push to \(aimedAt): \(outcome.written.count) of \(push.writes.count) numbers had landed"
            )
        }
        return notes
    }

    /// "location L1", or for a batch "3 locations (L1, L2, L3)", naming at most five.
    static func describeLocations(_ ids: [String]) -> String {
        guard ids.count > 1 else { return "location \(ids.first ?? "")" }
        return "\(ids.count) locations (\(ids.prefix(5).joined(separator: ", "))\(ids.count > 5 ? ", …" : ""))"
    }
}
