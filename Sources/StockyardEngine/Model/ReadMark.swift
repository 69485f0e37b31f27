import Foundation

/// How far sync has read one store location: the read mark of `(store, location)`.
///
/// A sync round reads only the levels the store stamped as changed after `readThrough`, less an
/// overlap window (a clock that runs behind, a change committed a moment after it was stamped), and
/// takes every level it did not read to still hold its sync mark. A full read of the location runs on
/// its first sync, after a push to it went unresolved, and once `fullReadAt` is older than the
/// full-reconciliation interval.
public struct ReadMark: Sendable, Hashable, Codable {
    public var store: String
    public var locationID: String
    /// When the last read of the location began: every change stamped before it was read then or earlier.
    public var readThrough: Date
    /// When the last full read of the location began.
    public var fullReadAt: Date

    public init(store: String, locationID: String, readThrough: Date, fullReadAt: Date) {
        self.store = store
        self.locationID = locationID
        self.readThrough = ReadMark.milliseconds(readThrough)
        self.fullReadAt = ReadMark.milliseconds(fullReadAt)
    }

    public var id: ConnectionRecord.ID { ConnectionRecord.ID(store: store, locationID: locationID) }

    /// Whole milliseconds since 1970: what every state backend keeps, so a mark reads back equal.
    public var readThroughMilliseconds: Int64 { Int64((readThrough.timeIntervalSince1970 * 1000).rounded()) }
    public var fullReadAtMilliseconds: Int64 { Int64((fullReadAt.timeIntervalSince1970 * 1000).rounded()) }

    public init(store: String, locationID: String, readThroughMilliseconds: Int64, fullReadAtMilliseconds: Int64) {
        self.init(
            store: store, locationID: locationID,
            readThrough: Date(timeIntervalSince1970: Double(readThroughMilliseconds) / 1000),
            fullReadAt: Date(timeIntervalSince1970: Double(fullReadAtMilliseconds) / 1000))
    }

    static func milliseconds(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
    }
}
