/// Turns the desired config and what the hub and stores look like into a plan. A pure function:
/// the same inputs give the same plan, change for change and byte for byte once rendered.
public enum Planner {
    public struct Input: Sendable {
        public var config: DesiredConfig
        public var state: HubState
        /// What each store of the config reported, by store key.
        public var stores: [String: StoreReading]
        public var today: Day
        /// When set, only these stores are planned (`--store`, `--exclude`); the others are left as they are.
        public var selectedStores: Set<String>?

        public init(config: DesiredConfig, state: HubState, stores: [String: StoreReading], today: Day, selectedStores: Set<String>? = nil) {
            self.config = config
            self.state = state
            self.stores = stores
            self.today = today
            self.selectedStores = selectedStores
        }
    }

    public static func plan(_ input: Input) -> Plan {
        // The config's own checks need nothing the planning finds: they run beside it.
        let (context, checks) = Parallel.both(
            {
                var context = PlanContext(input)
                context.planStores()
                // The warehouses and the stores' locations need nothing of each other: planned
                // side by side, the warehouses' part then taken into the context that resolved.
                let before = context
                let warehouses: PlanContext
                (context, warehouses) = Parallel.both({ before.after { $0.resolveConnections() } }, { before.after { $0.planWarehouses() } })
                // The store facts' warnings (shared addresses, fulfillment services) beside the
                // connections' planning, which needs none of them: alone after the warehouses,
                // they were a thirtieth of a first plan on one core. Their diagnostics go where
                // they were: after the matching's, before the warehouses'.
                let matched = context.diagnostics.count
                context.takeWarehouses(from: warehouses, after: before)
                let checking = context
                let facts: [Diagnostic]
                (context, facts) = Parallel.both(
                    { checking.after { $0.planConnections() } },
                    { Array(checking.after { $0.checkStoreFacts() }.diagnostics.dropFirst(checking.diagnostics.count)) })
                context.diagnostics.insert(contentsOf: facts, at: matched)
                return context
            },
            { ConfigChecks.run(input.config, today: input.today) })
        var diagnostics = checks + context.diagnostics
        diagnostics.removeAll { $0.severity == .warning && input.config.lintIgnore.contains($0.rule) }
        let changes = context.orderedChanges()
        return Plan(
            configFile: input.config.file, configSHA256: input.config.sha256, stateLineage: input.state.lineage,
            changes: changes, diagnostics: diagnostics.sortedByPosition(), neighbourhood: context.neighbourhood(of: changes))
    }
}

/// The working memory of one planning run.
struct PlanContext: Sendable {
    let config: DesiredConfig
    let state: HubState
    let readings: [String: StoreReading]
    let selection: Set<String>?
    var diagnostics: [Diagnostic] = []

    var storeChanges: [Change] = []
    var storeDeletes: [Change] = []
    var warehouseChanges: [Change] = []
    var warehouseDeletes: [Change] = []
    var unlinks: [Change] = []
    var links: [Change] = []

    /// Old warehouse key -> new key, for warehouses the config renames.
    var renames: [String: String] = [:]
    /// Warehouses that exist only once this plan's creates are applied, by position in
    /// `config.warehouses` (``warehouseSlots``): what the pass over the links reads, with no
    /// hashing of keys.
    var createdSlots: [Bool] = []
    /// Desired connections resolved to store locations, store by store in config order.
    var resolved: [Resolution] = []
    /// The facts of the stores that were read, as `Resolution.facts` counts them.
    var resolvedFacts: [StoreFacts] = []
    /// Stores whose connections can be planned (read fine); others keep their state untouched.
    var plannableStores = Set<String>()
    /// Stores with a change (created or updated) that their connections must wait for, by
    /// position in `config.stores`.
    var prerequisiteStores: [Bool] = []
    /// Warehouses taking over a former key, whose connections wait for the move (the created
    /// ones are in ``createdSlots``).
    var movedWarehouses = Set<String>()
    /// By a warehouse's slot (``warehouseSlots``, then the keys the config does not give): the
    /// store-master connection whose numbers fill it (its `resolved` index), or -1.
    var seededBy: [Int] = []
    /// The config's warehouse key -> its position in `config.warehouses` (the first, for a key
    /// given twice), made by ``planWarehouses()``.
    var warehouseSlots: [String: Int] = [:]
    /// Missing locations that may still get a "nearest" list (a pass over the store's names each).
    var locationSuggestionsLeft = Suggestions.Budget.defaultLimit

    init(_ input: Planner.Input) {
        config = input.config
        state = input.state
        readings = input.stores
        selection = input.selectedStores
    }

    func isSelected(_ store: String) -> Bool { selection?.contains(store) ?? true }

    /// A copy of this context after `step`, for steps planned side by side.
    func after(_ step: (inout PlanContext) -> Void) -> PlanContext {
        var copy = self
        step(&copy)
        return copy
    }

