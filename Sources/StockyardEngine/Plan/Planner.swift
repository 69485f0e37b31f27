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
        var context = PlanContext(input)
        context.planStores()
        context.planWarehouses()
        context.resolveConnections()
        context.planConnections()
        var diagnostics = ConfigChecks.run(input.config, today: input.today) + context.diagnostics
        diagnostics.removeAll { $0.severity == .warning && input.config.lintIgnore.contains($0.rule) }
        let changes = context.orderedChanges()
        return Plan(
            configFile: input.config.file, configSHA256: input.config.sha256, stateLineage: input.state.lineage,
            changes: changes, diagnostics: diagnostics.sortedByPosition(), neighbourhood: context.neighbourhood(of: changes))
    }
}

/// The working memory of one planning run.
struct PlanContext {
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
    /// Warehouses that exist only once this plan's creates are applied.
    var createdWarehouses = Set<String>()
    /// Desired connections resolved to store locations, store by store in config order.
    var resolved: [Resolution] = []
    /// The facts of the stores that were read, as `Resolution.facts` counts them.
    var resolvedFacts: [StoreFacts] = []
    /// Stores whose connections can be planned (read fine); others keep their state untouched.
    var plannableStores = Set<String>()
    /// Addresses of store and warehouse changes that connections must wait for.
    var prerequisites = Set<String>()
    /// Warehouse key -> the store-master connection whose numbers fill it (its `resolved` index).
    var seededBy: [String: Int] = [:]
    /// Missing locations that may still get a "nearest" list (a pass over the store's names each).
    var locationSuggestionsLeft = Suggestions.Budget.defaultLimit

    init(_ input: Planner.Input) {
        config = input.config
        state = input.state
        readings = input.stores
        selection = input.selectedStores
    }

    func isSelected(_ store: String) -> Bool { selection?.contains(store) ?? true }

    /// A desired connection and its store location, by position rather than by copy (at 100,000
    /// connections, copies of the specs and locations were a fifth of a plan's memory): the
    /// connection is `config.stores[store].connections[connection]`, the location
    /// `resolvedFacts[facts].locations[location]`.
    struct Resolution {
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
    func locationID(_ r: Resolution) -> String { resolvedFacts[r.facts].locations[r.location].id }

    // MARK: - Stores

    mutating func planStores() {
        let desired = Set(config.stores.map(\.key))
        for store in config.stores.sorted(by: { $0.key < $1.key }) where isSelected(store.key) {
            let after = StoreRecord(key: store.key, platform: store.platform, target: store.target)
            if let before = state.stores[store.key] {
                if before != after {
                    storeChanges.append(change(.store, "store.\(store.key)", .update, .changed, .safe, before: .store(before), after: .store(after), store: store.key))
                }
            } else {
                storeChanges.append(change(.store, "store.\(store.key)", .create, .added, .safe, before: nil, after: .store(after), store: store.key))
            }
        }
        for key in state.stores.keys.sorted() where !desired.contains(key) && isSelected(key) {
            let before = state.stores[key]!
            storeDeletes.append(change(
                .store, "store.\(key)", .delete, .removed, .destructive, before: .store(before), after: nil, store: key,
                notes: ["the hub forgets this store; its locations stop syncing"]))
        }
    }

    // MARK: - Warehouses

