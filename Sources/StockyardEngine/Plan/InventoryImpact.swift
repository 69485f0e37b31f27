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
    public var largest: [SKUChange] { withLargest { positions in positions.map { changes[$0] } } }

    /// Calls `body` with the positions in ``changes`` of ``largest``, in its order: kept in order
    /// while the changes go by, rather than all of them sorted for ten, in room on the stack (two
    /// arrays made for each impact its JSON writes were a twentieth of a first plan's writing).
    func withLargest<R>(_ body: (UnsafeBufferPointer<Int>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: (size: Int, position: Int).self, capacity: 11) { top in
            func before(_ x: (size: Int, position: Int), _ y: (size: Int, position: Int)) -> Bool {
                x.size != y.size ? x.size > y.size : changes[x.position].sku < changes[y.position].sku
            }
            var count = 0
            for position in changes.indices {
                let entry = (size: StockQuantity.magnitude(changes[position].delta), position: position)
                if count == 10, !before(entry, top[9]) { continue }
                var at = count
                while at > 0, before(entry, top[at - 1]) {
                    top[at] = top[at - 1]
                    at -= 1
                }
                top[at] = entry
                count = Swift.min(count + 1, 10)
            }
            return withUnsafeTemporaryAllocation(of: Int.self, capacity: 10) { positions in
                for i in 0..<count { positions[i] = top[i].position }
                return body(UnsafeBufferPointer(rebasing: positions[..<count]))
            }
        }
    }

    /// Computes what overwriting one side with the other does: the warehouse with the location's
    /// numbers (`.warehouse`, a pull) or the location with the warehouse's (`.location`, a push).
    /// A pull mirrors the location, so SKUs it lacks become 0 in the warehouse; a push only writes
    /// the SKUs the location stocks, since a store cannot take a number for an item it does not carry.
    ///
    /// Both sides are walked side by side in SKU order, once: the changes come out sorted by SKU,
    /// with no lookup and no sort.
    public static func overwrite(_ side: Side, warehouse: SKUNumbers, location: SKUNumbers) -> InventoryImpact {
        var pairs: [SKUChange] = []
        pairs.reserveCapacity(side == .location ? location.count : warehouse.count + location.count)
        let (wSKUs, wUnits, lSKUs, lUnits) = (warehouse.skus, warehouse.units, location.skus, location.units)
        var w = 0
        var l = 0
        var shared = 0
        while w < wSKUs.count || l < lSKUs.count {
            // Which side's SKU comes first: the warehouse's alone (-1), the location's alone (1), or both (0).
            let order: Int
            if w == wSKUs.count {
                order = 1
            } else if l == lSKUs.count {
                order = -1
            } else if wSKUs[w] == lSKUs[l] {
                order = 0
            } else {
                order = wSKUs[w] < lSKUs[l] ? -1 : 1
            }
            switch (order, side) {
            case (0, .location):
                shared += 1
                if lUnits[l] != wUnits[w] { pairs.append(SKUChange(sku: lSKUs[l], from: lUnits[l], to: wUnits[w])) }
            case (0, .warehouse):
                shared += 1
                if wUnits[w] != lUnits[l] { pairs.append(SKUChange(sku: wSKUs[w], from: wUnits[w], to: lUnits[l])) }
            case (-1, .warehouse):
                if wUnits[w] != 0 { pairs.append(SKUChange(sku: wSKUs[w], from: wUnits[w], to: 0)) }
            case (1, .location):
                if lUnits[l] != 0 { pairs.append(SKUChange(sku: lSKUs[l], from: lUnits[l], to: 0)) }
            case (1, .warehouse):
                if lUnits[l] != 0 { pairs.append(SKUChange(sku: lSKUs[l], from: 0, to: lUnits[l])) }
            default:
                break  // a warehouse's SKU the location does not stock: not pushed
            }
            if order <= 0 { w += 1 }
            if order >= 0 { l += 1 }
        }
        return InventoryImpact(overwritten: side, changes: pairs, onlyInWarehouse: warehouse.count - shared, onlyAtLocation: location.count - shared)
    }

    /// One line for people: "overwrites the location: 3 SKUs change, +4 / -10 units".
    public var summary: String {
        var bytes: [UInt8] = []
        writeSummary(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// ``summary``'s bytes, appended: a plan's JSON writes them straight into its output.
    func writeSummary(into out: inout [UInt8]) {
        if changes.isEmpty {
            out.append(contentsOf: "no numbers change (both sides already agree)".utf8)
            return
        }
        out.append(contentsOf: "overwrites the ".utf8)
        out.append(contentsOf: overwritten.rawValue.utf8)
        out.append(contentsOf: ": ".utf8)
        JSONPlanRenderer.writeInt(changes.count, into: &out)
        out.append(contentsOf: (changes.count == 1 ? " SKU change, +" : " SKUs change, +").utf8)
        JSONPlanRenderer.writeInt(unitsUp, into: &out)
        out.append(contentsOf: " / -".utf8)
        JSONPlanRenderer.writeInt(unitsDown, into: &out)
        out.append(contentsOf: " units".utf8)
        /// "; 3 SKUs only …"
        func only(_ count: Int, _ place: String) {
            out.append(contentsOf: "; ".utf8)
            JSONPlanRenderer.writeInt(count, into: &out)
            out.append(contentsOf: (count == 1 ? " SKU only " : " SKUs only ").utf8)
            out.append(contentsOf: place.utf8)
        }
        if onlyInWarehouse > 0 {
            only(onlyInWarehouse, "in the warehouse")
            if overwritten == .location {
                out.append(
                    contentsOf: (onlyInWarehouse == 1 ? " (the location does not stock it: not pushed)" : " (the location does not stock them: not pushed)")
                        .utf8)
            }
        }
        if onlyAtLocation > 0 { only(onlyAtLocation, "at the location") }
    }

    /// True when the change sets a location's stock to zero across the board.
    public var zeroesLocation: Bool {
        overwritten == .location && !changes.isEmpty && changes.allSatisfy { $0.to == 0 }
    }
}
