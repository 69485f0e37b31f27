import Foundation

/// The steady state of the hub (`stockyard sync`).
///
/// - Store master: the location's numbers are copied into its warehouse.
/// - Stockyard master: each linked location's sales since the last push (its drop below the sync
///   mark) are taken off the warehouse, and the new number is pushed to every linked location,
///   compare-and-set, retrying when a sale lands meanwhile. A rise above the mark is an edit made
///   in the store: the master overrides it, and the report says so.
/// - A warehouse that also has a store-master location follows that location; its stockyard-master
///   locations mirror it (the master store owns the count, so their sales are not subtracted again).
///
/// Crash safety: the warehouse's new numbers, the marks and a journal of the pushes are committed
/// before anything is pushed; pushes carry idempotency keys; after a crash the journal is replayed,
/// so no sale is lost and none is counted twice.
public struct Synchronizer: Sendable {
    public struct Report: Sendable {
        public struct Line: Sendable, Hashable {
            public var store: String
            public var message: String
        }

        public var pulledUnits = 0
        public var soldUnits = 0
        public var pushes = 0
        public var conflicts = 0
        /// Hand edits in stockyard-master locations that the master overrode.
        public var overridden: [Line] = []
        public var failures: [Line] = []
        public var notes: [String] = []
        public var connections = 0
        /// Warehouses not synced because ``Synchronizer/shouldStop`` asked to stop before them.
        public var notSynced: [String] = []
        /// Per store: connections synced, units sold there, numbers pushed there.
        public var stores: [String: StoreTally] = [:]
    }

    public struct StoreTally: Sendable, Hashable {
        public var connections = 0
        public var sold = 0
        public var pushed = 0
        public var pulled = 0
    }

    /// Called after each warehouse: how many are done, of how many, and which.
    public var onProgress: (@Sendable (_ done: Int, _ total: Int, _ warehouse: String) -> Void)?

    public let state: any StateStore
    public let adapters: [String: any StoreAdapter]
    /// How many read-push rounds a warehouse gets when sales keep landing during its push.
    public var maxRounds = 20
    /// A pause before each push: lets tests kill a sync part-way. Zero in normal use.
    public var delayPerPush: Duration = .zero
    /// Asked before each warehouse; `true` stops the sync there (a signal). A warehouse is never
    /// left between its journal commit and its pushes: the one in progress finishes first.
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(state: any StateStore, adapters: [String: any StoreAdapter]) {
        self.state = state
        self.adapters = adapters
    }

    public func syncOnce() async throws -> Report {
        var report = Report()
        report.notes = try await InventoryMover.recover(state: state, adapters: adapters)
        // Loaded once: while sync holds the lock, it alone writes the state, so the copy below,
        // kept up to date with every commit, is what a reload would give (a reload per warehouse
        // made a round quadratic in the hub's size).
        let working = WorkingState(try await state.load())
        let hub = working.hub
        var byWarehouse: [String: [ConnectionRecord]] = [:]
        for c in hub.connections.values { byWarehouse[c.warehouse, default: []].append(c) }
        report.connections = hub.connections.count
        for c in hub.connections.values { report.stores[c.store, default: StoreTally()].connections += 1 }
        let warehouses = byWarehouse.keys.sorted()
        // A location with a push still unresolved is left alone until it is: its marks would be wrong.
        let unresolved = Set(hub.pendingPushes.map { ConnectionRecord.ID(store: $0.store, locationID: $0.locationID) })
        for (index, warehouse) in warehouses.enumerated() {
            if shouldStop() {
                report.notSynced = Array(warehouses[index...])
                break
            }
            let links = byWarehouse[warehouse]!.sorted { $0.id < $1.id }
            if let stuck = links.first(where: { unresolved.contains($0.id) }) {
                report.failures.append(.init(store: stuck.store, message: "warehouse '\(warehouse)': an earlier push to \(stuck.displayName) is unresolved; it is retried on the next run"))
                onProgress?(index + 1, warehouses.count, warehouse)
                continue
            }
            do {
                try await sync(warehouse: warehouse, links: links, working: working, report: &report)
            } catch let failure as SyncFailure {
                report.failures.append(.init(store: failure.store, message: failure.message))
            }
            onProgress?(index + 1, warehouses.count, warehouse)
        }
        return report
    }