    /// Old warehouse key -> new key: a desired warehouse the state does not have takes over the
    /// first of its `formerly` keys that the state has, the config no longer uses, and no warehouse
    /// before it (in key order) took. Shared with `QuantityNeeds`, which must agree with the plan.
    static func warehouseRenames(config: DesiredConfig, state: HubState) -> [String: String] {
        // Only warehouses with former keys can take one over: those few are sorted, not every spec
        // (sorting the specs themselves copied all of them).
        let candidates = config.warehouses.indices.filter { !config.warehouses[$0].formerly.isEmpty }
        guard !candidates.isEmpty else { return [:] }
        let desiredKeys = Set(config.warehouses.map(\.key))
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
        let desiredKeys = Set(config.warehouses.map(\.key))
        renames = Self.warehouseRenames(config: config, state: state)
        var formerKey: [String: String] = [:]
        for (old, new) in renames { formerKey[new] = old }
        // Positions sorted by key: the specs themselves are too big to move around in a sort.
        for index in config.warehouses.indices.sorted(by: { config.warehouses[$0].key < config.warehouses[$1].key }) {
            let spec = config.warehouses[index]
            if let before = state.warehouses[spec.key] {
                let after = record(spec, keeping: before)
                if before != after {
                    warehouseChanges.append(change(.warehouse, "warehouse.\(spec.key)", .update, .changed, .safe, before: .warehouse(before), after: .warehouse(after), warehouse: spec.key))
                }
            } else if let old = formerKey[spec.key] {
                let before = state.warehouses[old]!
                let after = record(spec, keeping: before)
                warehouseChanges.append(change(
                    .warehouse, "warehouse.\(spec.key)", .move, .renamed, .safe, before: .warehouse(before), after: .warehouse(after),
                    warehouse: spec.key, notes: ["renamed from '\(old)'; its connections and stock move with it"]))
            } else {
                createdWarehouses.insert(spec.key)
                warehouseChanges.append(change(.warehouse, "warehouse.\(spec.key)", .create, .added, .safe, before: nil, after: .warehouse(record(spec, keeping: nil)), warehouse: spec.key))
            }
        }
        // Warehouses still used by stores this run leaves alone are not deleted by it.
        let heldBack = Set(state.connections.values.filter { !isSelected($0.store) }.map(\.warehouse))
        for key in state.warehouses.keys.filter({ !desiredKeys.contains($0) && renames[$0] == nil && !heldBack.contains($0) }).sorted() {
            let before = state.warehouses[key]!
            let units = state.units(in: key)
            var notes = ["the hub forgets this warehouse"]
            if units > 0 { notes.append("it holds \(units) units of stock, which would be lost") }
            if before.protect { notes.append("it is protected: apply will refuse to delete it") }
            warehouseDeletes.append(change(.warehouse, "warehouse.\(key)", .delete, .removed, .destructive, before: .warehouse(before), after: nil, warehouse: key, notes: notes))
        }
    }

    private func record(_ spec: WarehouseSpec, keeping before: WarehouseRecord?) -> WarehouseRecord {
        WarehouseRecord(key: spec.key, name: spec.name, code: spec.code, kind: spec.kind, protect: spec.protect ?? before?.protect ?? false)
    }

    // MARK: - Connections

