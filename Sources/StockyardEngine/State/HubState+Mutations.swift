/// The state's rules, applied to a ``HubState``: what every store does with a mutation.
///
/// The in-memory test store and the applier's working copy use this directly; the contract tests
/// hold SQLite and PostgreSQL to it.
extension HubState {
    /// Applies one mutation, or throws the rule it breaks and leaves the state as it was.
    ///
    /// Deleting a connection deletes its sync marks and its read mark: they are what that location
    /// held when last synced and how far it was read, and mean nothing without it (a new connection
    /// to the same location starts afresh, with a full read).
    /// Deleting a warehouse deletes its stock; the planner asks for `--allow-stock-loss` first.
    public mutating func apply(_ mutation: StateMutation) throws(StateRuleViolation) {
        if let violation = mutation.violation({ answer($0) }) { throw violation }
        perform(mutation)
    }

    /// Applies a mutation a store has already accepted, without asking its checks again: a check
    /// such as "no connection uses this warehouse" scans every connection, so a plan deleting many
    /// warehouses would cost deletions × connections if each were checked twice.
    public mutating func applyAccepted(_ mutations: [StateMutation]) {
        for mutation in mutations { perform(mutation) }
    }

    private mutating func perform(_ mutation: StateMutation) {
        switch mutation {
        case .putStore(let r): stores[r.key] = r
        case .deleteStore(let key): stores[key] = nil
        case .putWarehouse(let r): warehouses[r.key] = r
        case .renameWarehouse(let from, let to):
            guard from != to, var warehouse = warehouses.removeValue(forKey: from) else { return }
            warehouse.key = to
            warehouses[to] = warehouse
            for (id, connection) in connections where connection.warehouse == from { connections[id]?.warehouse = to }
            stock[to] = stock.removeValue(forKey: from)
        case .deleteWarehouse(let key):
            warehouses[key] = nil
            stock[key] = nil
        case .putConnection(let r): connections[r.id] = r
        case .deleteConnection(let id):
            connections[id] = nil
            syncMarks[id] = nil
            readMarks[id] = nil
        case .setStock(let warehouse, let quantities):
            stock[warehouse, default: [:]].merge(quantities)
        case .setSyncMarks(let id, let quantities):
            for (sku, n) in quantities { syncMarks[id, default: [:]][sku] = n }
        case .addPendingPush(let push):
            if !pendingPushes.contains(where: { $0.key == push.key }) { pendingPushes.append(push) }
        case .removePendingPush(let key):
            pendingPushes.removeAll { $0.key == key }
        case .setReadMark(let mark): readMarks[mark.id] = mark
        case .removeSyncMarks(let id, let skus):
            for sku in skus { syncMarks[id]?[sku] = nil }
        }
    }

    /// The state after all of `mutations`, or the first rule one breaks (nothing is applied then).
    public func applying(_ mutations: [StateMutation]) throws(StateRuleViolation) -> HubState {
        var next = self
        for mutation in mutations { try next.apply(mutation) }
        return next
    }

    /// How this state answers a check.
    public func answer(_ check: StateCheck) -> StateCheck.Outcome {
        switch check {
        case .storeExists(let key): stores[key] != nil ? .holds : .fails
        case .warehouseExists(let key): warehouses[key] != nil ? .holds : .fails
        case .warehouseAbsent(let key): warehouses[key] == nil ? .holds : .fails
        case .connectionExists(let id): connections[id] != nil ? .holds : .fails
        case .storeUnused(let key): .inUse(usage { $0.store == key })
        case .warehouseUnused(let key): .inUse(usage { $0.warehouse == key })
        }
    }

    private func usage(_ uses: (ConnectionRecord) -> Bool) -> ConnectionUsage {
        let users = connections.values.filter(uses).sorted {
            $0.store == $1.store
                ? $0.locationID.utf8.lexicographicallyPrecedes($1.locationID.utf8)
                : $0.store.utf8.lexicographicallyPrecedes($1.store.utf8)
        }
        return ConnectionUsage(count: users.count, first: users.prefix(ConnectionUsage.named).map(\.displayName))
    }
}
