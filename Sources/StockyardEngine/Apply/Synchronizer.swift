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
/// Reads follow change: each linked location is read only for the levels its store stamped as
/// changed since the location's read mark (less ``overlap``), and every level not read is taken to
/// hold its sync mark; the compare-and-set pushes guard that belief, and a refused one re-reads only
/// the levels it wrote. A location is read in full on its first sync, after a push to it went
/// unresolved, and every ``fullEvery``; a full read that finds a change the incremental reads
/// missed says so in the report's notes.
///
/// A run goes in phases: every warehouse reads its links and commits a round (its new numbers and
/// the marks of what it read); then each store's writes, from all the warehouses, are pushed in
/// requests of up to ``pushBatch`` (a request costs Shopify the same points whatever its size, and
/// a warehouse usually has one location per store, so only batching across warehouses saves
/// requests); then the warehouses with writes the stores refused read those levels again and go
/// again, up to ``maxRounds`` rounds.
///
/// Crash safety: a round's numbers and marks are committed before anything is pushed, and each
/// request is journaled before it is sent, under the idempotency key it is sent with; after a
/// crash the journal is replayed, so no sale is lost and none is counted twice. A crash between a
/// round and the journal leaves nothing to replay: the marks say what the locations held, so the
/// next run finds the same writes to make.
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
        /// Locations read in full, and read for their changes only.
        public var fullReads = 0
        public var incrementalReads = 0
        /// Changes a full reconciliation found that the incremental reads before it had missed.
        public var missedChanges: [Line] = []
    }

    public struct StoreTally: Sendable, Hashable {
        public var connections = 0
        public var sold = 0
        public var pushed = 0
        public var pulled = 0
    }

    /// Called after each warehouse's reads and first round: how many are done, of how many, and which.
    public var onProgress: (@Sendable (_ done: Int, _ total: Int, _ warehouse: String) -> Void)?

    public let state: any StateStore
    public let adapters: [String: any StoreAdapter]
    /// How many read-push rounds a warehouse gets when sales keep landing during its push.
    public var maxRounds = 20
    /// The most writes in one request to a store: Shopify's `inventorySetQuantities` takes 250
    /// quantities. A request is all or nothing, so a smaller one risks less on a refused write.
    public var pushBatch = 250
    /// A pause before each push request: lets tests kill a sync part-way. Zero in normal use.
    public var delayPerPush: Duration = .zero
    /// Asked before each warehouse starts; `true` stops the sync there (a signal). The warehouses
    /// already started are pushed and finish their rounds.
    public var shouldStop: @Sendable () -> Bool = { false }
    /// How long a location goes without a full read (`sync --full-every`).
    public var fullEvery: Duration = Synchronizer.defaultFullEvery
    /// How far before its read mark an incremental read begins: covers a store clock that runs
    /// behind the hub's, and a change committed a moment after the time it was stamped with.
    public var overlap: Duration = Synchronizer.defaultOverlap
    /// The hub's clock, for the read marks.
    public var clock: @Sendable () -> Date = { Date() }
    /// How many warehouses sync at once.
    public var warehouseConcurrency = 8

    public static let defaultFullEvery: Duration = .seconds(24 * 3600)
    public static let defaultOverlap: Duration = .seconds(120)

    public init(state: any StateStore, adapters: [String: any StoreAdapter]) {
        self.state = state
        self.adapters = adapters
    }

    public func syncOnce() async throws -> Report {
        var report = Report()
        var touched = Set<ConnectionRecord.ID>()
        report.notes = try await InventoryMover.recover(state: state, adapters: adapters, touched: &touched)
        // Loaded once: while sync holds the lock, it alone writes the state, so the copy below,
        // kept up to date with every commit, is what a reload would give (a reload per warehouse
        // made a round quadratic in the hub's size).
        let hub = try await state.load()
        let working = WorkingState(hub)
        var byWarehouse: [String: [ConnectionRecord]] = [:]
        for c in hub.connections.values { byWarehouse[c.warehouse, default: []].append(c) }
        report.connections = hub.connections.count
        for c in hub.connections.values { report.stores[c.store, default: StoreTally()].connections += 1 }
        let warehouses = byWarehouse.keys.sorted()
        // A location with a push still unresolved is left alone until it is: its marks would be wrong.
        let unresolved = Set(hub.pendingPushes.flatMap { push in push.locationIDs.map { ConnectionRecord.ID(store: push.store, locationID: $0) } })
        // Warehouses share no connection, so they sync side by side (each store still caps its own
        // requests in flight); their reports are put together in warehouse order.
        let readInFull = touched
        var partials = [Report?](repeating: nil, count: warehouses.count)
        var turns: [WarehouseTurn] = []
        try await withThrowingTaskGroup(of: (Int, Report, WarehouseTurn?).self) { group in
            var next = 0
            var done = 0
            func launch() {
                guard next < warehouses.count else { return }
                if shouldStop() {
                    report.notSynced = Array(warehouses[next...])
                    next = warehouses.count
                    return
                }
                let index = next
                next += 1
                let warehouse = warehouses[index]
                let links = byWarehouse[warehouse]!.sorted { $0.id < $1.id }
                group.addTask {
                    var partial = Report()
                    if let stuck = links.first(where: { unresolved.contains($0.id) }) {
                        partial.failures.append(
                            .init(
                                store: stuck.store,
                                message: "warehouse '\(warehouse)': an earlier push to \(stuck.displayName) is unresolved; it is retried on the next run"))
                        return (index, partial, nil)
                    }
                    do {
                        if let turn = try await sync(
                            warehouse: warehouse, index: index, links: links, readInFull: readInFull, working: working, report: &partial)
                        {
                            return (index, partial, turn)
                        }
                    } catch let failure as SyncFailure {
                        partial.failures.append(.init(store: failure.store, message: failure.message))
                    }
                    return (index, partial, nil)
                }
            }
            for _ in 0..<max(1, warehouseConcurrency) { launch() }
            while let (index, partial, turn) = try await group.next() {
                if let turn { turns.append(turn) } else { partials[index] = partial }
                done += 1
                onProgress?(done, warehouses.count, warehouses[index])
                launch()
            }
        }
        for turn in try await finish(turns, working: working) { partials[turn.index] = turn.report }
        for partial in partials { if let partial { report.absorb(partial) } }
        return report
    }

    struct SyncFailure: Error {
        var store: String
        var message: String
    }

    func adapter(for c: ConnectionRecord) throws(SyncFailure) -> any StoreAdapter {
        guard let adapter = adapters[c.store] else { throw SyncFailure(store: c.store, message: "\(c.displayName): no adapter for store '\(c.store)'") }
        return adapter
    }

    /// Commits `mutations` and applies them to the working copy of the state.
    func commit(_ mutations: [StateMutation], to working: WorkingState) async throws {
        guard !mutations.isEmpty else { return }
        try await state.commit(mutations, history: nil)
        working.apply(mutations)
    }

    /// Reads a warehouse's links, pulls from its store-master location, and runs its first round;
    /// returns what the round left to push, if anything.
    private func sync(
        warehouse: String, index: Int, links: [ConnectionRecord], readInFull: Set<ConnectionRecord.ID>, working: WorkingState, report: inout Report
    ) async throws -> WarehouseTurn? {
        let sources = links.filter { $0.master == .store }
        let followers = links.filter { $0.master == .stockyard }
        // Every link is read first, so that the read marks can be committed with what the reads
        // are turned into (never before: a mark ahead of the counted sales would lose them).
        var views: [ConnectionRecord.ID: [String: Int]] = [:]
        var bookkeeping: [StateMutation] = []
        for c in links {
            let read = try await readForSync(c, inFull: readInFull.contains(c.id), working: working, report: &report)
            views[c.id] = read.view
            bookkeeping += read.mutations
        }
        if let source = sources.first {
            let here = views[source.id]!
            let stock = working.stock(of: warehouse)
            var pulled: [String: Int] = [:]
            for sku in Set(stock.keys).union(here.keys) where (stock[sku] ?? 0) != (here[sku] ?? 0) {
                pulled[sku] = here[sku] ?? 0
                let moved = StockQuantity.magnitude(StockQuantity.subtracting(here[sku] ?? 0, stock[sku] ?? 0))
                report.pulledUnits = StockQuantity.adding(report.pulledUnits, moved)
                report.stores[source.store, default: StoreTally()].pulled = StockQuantity.adding(
                    report.stores[source.store, default: StoreTally()].pulled, moved)
            }
            if !pulled.isEmpty { try await commit([.setStock(warehouse: warehouse, quantities: pulled)], to: working) }
        }
        guard !followers.isEmpty else {
            try await commit(bookkeeping, to: working)
            return nil
        }
        let writes = try await round(
            warehouse: warehouse, followers: followers, countSales: sources.isEmpty, views: views, bookkeeping: bookkeeping, working: working,
            report: &report)
        guard !writes.isEmpty else { return nil }
        return WarehouseTurn(index: index, warehouse: warehouse, followers: followers, countSales: sources.isEmpty, writes: writes, report: report)
    }
}
