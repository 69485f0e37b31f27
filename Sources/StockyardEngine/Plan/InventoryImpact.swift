/// What a connection change does to stock numbers: which side the master overwrites, and how.
public struct InventoryImpact: Sendable, Hashable, Codable {
    public enum Side: String, Sendable, Hashable, Codable {
        /// Store master: the location's numbers are copied into the warehouse.
        case warehouse
        /// Stockyard master: the warehouse's numbers are pushed to the location.
        case location
    }

    /// One SKU's number on the overwritten side, before and after.
    public struct SKUChange: Sendable, Hashable, Codable {
        public var sku: String
        public var from: Int
        public var to: Int

        public init(sku: String, from: Int, to: Int) {
            self.sku = sku
            self.from = from
            self.to = to
        }

        public var delta: Int { StockQuantity.subtracting(to, from) }
    }

    public var overwritten: Side
    /// Every SKU whose number changes, by SKU. Apply writes exactly these, compare-and-set against `from`.
    public var changes: [SKUChange]
    /// SKUs the warehouse knows and the location does not.
    public var onlyInWarehouse: Int
    /// SKUs the location knows and the warehouse does not.
    public var onlyAtLocation: Int

    public init(overwritten: Side, changes: [SKUChange], onlyInWarehouse: Int, onlyAtLocation: Int) {
        self.overwritten = overwritten
        self.changes = changes
        self.onlyInWarehouse = onlyInWarehouse
        self.onlyAtLocation = onlyAtLocation
    }

    enum CodingKeys: String, CodingKey {
        case overwritten, changes
        case onlyInWarehouse = "only_in_warehouse"
        case onlyAtLocation = "only_at_location"
    }

    public var unitsUp: Int { StockQuantity.sum(changes.lazy.map { max(0, $0.delta) }) }
    public var unitsDown: Int { StockQuantity.sum(changes.lazy.map { StockQuantity.magnitude(min(0, $0.delta)) }) }

    /// The ten largest differences, largest first, then by SKU.
    public var largest: [SKUChange] {
        // Kept in order while the changes go by, rather than all of them sorted for ten.
        func before(_ x: (size: Int, change: SKUChange), _ y: (size: Int, change: SKUChange)) -> Bool {
            x.size != y.size ? x.size > y.size : x.change.sku < y.change.sku
        }
        var top: [(size: Int, change: SKUChange)] = []
        top.reserveCapacity(11)
        for change in changes {
            let entry = (size: StockQuantity.magnitude(change.delta), change: change)
            if top.count == 10, !before(entry, top[9]) { continue }
            var at = top.count
            while at > 0, before(entry, top[at - 1]) { at -= 1 }
            top.insert(entry, at: at)
            if top.count > 10 { top.removeLast() }
        }
        return top.map(\.change)
    }

    /// Computes what overwriting one side with the other does: the warehouse with the location's
    /// numbers (`.warehouse`, a pull) or the location with the warehouse's (`.location`, a push).
    /// A pull mirrors the location, so SKUs it lacks become 0 in the warehouse; a push only writes
    /// the SKUs the location stocks, since a store cannot take a number for an item it does not carry.
    public static func overwrite(_ side: Side, warehouse: [String: Int], location: [String: Int]) -> InventoryImpact {
        // Each SKU's pair of numbers gathered by walking one side and looking each SKU up in the
        // other, once: the SKUs found there are the shared ones, and only when the other side has
        // SKUs not shared is it walked too. Then the pairs that change, sorted by SKU. At 200 SKUs
        // a location, the lookups were most of an impact's time.
        var pairs: [SKUChange] = []
        var shared = 0
        if side == .location {
            pairs.reserveCapacity(location.count)
            for (sku, units) in location {
                let stocked = warehouse[sku]
                if stocked != nil { shared += 1 }
                if units != stocked ?? 0 { pairs.append(SKUChange(sku: sku, from: units, to: stocked ?? 0)) }
            }
        } else {
            pairs.reserveCapacity(warehouse.count + location.count)
            for (sku, units) in warehouse {
                let there = location[sku]
                if there != nil { shared += 1 }
                if units != there ?? 0 { pairs.append(SKUChange(sku: sku, from: units, to: there ?? 0)) }
            }
            if shared < location.count {
                for (sku, units) in location where units != 0 && warehouse[sku] == nil { pairs.append(SKUChange(sku: sku, from: 0, to: units)) }
            }
        }
        sortBySKU(&pairs)
        return InventoryImpact(overwritten: side, changes: pairs, onlyInWarehouse: warehouse.count - shared, onlyAtLocation: location.count - shared)
    }

    /// Sorts by SKU, in the order of `String`'s `<`. ASCII SKUs (nearly all) are sorted by their
    /// first 16 bytes as two integers, the rest compared as strings only when those are equal: for
    /// ASCII text, `<` is the order of the bytes. At 200 SKUs a location, comparing every pair as
    /// strings was half of an impact's time.
    static func sortBySKU(_ pairs: inout [SKUChange]) {
        var keys: [(high: UInt64, low: UInt64, index: Int)] = []
        keys.reserveCapacity(pairs.count)
        for (index, pair) in pairs.enumerated() {
            var high: UInt64 = 0
            var low: UInt64 = 0
            var at = 0
            for byte in pair.sku.utf8 {
                guard byte < 0x80 else {
                    pairs.sort { $0.sku < $1.sku }
                    return
                }
                if at < 8 {
                    high |= UInt64(byte) << (56 - 8 * at)
                } else if at < 16 {
                    low |= UInt64(byte) << (56 - 8 * (at - 8))
                }
                at += 1
            }
            keys.append((high, low, index))
        }
        keys.sort { a, b in
            if a.high != b.high { return a.high < b.high }
            if a.low != b.low { return a.low < b.low }
            return pairs[a.index].sku < pairs[b.index].sku
        }
        pairs = keys.map { pairs[$0.index] }
    }

    /// One line for people: "overwrites the location: 3 SKUs change, +4 / -10 units".
    public var summary: String {
        if changes.isEmpty { return "no numbers change (both sides already agree)" }
        var text = "overwrites the \(overwritten.rawValue): \(changes.count) SKU\(changes.count == 1 ? "" : "s") change, +\(unitsUp) / -\(unitsDown) units"
        if onlyInWarehouse > 0 {
            let only = "\(onlyInWarehouse) SKU\(onlyInWarehouse == 1 ? "" : "s") only in the warehouse"
            text += overwritten == .location ? "; \(only) (the location does not stock \(onlyInWarehouse == 1 ? "it" : "them"): not pushed)" : "; \(only)"
        }
        if onlyAtLocation > 0 { text += "; \(onlyAtLocation) SKU\(onlyAtLocation == 1 ? "" : "s") only at the location" }
        return text
    }

    /// True when the change sets a location's stock to zero across the board.
    public var zeroesLocation: Bool {
        overwritten == .location && !changes.isEmpty && changes.allSatisfy { $0.to == 0 }
    }
}