    /// What ``planWarehouses()`` worked out on another copy of this context, made from `start`
    /// (it needs nothing that ``resolveConnections()`` works out). Its diagnostics, if any, join
    /// these; the plan sorts them by position.
    mutating func takeWarehouses(from other: PlanContext, after start: PlanContext) {
        renames = other.renames
        warehouseSlots = other.warehouseSlots
        createdSlots = other.createdSlots
        warehouseChanges = other.warehouseChanges
        warehouseDeletes = other.warehouseDeletes
        diagnostics += other.diagnostics.dropFirst(start.diagnostics.count)
    }

    /// A desired connection and its store location, by position rather than by copy (at 100,000
    /// connections, copies of the specs and locations were a fifth of a plan's memory): the
    /// connection is `config.stores[store].connections[connection]`, the location
    /// `resolvedFacts[facts].locations[location]`.
    struct Resolution: Sendable {
        var store: Int
        var connection: Int
        var facts: Int
        var location: Int
    }

    func spec(_ r: Resolution) -> ConnectionSpec { config.stores[r.store].connections[r.connection] }
    func location(_ r: Resolution) -> StoreLocation { resolvedFacts[r.facts].locations[r.location] }
    // Single fields for the loops over every connection: a whole spec or location copied there is a
    // dozen retains and releases, which showed in profiles at 100,000 connections.
    func storeKey(_ r: Resolution) -> String { config.stores[r.store].connections[r.connection].storeKey }
    func warehouseKey(_ r: Resolution) -> String { config.stores[r.store].connections[r.connection].warehouseKey }
    func master(_ r: Resolution) -> Master { config.stores[r.store].connections[r.connection].master }
    func displayName(_ r: Resolution) -> String { config.stores[r.store].connections[r.connection].displayName }
    func locationID(_ r: Resolution) -> String { resolvedFacts[r.facts].locations[r.location].id }

    // MARK: - Stores

    mutating func planStores() {
        let desired = Set(config.stores.map(\.key))
        // Positions sorted, not a sorted copy of every spec.
        for index in config.stores.indices.sorted(by: { config.stores[$0].key < config.stores[$1].key }) {
            let store = config.stores[index]
            guard isSelected(store.key) else { continue }
            let after = StoreRecord(key: store.key, platform: store.platform, target: store.target)
            if let before = state.stores[store.key] {
                if before != after {
                    storeChanges.append(
                        change(.store, "store.\(store.key)", .update, .changed, .safe, before: .store(before), after: .store(after), store: store.key))
                }
            } else {
                storeChanges.append(change(.store, "store.\(store.key)", .create, .added, .safe, before: nil, after: .store(after), store: store.key))
            }
        }
        for key in state.stores.keys.sorted() where !desired.contains(key) && isSelected(key) {
            let before = state.stores[key]!
            storeDeletes.append(
                change(
                    .store, "store.\(key)", .delete, .removed, .destructive, before: .store(before), after: nil, store: key,
                    notes: ["the hub forgets this store; its locations stop syncing"]))
        }
    }

    // MARK: - Warehouses

    /// Old warehouse key -> new key: a desired warehouse the state does not have takes over the
    /// first of its `formerly` keys that the state has, the config no longer uses, and no warehouse
    /// before it (in key order) took. Shared with `QuantityNeeds`, which must agree with the plan.
    /// `slots`: the config's keys' positions, when made already (``warehouseSlots``).
    static func warehouseRenames(config: DesiredConfig, state: HubState, slots: [String: Int]? = nil) -> [String: String] {
        // Only warehouses with former keys can take one over: those few are sorted, not every spec
        // (sorting the specs themselves copied all of them).
        let candidates = config.warehouses.indices.filter { !config.warehouses[$0].formerly.isEmpty }
        guard !candidates.isEmpty else { return [:] }
        let desiredKeys = slots.map { Set($0.keys) } ?? Set(config.warehouses.map(\.key))
        var renames: [String: String] = [:]
        for index in candidates.sorted(by: { config.warehouses[$0].key < config.warehouses[$1].key })
        where state.warehouses[config.warehouses[index].key] == nil {
            let spec = config.warehouses[index]
            if let old = spec.formerly.first(where: { state.warehouses[$0] != nil && !desiredKeys.contains($0) && renames[$0] == nil }) {
                renames[old] = spec.key
            }
        }
        return renames
    }