    mutating func planConnections() {
        for change in storeChanges + warehouseChanges where change.action != .update || change.kind == .store {
            prerequisites.insert(change.address)
        }
        // The connections to plan, as (pushes, `resolved` index), sorted by (pulls before pushes,
        // id): small entries and integer ranks for the stores, so the sort moves and compares
        // little. A store's connections resolve to distinct locations (`claimed`): ids are distinct.
        let plannable = config.stores.map { plannableStores.contains($0.key) }
        var storeRank = [Int](repeating: 0, count: config.stores.count)
        for (rank, index) in config.stores.indices.sorted(by: { config.stores[$0].key < config.stores[$1].key }).enumerated() {
            storeRank[index] = rank
        }
        var order: [(pushes: Bool, resolved: Int)] = []
        order.reserveCapacity(resolved.count)
        for (index, r) in resolved.enumerated() where plannable[r.store] {
            let pushes = master(r) == .stockyard
            order.append((pushes, index))
            // Pulls (store master) before pushes (stockyard master): a warehouse is seeded before
            // it is pushed. Its seeder is the store-master connection with the smallest display name.
            if !pushes {
                let warehouse = warehouseKey(r)
                if let other = seededBy[warehouse], spec(resolved[other]).displayName <= spec(r).displayName { continue }
                seededBy[warehouse] = index
            }
        }
        order.sort { a, b in
            if a.pushes != b.pushes { return !a.pushes }
            let x = resolved[a.resolved], y = resolved[b.resolved]
            if x.store != y.store, storeRank[x.store] != storeRank[y.store] { return storeRank[x.store] < storeRank[y.store] }
            return locationID(x) < locationID(y)
        }
        let storesInConfig = Set(config.stores.map(\.key))
        // The warehouses' stock as it will be while the plan's pulls are carried out in order.
        var projected: [String: [String: Int]] = [:]
        projected.reserveCapacity(state.stock.count)
        for (key, skus) in state.stock { projected[renames[key] ?? key] = skus }
        var matched = 0  // desired connections the state has
        for (_, index) in order {
            let r = resolved[index]
            let id = ConnectionRecord.ID(store: storeKey(r), locationID: locationID(r))
            let before = state.connections[id]
            if before != nil { matched += 1 }
            let connection = config.stores[r.store].connections[r.connection]
            let after = ConnectionRecord(
                store: id.store, locationID: id.locationID, locationName: connection.locationName, warehouse: connection.warehouseKey,
                master: connection.master, protect: connection.protect ?? before?.protect ?? false)
            var moved = before
            moved?.warehouse = before.map { renames[$0.warehouse] ?? $0.warehouse } ?? ""
            if let before, let moved, moved == after { _ = before; continue }
            let movesNumbers = moved == nil || moved!.master != after.master || moved!.warehouse != after.warehouse
            var impact: InventoryImpact?
            if movesNumbers, let here = resolvedFacts[r.facts].quantities[id.locationID] {
                let stock = projected[after.warehouse] ?? [:]
                switch after.master {
                case .store:
                    impact = .overwrite(.warehouse, target: stock, source: here, warehouseSide: stock, locationSide: here)
                    projected[after.warehouse] = here
                case .stockyard:
                    impact = .overwrite(.location, target: here, source: stock, warehouseSide: stock, locationSide: here)
                }
            }
            let startsPushing = after.master == .stockyard && movesNumbers
            let zeroes = impact.map(\.zeroesLocation)
                ?? (seededBy[after.warehouse] == nil && (createdWarehouses.contains(after.warehouse) || state.units(in: after.warehouse) == 0))
            if startsPushing, zeroes {
                diagnostics.append(.warning(
                    .pushFromEmptyWarehouse,
                    "\(after.displayName) links on stockyard master to warehouse '\(after.warehouse)', which holds no stock yet: the first push would set the location's stock to 0. Start on `master: store` (the first-time setup), or seed '\(after.warehouse)' from a store-master location",
                    at: connection.masterLocation ?? connection.location))
            }
            var change: Change
            if let before, let moved {
                change = relink(before: before, after: after, renamedWarehouse: moved.warehouse)
            } else {
                change = link(after)
            }
            if let impact {
                change.impact = impact
                let emptyWarehouse = impact.overwritten == .warehouse && impact.changes.allSatisfy { $0.from == 0 }
                change.risk = impact.changes.isEmpty || emptyWarehouse ? .safe : .inventoryOverwrite
                change.notes.append(impact.summary)
            }
            links.append(change)
        }
        // Unlinks: state connections no longer desired. None when the plan matched all of them.
        guard matched < state.connections.count else { return }
        var desiredIDs = Set<ConnectionRecord.ID>(minimumCapacity: order.count)
        for (_, index) in order {
            desiredIDs.insert(ConnectionRecord.ID(store: storeKey(resolved[index]), locationID: locationID(resolved[index])))
        }
        // Each read store's location ids, built once per store that has unlinks: a search of the
        // store's locations per unlink was unlinks x locations, quadratic in a store's size.
        var locationIDs: [String: Set<String>] = [:]
        for id in state.connections.keys.filter({ !desiredIDs.contains($0) && isSelected($0.store) }).sorted() {
            let before = state.connections[id]!
            // A store that could not be read, or whose config has errors, keeps its connections:
            // never delete because of what could not be seen.
            if storesInConfig.contains(id.store), !plannableStores.contains(id.store) { continue }
            var reason = ChangeReason.removed
            if storesInConfig.contains(id.store), case .read(let facts)? = readings[id.store] {
                if locationIDs[id.store] == nil { locationIDs[id.store] = Set(facts.locations.map(\.id)) }
                if !locationIDs[id.store]!.contains(id.locationID) { reason = .drift }
            }
            var notes = ["the location stops syncing with warehouse '\(before.warehouse)'"]
            if reason == .drift { notes.insert("the store no longer has this location", at: 0) }
            if before.protect { notes.append("it is protected: apply will refuse to delete it") }
            unlinks.append(change(
                .connection, "connection.\(before.displayName)", .delete, reason, .destructive, before: .connection(before), after: nil,
                store: before.store, location: before.locationName, locationID: before.locationID, warehouse: before.warehouse, notes: notes))
        }
    }

