import Foundation
import StockyardEngine

/// A hand-written in-memory state, with a switch to make chosen changes fail.
public final class InMemoryStateStore: StateStore, @unchecked Sendable {
    private let lock = NSLock()
    private var state: HubState
    private var lockInfo: LockInfo?
    private var entries: [HistoryEntry] = []
    /// A commit whose history address is in here throws, leaving the state untouched.
    public var failingAddresses: Set<String> = []

    public init(_ state: HubState = HubState(lineage: "test-lineage")) {
        self.state = state
    }

    /// How many times the whole state was loaded: a sync round must not reload it per warehouse.
    public private(set) var loads = 0

    public func load() throws -> HubState {
        lock.withLock {
            loads += 1
            return state
        }
    }

    public func commit(_ mutations: [StateMutation], history: HistoryEntry?) throws {
        try lock.withLock {
            if let address = history?.address, failingAddresses.contains(address) {
                throw StateError("injected failure for \(address)")
            }
            var next = state
            for mutation in mutations { try Self.apply(mutation, to: &next) }
            state = next
            if let history { entries.insert(history, at: 0) }
        }
    }

    static func apply(_ mutation: StateMutation, to s: inout HubState) throws {
        switch mutation {
        case .putStore(let r): s.stores[r.key] = r
        case .deleteStore(let key):
            if s.connections.values.contains(where: { $0.store == key }) { throw StateError("store \(key) still has connections") }
            s.stores[key] = nil
        case .putWarehouse(let r): s.warehouses[r.key] = r
        case .renameWarehouse(let from, let to):
            guard let w = s.warehouses.removeValue(forKey: from) else { throw StateError("no warehouse \(from)") }
            s.warehouses[to] = w
            for (id, c) in s.connections where c.warehouse == from { s.connections[id]!.warehouse = to }
            s.stock[to] = s.stock.removeValue(forKey: from)
        case .deleteWarehouse(let key):
            if s.connections.values.contains(where: { $0.warehouse == key }) { throw StateError("warehouse \(key) is still linked") }
            s.warehouses[key] = nil
            s.stock[key] = nil
        case .putConnection(let r):
            guard s.warehouses[r.warehouse] != nil, s.stores[r.store] != nil else { throw StateError("connection \(r.displayName) references a missing object") }
            s.connections[r.id] = r
        case .deleteConnection(let id):
            s.connections[id] = nil
            s.syncMarks[id] = nil
        case .setStock(let warehouse, let quantities):
            guard s.warehouses[warehouse] != nil else { throw StateError("no warehouse \(warehouse)") }
            for (sku, n) in quantities { s.stock[warehouse, default: [:]][sku] = n }
        case .setSyncMarks(let id, let quantities):
            guard s.connections[id] != nil else { throw StateError("no connection \(id)") }
            for (sku, n) in quantities { s.syncMarks[id, default: [:]][sku] = n }
        case .addPendingPush(let push):
            if !s.pendingPushes.contains(where: { $0.key == push.key }) { s.pendingPushes.append(push) }
        case .removePendingPush(let key):
            s.pendingPushes.removeAll { $0.key == key }
        }
    }

    public func acquireLock(_ info: LockInfo) throws -> LockInfo? {
        lock.withLock {
            if let held = lockInfo { return held }
            lockInfo = info
            return nil
        }
    }

    public func releaseLock(holder: String?) throws {
        lock.withLock { if holder == nil || lockInfo?.holder == holder { lockInfo = nil } }
    }

    public func currentLock() throws -> LockInfo? { lock.withLock { lockInfo } }

    public func history(limit: Int) throws -> [HistoryEntry] { lock.withLock { Array(entries.prefix(limit)) } }
}
