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
    /// A commit this returns true for throws, leaving the state untouched (a crash before it).
    public var failingCommit: (@Sendable ([StateMutation]) -> Bool)?

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
                throw StateError.failed(doing: "committing \(address) to", place: "memory", reason: "injected failure")
            }
            if failingCommit?(mutations) == true {
                throw StateError.failed(doing: "committing to", place: "memory", reason: "injected failure")
            }
            do {
                state = try state.applying(mutations)
            } catch let violation as StateRuleViolation {
                throw StateError.rule(violation)
            }
            if let history { entries.insert(history, at: 0) }
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

    public func close() async {}

    public func connections(inWarehouse key: String) -> [ConnectionRecord] { lock.withLock { state.connections(inWarehouse: key) } }
    public func stock(inWarehouse key: String) -> SKUNumbers { lock.withLock { state.stock[key] ?? [:] } }
    public func stock(inWarehouses keys: [String]) -> [String: SKUNumbers] { lock.withLock { state.stock(inWarehouses: keys) } }
    public func syncMarks(of ids: [ConnectionRecord.ID]) -> [ConnectionRecord.ID: [String: Int]] { lock.withLock { state.syncMarks(of: ids) } }
    public func pendingPushes() -> [PendingPush] { lock.withLock { state.pendingPushes } }

    public func history(limit: Int) throws -> [HistoryEntry] { lock.withLock { Array(entries.prefix(limit)) } }
}
