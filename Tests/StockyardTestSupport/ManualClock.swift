import Foundation

/// A clock a test moves by hand, shared by the hub and its fake stores, so that the instants a
/// sync reads through and the stamps a store gives its changes can be placed exactly.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    /// Starts on a whole second, as a store's `updated_at` shows time.
    public init(_ start: Date = Date(timeIntervalSince1970: 1_795_000_000)) {
        current = start
    }

    public var now: Date { lock.withLock { current } }

    public func advance(by seconds: TimeInterval) {
        lock.withLock { current = current.addingTimeInterval(seconds) }
    }
}