    struct SyncFailure: Error {
        var store: String
        var message: String
    }

    private func read(_ c: ConnectionRecord) async throws(SyncFailure) -> [String: Int] {
        guard let adapter = adapters[c.store] else { throw SyncFailure(store: c.store, message: "\(c.displayName): no adapter for store '\(c.store)'") }
        do {
            return try await adapter.quantities(at: [c.locationID])[c.locationID] ?? [:]
        } catch {
            throw SyncFailure(store: c.store, message: "\(c.displayName): could not read the store: \(describeStoreError(error, store: c.store))")
        }
    }

    /// The state as this run has made it: loaded once, then kept up to date with every commit.
    final class WorkingState {
        var hub: HubState
        init(_ hub: HubState) { self.hub = hub }
    }

    /// Commits `mutations` and applies them to the working copy of the state.
    private func commit(_ mutations: [StateMutation], to working: WorkingState) async throws {
        try await state.commit(mutations, history: nil)
        for mutation in mutations {
            switch mutation {
            case .setStock(let warehouse, let quantities):
                working.hub.stock[warehouse, default: [:]].merge(quantities) { $1 }
            case .setSyncMarks(let id, let quantities):
                working.hub.syncMarks[id, default: [:]].merge(quantities) { $1 }
            case .addPendingPush(let push):
                working.hub.pendingPushes.append(push)
            case .removePendingPush(let key):
                working.hub.pendingPushes.removeAll { $0.key == key }
            default:
                break
            }
        }
    }

    private func sync(warehouse: String, links: [ConnectionRecord], working: WorkingState, report: inout Report) async throws {
        let sources = links.filter { $0.master == .store }
        let followers = links.filter { $0.master == .stockyard }
        if let source = sources.first {
            let here = try await read(source)
            let stock = working.hub.stock[warehouse] ?? [:]
            var pulled: [String: Int] = [:]
            for sku in Set(stock.keys).union(here.keys) where (stock[sku] ?? 0) != (here[sku] ?? 0) {
                pulled[sku] = here[sku] ?? 0
                let moved = StockQuantity.magnitude(StockQuantity.subtracting(here[sku] ?? 0, stock[sku] ?? 0))
                report.pulledUnits = StockQuantity.adding(report.pulledUnits, moved)
                report.stores[source.store, default: StoreTally()].pulled = StockQuantity.adding(report.stores[source.store, default: StoreTally()].pulled, moved)
            }
            if !pulled.isEmpty { try await commit([.setStock(warehouse: warehouse, quantities: pulled)], to: working) }
        }
        guard !followers.isEmpty else { return }
        for _ in 0..<maxRounds {
            let conflicts = try await round(warehouse: warehouse, followers: followers, countSales: sources.isEmpty, working: working, report: &report)
            if conflicts == 0 { return }
            report.conflicts += conflicts
        }
        throw SyncFailure(store: followers[0].store, message: "warehouse '\(warehouse)': sales kept landing during \(maxRounds) pushes in a row; try again")
    }

