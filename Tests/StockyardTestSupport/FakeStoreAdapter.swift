import Foundation
import StockyardEngine

/// A hand-written in-memory store: compare-and-set writes, idempotency keys, and hooks that let a
/// test land a sale in the middle of a write or make the process "crash" around one.
public final class FakeStoreAdapter: StoreAdapter, @unchecked Sendable {
    public enum Crash: Sendable { case none, beforeWrite, afterWrite }

    private let lock = NSLock()
    private var storedLocations: [StoreLocation]
    private var stock: [String: [String: Int]]
    private var answered: [String: WriteOutcome] = [:]
    /// Called (outside the lock) just before a write request is carried out.
    public var beforeWrite: (@Sendable (FakeStoreAdapter) -> Void)?
    /// Decides, per write request, whether to throw as if the process died around it.
    public var crash: (@Sendable () -> Crash)?
    public private(set) var writeRequests = 0
    /// The writes of every request carried out, in order.
    public private(set) var requests: [[QuantityWrite]] = []
    /// A request this returns true for is turned away whole, with an error that says nothing was
    /// written (as a store does for a SKU the location stopped stocking).
    public var refuse: (@Sendable ([QuantityWrite]) -> Bool)?
    /// When set, the store stamps each level when its number changes, by this clock, and answers
    /// reads of changes since an instant (`changedSince`, inclusive) as Shopify's `updated_at` filter
    /// does. Unset, every read is a full one, as the `file` store's.
    public var clock: (@Sendable () -> Date)? {
        // Every level starts stamped with the moment the store got its clock.
        didSet { if let now = clock?() { lock.withLock { stamps = stock.mapValues { $0.mapValues { _ in now } } } } }
    }
    private var stamps: [String: [String: Date]] = [:]
    /// Reads answered in full, of changes only, and of chosen SKUs.
    public private(set) var fullReads = 0
    public private(set) var changeReads = 0
    public private(set) var skuReads = 0

    public struct Crashed: Error, CustomStringConvertible {
        public var description: String { "simulated crash" }
    }

    public struct Refused: StoreWriteError, CustomStringConvertible {
        /// A refusal of the store as a whole (its credentials), not of one location.
        public var wholeStore = false
        public var nothingWritten: Bool { true }
        public var concernsTheWholeStore: Bool { wholeStore }
        public var description: String { wholeStore ? "the store refused the credentials, nothing written" : "refused whole, nothing written" }
    }

    /// Makes `refuse`'s refusals the store's as a whole.
    public var refusalsAreStoreWide = false

    public init(locations: [StoreLocation], quantities: [String: [String: Int]] = [:]) {
        storedLocations = locations
        stock = quantities
    }

    public func locations() async throws -> [StoreLocation] { lock.withLock { storedLocations } }

    public func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]] {
        lock.withLock {
            fullReads += locationIDs.count
            var out: [String: [String: Int]] = [:]
            for id in locationIDs { out[id] = stock[id] ?? [:] }
            return out
        }
    }

    public func levels(at locationID: String, changedSince: Date?) async throws -> LevelReading {
        lock.withLock {
            let all = stock[locationID] ?? [:]
            let times = stamps[locationID] ?? [:]
            guard clock != nil, let changedSince else {
                fullReads += 1
                return LevelReading(quantities: all, changedAt: times, isComplete: true)
            }
            changeReads += 1
            let changed = all.filter { sku, _ in (times[sku] ?? .distantPast) >= changedSince }
            return LevelReading(quantities: changed, changedAt: times.filter { changed[$0.key] != nil }, isComplete: false)
        }
    }

    public func quantities(of skus: [String], at locationID: String) async throws -> [String: Int] {
        lock.withLock {
            skuReads += 1
            var out: [String: Int] = [:]
            for sku in skus { if let n = stock[locationID]?[sku] { out[sku] = n } }
            return out
        }
    }

    /// Sets a level and, unless `stamped` is false (a change the store fails to report), stamps it.
    private func set(_ quantity: Int, _ sku: String, at location: String, stamped: Bool = true) {
        if stamped, stock[location]?[sku] != quantity, let clock { stamps[location, default: [:]][sku] = clock() }
        stock[location, default: [:]][sku] = quantity
    }

    /// All or nothing, as Shopify's `inventorySetQuantities` is for one call.
    public func setQuantities(_ writes: [QuantityWrite], idempotencyKey: String) async throws -> WriteOutcome {
        if let previous = lock.withLock({ answered[idempotencyKey] }) { return previous }
        let crashing = crash?() ?? .none
        if crashing == .beforeWrite { throw Crashed() }
        if refuse?(writes) == true { throw Refused(wholeStore: refusalsAreStoreWide) }
        beforeWrite?(self)
        let outcome = lock.withLock { () -> WriteOutcome in
            writeRequests += 1
            requests.append(writes)
            let refused = writes.filter { w in w.expected.map { $0 != (stock[w.locationID]?[w.sku] ?? 0) } ?? false }
            let outcome = refused.isEmpty ? WriteOutcome.all(writes) : WriteOutcome(written: [], refused: refused)
            for w in outcome.written { set(w.quantity, w.sku, at: w.locationID) }
            answered[idempotencyKey] = outcome
            return outcome
        }
        if crashing == .afterWrite { throw Crashed() }
        return outcome
    }

    /// A customer buys `units` at a location (only what it shows as available). Returns units sold.
    /// `stamped: false` is a sale the store fails to report to a read of changes.
    @discardableResult
    public func sell(_ sku: String, _ units: Int, at location: String, stamped: Bool = true) -> Int {
        lock.withLock {
            let have = stock[location]?[sku] ?? 0
            let sold = min(units, max(0, have))
            set(have - sold, sku, at: location, stamped: stamped)
            return sold
        }
    }

    /// Someone edits the number directly in the store.
    public func edit(_ sku: String, to quantity: Int, at location: String) {
        lock.withLock { set(quantity, sku, at: location) }
    }

    /// The location stops stocking the SKU.
    public func unstock(_ sku: String, at location: String) {
        lock.withLock {
            stock[location]?[sku] = nil
            stamps[location]?[sku] = nil
        }
    }

    public func quantity(_ sku: String, at location: String) -> Int {
        lock.withLock { stock[location]?[sku] ?? 0 }
    }
}

/// A small, seeded random number generator (SplitMix64), so randomised tests replay exactly.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
