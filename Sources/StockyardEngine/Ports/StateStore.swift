/// One write to the hub's state. Several make up one applied change, and are committed together.
public enum StateMutation: Sendable, Hashable {
    case putStore(StoreRecord)
    case deleteStore(key: String)
    case putWarehouse(WarehouseRecord)
    /// Renames a warehouse and re-points every connection and stock row that used the old key.
    case renameWarehouse(from: String, to: String)
    case deleteWarehouse(key: String)
    case putConnection(ConnectionRecord)
    /// Deletes a connection and its sync marks, on every store (a new connection to the same
    /// location starts without marks, as a new link should).
    case deleteConnection(ConnectionRecord.ID)
    /// Replaces the stock of the given SKUs in one warehouse.
    case setStock(warehouse: String, quantities: [String: Int])
    /// Replaces the given SKUs' sync marks of one connection: the quantity last pushed or pulled.
    /// A connection that is not in the state is refused (``StateRuleViolation/syncMarksConnectionMissing(_:)``).
    case setSyncMarks(ConnectionRecord.ID, quantities: [String: Int])
    /// Journals a push before it is sent, so a crash between the push and its commit can be resolved.
    case addPendingPush(PendingPush)
    case removePendingPush(key: String)
    /// Records how far sync has read a location (replaces its read mark).
    case setReadMark(ReadMark)
    /// Forgets the sync marks of SKUs a location no longer stocks, as a full read of it showed.
    case removeSyncMarks(ConnectionRecord.ID, skus: [String])
}

/// A push to a store that was journaled but not yet known to have landed: one write request, sent
/// with one idempotency key. Apply pushes to one location; sync batches a store's writes, so a push
/// may write to several of its locations (each write names its own).
public struct PendingPush: Sendable, Hashable, Codable {
    /// The idempotency key the push is sent with.
    public var key: String
    public var store: String
    /// The location of the first write (what the state's `pending_pushes.location_id` holds);
    /// ``locationIDs`` names every location the push writes to.
    public var locationID: String
    public var writes: [QuantityWrite]

    /// Every location the push writes to, in the order of its writes (``locationID`` when it has none).
    public var locationIDs: [String] {
        var seen = Set<String>()
        let ids = writes.map(\.locationID).filter { seen.insert($0).inserted }
        return ids.isEmpty ? [locationID] : ids
    }

    public init(key: String, store: String, locationID: String, writes: [QuantityWrite]) {
        self.key = key
        self.store = store
        self.locationID = locationID
        self.writes = writes
    }
}

/// Who holds the apply lock, so that a second apply can name it.
public struct LockInfo: Sendable, Hashable, Codable {
    public var holder: String
    public var host: String
    public var pid: Int32
    public var since: String
    public var command: String

    public init(holder: String, host: String, pid: Int32, since: String, command: String) {
        self.holder = holder
        self.host = host
        self.pid = pid
        self.since = since
        self.command = command
    }
}

/// One applied change, as kept in the state's history.
public struct HistoryEntry: Sendable, Hashable, Codable {
    public var time: String
    public var planID: String
    public var address: String
    public var action: ChangeAction
    public var before: ObjectRecord?
    public var after: ObjectRecord?

    public init(time: String, planID: String, address: String, action: ChangeAction, before: ObjectRecord?, after: ObjectRecord?) {
        self.time = time
        self.planID = planID
        self.address = address
        self.action = action
        self.before = before
        self.after = after
    }
}

extension StateStore {
    public func loadForPlan() async throws -> HubState { try await load() }

    /// One targeted read per warehouse, for a store without a batched one.
    public func stock(inWarehouses keys: [String]) async throws -> [String: SKUNumbers] {
        var out: [String: SKUNumbers] = [:]
        for key in Set(keys) {
            let quantities = try await stock(inWarehouse: key)
            if !quantities.isEmpty { out[key] = quantities }
        }
        return out
    }

    /// No leftover lock record where the lock is its record (a file: a dead holder's record is the lock).
    public func clearStaleLock() async throws -> LockInfo? { nil }
}

/// The hub's own records. Implementations: an embedded SQLite file, and PostgreSQL for teams.
/// Async, because a database server is reached over the network; an embedded store may answer at once.
/// ``Closable/close()`` ends a server's connections, so the server sees the sessions end rather
/// than the sockets drop; a no-op for a file.
public protocol StateStore: Closable {
    /// The whole state; an empty hub when nothing was ever written.
    func load() async throws -> HubState
    /// What a plan needs: the whole state but the sync marks and the push journal, which only
    /// `sync` and `apply` use (they are the largest part of a big hub's state). The stock may be
    /// left out too: a plan reads the few warehouses it shows numbers of with ``stock(inWarehouses:)``.
    func loadForPlan() async throws -> HubState
    // MARK: - Targeted reads: what a sync round or an apply step needs, without the whole state.
    /// The warehouse's connections, by store and location id (``ConnectionRecord/ID`` order).
    func connections(inWarehouse key: String) async throws -> [ConnectionRecord]
    /// The warehouse's units per SKU; empty for a warehouse without stock or not in the state.
    func stock(inWarehouse key: String) async throws -> SKUNumbers
    /// The units per SKU of those of `keys` that hold stock, in one read transaction and as few
    /// queries as the database allows (a plan of a big hub needs a few thousand warehouses).
    func stock(inWarehouses keys: [String]) async throws -> [String: SKUNumbers]
    /// The sync marks of those of `ids` that have any.
    func syncMarks(of ids: [ConnectionRecord.ID]) async throws -> [ConnectionRecord.ID: [String: Int]]
    /// Pushes journaled but not yet known to have landed, oldest first.
    func pendingPushes() async throws -> [PendingPush]

    /// Commits the mutations and the history entry in one transaction: all or nothing.
    func commit(_ mutations: [StateMutation], history: HistoryEntry?) async throws
    /// Takes the apply lock, or returns who holds it.
    func acquireLock(_ info: LockInfo) async throws -> LockInfo?
    /// Releases the lock if `holder` holds it (or any lock when `holder` is nil).
    func releaseLock(holder: String?) async throws
    /// The lock's holder, if any.
    func currentLock() async throws -> LockInfo?
    /// Applied changes, newest first.
    func history(limit: Int) async throws -> [HistoryEntry]
    /// Clears a lock record whose holder is gone but whose lock is already free (a server that
    /// drops a dead session's lock keeps its record), and returns it.
    func clearStaleLock() async throws -> LockInfo?
}
