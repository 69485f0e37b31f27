import Foundation

/// One location's inventory levels as sync read them.
public struct LevelReading: Sendable, Hashable {
    /// Units per SKU of the levels read.
    public var quantities: [String: Int]
    /// When the store last changed each level read, by its own clock; empty when it does not say.
    public var changedAt: [String: Date]
    /// Every level of the location was read: a SKU missing here is not stocked there.
    public var isComplete: Bool

    public init(quantities: [String: Int], changedAt: [String: Date] = [:], isComplete: Bool) {
        self.quantities = quantities
        self.changedAt = changedAt
        self.isComplete = isComplete
    }
}

extension StoreAdapter {
    /// A full read, whatever `changedSince` says: right for a store that is cheap to read whole.
    public func levels(at locationID: String, changedSince: Date?) async throws -> LevelReading {
        LevelReading(quantities: try await quantities(at: [locationID])[locationID] ?? [:], isComplete: true)
    }

    /// The SKUs' units, from a full read of the location.
    public func quantities(of skus: [String], at locationID: String) async throws -> [String: Int] {
        let all = try await quantities(at: [locationID])[locationID] ?? [:]
        var out: [String: Int] = [:]
        for sku in skus { if let units = all[sku] { out[sku] = units } }
        return out
    }
}