    mutating func planWarehouses() {
        warehouseSlots = Dictionary(config.warehouses.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
        createdSlots = [Bool](repeating: false, count: config.warehouses.count)
        renames = Self.warehouseRenames(config: config, state: state, slots: warehouseSlots)
        var formerKey: [String: String] = [:]
        for (old, new) in renames { formerKey[new] = old }
        // Positions sorted by key: the specs themselves are too big to move around in a sort. A
        // config that lists them in order already (most do) is not sorted again.
        let warehouses = config.warehouses
        var order = Array(warehouses.indices)
        if !order.indices.dropFirst().allSatisfy({ warehouses[order[$0 - 1]].key < warehouses[order[$0]].key }) {
            order.sort { warehouses[$0].key < warehouses[$1].key }
        }
        // Each warehouse against the state on every core, in that order (one at a time, a first
        // plan's 51,000 creates held up the links' planning, which waits for them).
        let context = self
        // `inState`: the state has the warehouse under its key.
        let outcomes = Parallel.map(order.count, chunk: 1024) { k -> (change: Change?, created: Bool, inState: Bool) in
            let spec = warehouses[order[k]]
            if let before = context.state.warehouses[spec.key] {
                let after = context.record(spec, keeping: before)
                guard before != after else { return (nil, false, true) }
                return (
                    context.change(
                        .warehouse, "warehouse.\(spec.key)", .update, .changed, .safe, before: .warehouse(before), after: .warehouse(after),
                        warehouse: spec.key), false, true
                )
            } else if let old = formerKey[spec.key] {
                let before = context.state.warehouses[old]!
                let after = context.record(spec, keeping: before)
                return (
                    context.change(
                        .warehouse, "warehouse.\(spec.key)", .move, .renamed, .safe, before: .warehouse(before), after: .warehouse(after),
                        warehouse: spec.key, notes: ["renamed from '\(old)'; its connections and stock move with it"]), false, false
                )
            }
            return (
                context.change(
                    .warehouse, "warehouse.\(spec.key)", .create, .added, .safe, before: nil, after: .warehouse(context.record(spec, keeping: nil)),
                    warehouse: spec.key), true, false
            )
        }
        warehouseChanges.reserveCapacity(outcomes.count)
        for (k, outcome) in outcomes.enumerated() {
            if outcome.created { createdSlots[order[k]] = true }
            if let change = outcome.change { warehouseChanges.append(change) }
        }
        // The state's warehouses the config keeps (a key given twice counted once: it sorts next to
        // itself) or renames: when they are all of them, none is deleted, with no pass over them.
        var kept = renames.count
        for k in order.indices where outcomes[k].inState && (k == 0 || warehouses[order[k - 1]].key != warehouses[order[k]].key) { kept += 1 }
        guard kept < state.warehouses.count else { return }
        // Warehouses still used by stores this run leaves alone are not deleted by it.
        // (Every store is planned without a selection: no pass over the state's connections then.)
        let heldBack = selection == nil ? [] : Set(state.connections.values.filter { !isSelected($0.store) }.map(\.warehouse))
        for key in state.warehouses.keys.filter({ warehouseSlots[$0] == nil && renames[$0] == nil && !heldBack.contains($0) }).sorted() {
            let before = state.warehouses[key]!
            let units = state.units(in: key)
            var notes = ["the hub forgets this warehouse"]
            if units > 0 { notes.append("it holds \(units) units of stock, which would be lost") }
            if before.protect { notes.append("it is protected: apply will refuse to delete it") }
            warehouseDeletes.append(
                change(.warehouse, "warehouse.\(key)", .delete, .removed, .destructive, before: .warehouse(before), after: nil, warehouse: key, notes: notes))
        }
    }

    private func record(_ spec: WarehouseSpec, keeping before: WarehouseRecord?) -> WarehouseRecord {
        WarehouseRecord(key: spec.key, name: spec.name, code: spec.code, kind: spec.kind, protect: spec.protect ?? before?.protect ?? false)
    }

    // MARK: - Assembly

    /// Stores, then warehouses, then unlinks, then links, then warehouse and store deletes.
    func orderedChanges() -> [Change] {
        var byWarehouse: [String: [String]] = [:]
        var byStore: [String: [String]] = [:]
        for unlink in unlinks {
            if let w = unlink.warehouse { byWarehouse[w, default: []].append(unlink.address) }
            if let s = unlink.store { byStore[s, default: []].append(unlink.address) }
        }
        let warehouseDeletes = self.warehouseDeletes.map { change in
            var change = change
            change.dependsOn = byWarehouse[change.warehouse ?? ""] ?? []
            return change
        }
        let storeDeletes = self.storeDeletes.map { change in
            var change = change
            change.dependsOn = byStore[change.store ?? ""] ?? []
            return change
        }
        return storeChanges + warehouseChanges + unlinks + links + warehouseDeletes + storeDeletes
    }

    /// A change of this plan: its fingerprint is taken from `before`.
    func change(
        _ kind: ObjectKind, _ address: String, _ action: ChangeAction, _ reason: ChangeReason, _ risk: Risk,
        before: ObjectRecord?, after: ObjectRecord?, store: String? = nil, location: String? = nil, locationID: String? = nil,
        warehouse: String? = nil, notes: [String] = [], dependsOn: [String] = []
    ) -> Change {
        Change(
            address: address, kind: kind, action: action, reason: reason, risk: risk, before: before, after: after,
            fingerprint: before.map(Fingerprint.of), store: store, location: location, locationID: locationID,
            warehouse: warehouse, notes: notes, dependsOn: dependsOn)
    }
}