    private func link(_ after: ConnectionRecord) -> Change {
        let (risk, note) = linkEffect(master: after.master, warehouse: after.warehouse, store: after.store)
        return change(
            .connection, "connection.\(after.displayName)", .create, .added, risk, before: nil, after: .connection(after),
            store: after.store, location: after.locationName, locationID: after.locationID, warehouse: after.warehouse,
            notes: [note], dependsOn: dependencies(store: after.store, warehouse: after.warehouse))
    }

    private func relink(before: ConnectionRecord, after: ConnectionRecord, renamedWarehouse: String) -> Change {
        var notes: [String] = []
        var risk = Risk.safe
        if renamedWarehouse != after.warehouse || before.master != after.master {
            risk = .inventoryOverwrite
            if renamedWarehouse != after.warehouse { notes.append("relinked from warehouse '\(renamedWarehouse)' to '\(after.warehouse)'") }
            if before.master != after.master { notes.append("master switches from \(before.master.rawValue) to \(after.master.rawValue)") }
            notes.append(linkEffect(master: after.master, warehouse: after.warehouse, store: after.store).note)
        }
        if before.locationName != after.locationName { notes.append("renamed from '\(before.locationName)'") }
        if before.protect != after.protect { notes.append(after.protect ? "protected from deletion" : "protection lifted") }
        return change(
            .connection, "connection.\(after.displayName)", .update, .changed, risk, before: .connection(before), after: .connection(after),
            store: after.store, location: after.locationName, locationID: after.locationID, warehouse: after.warehouse, notes: notes,
            dependsOn: dependencies(store: after.store, warehouse: after.warehouse))
    }

    /// What linking on a master does to the numbers, and how risky that is.
    private func linkEffect(master: Master, warehouse: String, store: String) -> (risk: Risk, note: String) {
        switch master {
        case .store:
            if createdWarehouses.contains(warehouse) {
                return (.safe, "store master: the location's numbers are copied into new warehouse '\(warehouse)'")
            }
            return (.inventoryOverwrite, "store master: the location's numbers overwrite warehouse '\(warehouse)'")
        case .stockyard:
            if createdWarehouses.contains(warehouse), let seed = seededBy[warehouse] {
                return (.inventoryOverwrite, "stockyard master: new warehouse '\(warehouse)', filled from \(spec(resolved[seed]).displayName), pushes its numbers to the location, overwriting the store's")
            }
            if createdWarehouses.contains(warehouse) {
                return (.inventoryOverwrite, "stockyard master: new warehouse '\(warehouse)' pushes its numbers to the location, which sets the location's stock to what the warehouse holds (nothing, unless another link fills it first)")
            }
            return (.inventoryOverwrite, "stockyard master: warehouse '\(warehouse)' pushes its numbers to the location, overwriting the store's")
        }
    }

    private func dependencies(store: String, warehouse: String) -> [String] {
        var out: [String] = []
        if prerequisites.contains("store.\(store)") { out.append("store.\(store)") }
        if prerequisites.contains("warehouse.\(warehouse)") { out.append("warehouse.\(warehouse)") }
        return out
    }

    // MARK: - Assembly

    /// Stores, then warehouses, then unlinks, then links, then warehouse and store deletes.
    func orderedChanges() -> [Change] {
        var byWarehouse: [String: [String]] = [:], byStore: [String: [String]] = [:]
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

    private func change(
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