    /// One read-compute-commit-push round; returns how many writes were refused (a sale landed).
    private func round(warehouse: String, followers: [ConnectionRecord], countSales: Bool, working: WorkingState, report: inout Report) async throws -> Int {
        var seen: [ConnectionRecord.ID: [String: Int]] = [:]
        for c in followers { seen[c.id] = try await read(c) }
        let hub = working.hub
        var stock = hub.stock[warehouse] ?? [:]
        var marksUpdate: [ConnectionRecord.ID: [String: Int]] = [:]
        var sold = 0
        for c in followers {
            let now = seen[c.id]!
            let marks = hub.syncMarks[c.id] ?? [:]
            // Only the SKUs the location stocks: one it does not carry (or stopped carrying) is no
            // sale, and cannot be written there.
            for (sku, current) in now {
                guard let mark = marks[sku] else {
                    // Newly stocked here: its number is the starting point, not a sale or an edit.
                    marksUpdate[c.id, default: [:]][sku] = current
                    continue
                }
                if countSales && current < mark {
                    let units = StockQuantity.subtracting(mark, current)
                    let left = StockQuantity.subtracting(stock[sku] ?? 0, units)
                    guard StockQuantity.isValid(left) else {
                        throw SyncFailure(store: c.store, message: "warehouse '\(warehouse)': \(sku) would fall to \(left) after \(units) sold at \(c.displayName), beyond \(StockQuantity.rangeText); correct the warehouse's number")
                    }
                    stock[sku] = left
                    sold = StockQuantity.adding(sold, units)
                    report.stores[c.store, default: StoreTally()].sold = StockQuantity.adding(report.stores[c.store, default: StoreTally()].sold, units)
                } else if current > mark {
                    report.overridden.append(.init(store: c.store, message: "\(c.displayName) \(sku): \(mark) -> \(current) was edited in the store; the warehouse's number overrides it"))
                }
                marksUpdate[c.id, default: [:]][sku] = current
            }
        }
        var journal: [PendingPush] = []
        for c in followers {
            let now = seen[c.id]!
            let writes = now.keys.sorted().compactMap { sku -> QuantityWrite? in
                let current = now[sku] ?? 0, target = stock[sku] ?? 0
                return current == target ? nil : QuantityWrite(locationID: c.locationID, sku: sku, expected: current, quantity: target)
            }
            if !writes.isEmpty { journal.append(PendingPush(key: UUID().uuidString.lowercased(), store: c.store, locationID: c.locationID, writes: writes)) }
        }
        var mutations: [StateMutation] = []
        if (hub.stock[warehouse] ?? [:]) != stock {
            mutations.append(.setStock(warehouse: warehouse, quantities: stock))
        }
        for (id, marks) in marksUpdate.sorted(by: { $0.key < $1.key }) { mutations.append(.setSyncMarks(id, quantities: marks)) }
        mutations += journal.map(StateMutation.addPendingPush)
        if !mutations.isEmpty { try await commit(mutations, to: working) }
        report.soldUnits = StockQuantity.adding(report.soldUnits, sold)

        var refusedCount = 0
        for push in journal {
            if delayPerPush > .zero { try? await Task.sleep(for: delayPerPush) }
            guard let adapter = adapters[push.store] else { continue }
            let outcome: WriteOutcome
            do {
                outcome = try await adapter.setQuantities(push.writes, idempotencyKey: push.key)
            } catch {
                // Left in the journal, unless nothing was written: the next sync replays it with the same key.
                if (error as? StoreWriteError)?.nothingWritten == true {
                    try await commit([.removePendingPush(key: push.key)], to: working)
                }
                throw SyncFailure(store: push.store, message: "pushing to \(push.store) location \(push.locationID) failed: \(describeStoreError(error, store: push.store))")
            }
            // Marks only for what landed: a refused request wrote nothing, and the next round reads again.
            var landed: [String: Int] = [:]
            for w in outcome.written { landed[w.sku] = w.quantity }
            let id = ConnectionRecord.ID(store: push.store, locationID: push.locationID)
            try await commit([.setSyncMarks(id, quantities: landed), .removePendingPush(key: push.key)], to: working)
            report.pushes += landed.count
            report.stores[push.store, default: StoreTally()].pushed += landed.count
            if outcome.written.count != push.writes.count { refusedCount += max(1, outcome.refused.count) }
        }
        return refusedCount
    }
}
