/// One thing that must hold of the state before a mutation applies to it.
///
/// The rules are written once, here: each store answers the checks from what it holds (a
/// ``HubState`` in memory, a query in SQL) and ``StateMutation/violation(_:)`` turns the first
/// that fails into the same ``StateRuleViolation`` everywhere.
public enum StateCheck: Sendable, Hashable {
    case storeExists(String)
    case warehouseExists(String)
    case warehouseAbsent(String)
    case connectionExists(ConnectionRecord.ID)
    /// No connection points at the store.
    case storeUnused(String)
    /// No connection points at the warehouse.
    case warehouseUnused(String)

    /// What a store found when it answered a check.
    public enum Outcome: Sendable, Hashable {
        case holds
        case fails
        /// For the `…Unused` checks: the connections that still use it.
        case inUse(ConnectionUsage)
    }
}

extension StateMutation {
    /// What must hold before this mutation applies, in the order the checks are made.
    /// Deleting something that is not there needs nothing (it is a no-op, so that re-applying
    /// after a crash converges), nor does renaming a warehouse to its own key.
    public var checks: [StateCheck] {
        switch self {
        case .deleteStore(let key): [.storeUnused(key)]
        case .renameWarehouse(let from, let to): from == to ? [] : [.warehouseExists(from), .warehouseAbsent(to)]
        case .deleteWarehouse(let key): [.warehouseUnused(key)]
        case .putConnection(let r): [.storeExists(r.store), .warehouseExists(r.warehouse)]
        case .setStock(let warehouse, _): [.warehouseExists(warehouse)]
        case .setSyncMarks(let id, _): [.connectionExists(id)]
        case .setReadMark(let mark): [.connectionExists(mark.id)]
        case .putStore, .putWarehouse, .deleteConnection, .addPendingPush, .removePendingPush, .removeSyncMarks: []
        }
    }

    /// The rule this mutation breaks when `check` came out as `outcome`, or nil when it holds.
    public func violation(of check: StateCheck, _ outcome: StateCheck.Outcome) -> StateRuleViolation? {
        switch outcome {
        case .holds: return nil
        case .inUse(let users) where users.isEmpty: return nil
        case .fails, .inUse: break
        }
        let users: ConnectionUsage
        if case .inUse(let found) = outcome { users = found } else { users = .unused }
        switch (self, check) {
        case (.deleteStore(let key), _): return .storeInUse(store: key, users: users)
        case (.deleteWarehouse(let key), _): return .warehouseInUse(warehouse: key, users: users)
        case (.renameWarehouse(let from, let to), .warehouseExists): return .renameSourceMissing(from: from, to: to)
        case (.renameWarehouse(let from, let to), _): return .renameTargetExists(from: from, to: to)
        case (.putConnection(let r), .storeExists): return .connectionStoreMissing(connection: r.displayName, store: r.store)
        case (.putConnection(let r), _): return .connectionWarehouseMissing(connection: r.displayName, warehouse: r.warehouse)
        case (.setStock(let warehouse, _), _): return .stockWarehouseMissing(warehouse: warehouse)
        case (.setSyncMarks(let id, _), _): return .syncMarksConnectionMissing(id)
        case (.setReadMark(let mark), _): return .readMarkConnectionMissing(mark.id)
        case (.putStore, _), (.putWarehouse, _), (.deleteConnection, _), (.addPendingPush, _), (.removePendingPush, _), (.removeSyncMarks, _):
            return nil
        }
    }

    /// The first rule this mutation breaks, asking `answer` for each of its ``checks`` in turn.
    public func violation(_ answer: (StateCheck) throws -> StateCheck.Outcome) rethrows -> StateRuleViolation? {
        for check in checks {
            if let violation = violation(of: check, try answer(check)) { return violation }
        }
        return nil
    }
}
