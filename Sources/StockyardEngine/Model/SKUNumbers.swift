/// One place's numbers by SKU (a warehouse's stock, a location's levels), each SKU once, held in
/// the order of their SKUs (`String`'s `<`).
///
/// A store file's SKU objects are written sorted and a state's rows come in key order, so these
/// are usually built in one pass with no hashing; and two of them are compared (an impact) by
/// walking both side by side, with no lookups and no sort. As `[String: Int]` dictionaries, at 200
/// SKUs a location, hashing the SKUs to build and to look them up, and sorting each impact's
/// changes, were a sixth of a plan's time. Reads and writes of one SKU find it by binary search.
public struct SKUNumbers: Sendable, Hashable, RandomAccessCollection, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One SKU and its number, named as a dictionary's element is, so that code reads the same.
    public typealias Element = (key: String, value: Int)

    /// Strictly ascending by SKU.
    public private(set) var skus: [String]
    /// `units[i]` is the number of `skus[i]`.
    public private(set) var units: [Int]

    public init() {
        skus = []
        units = []
    }

    /// From pairs in any order; where one SKU is given twice (equal as strings), the last one holds,
    /// as when each is assigned to a dictionary in turn. Pairs already in order (the usual case)
    /// are taken in one pass, with no sort.
    public init<S: Sequence>(pairs: S) where S.Element == (String, Int) {
        var skus: [String] = []
        var units: [Int] = []
        skus.reserveCapacity(pairs.underestimatedCount)
        units.reserveCapacity(pairs.underestimatedCount)
        for (sku, n) in pairs {
            skus.append(sku)
            units.append(n)
        }
        self.init(skus: skus, units: units)
    }

    /// From a dictionary: its pairs sorted.
    public init(_ dictionary: [String: Int]) {
        self.init(pairs: dictionary.lazy.map { ($0.key, $0.value) })
    }

    public init(dictionaryLiteral elements: (String, Int)...) {
        self.init(pairs: elements)
    }

    /// From two parallel arrays (`units[i]` the number of `skus[i]`) in any order, as
    /// ``init(pairs:)``.
    public init(skus: [String], units: [Int]) {
        precondition(skus.count == units.count, "SKUNumbers: \(skus.count) SKUs and \(units.count) numbers")
        var ascending = true
        var descending = true
        var i = 1
        while i < skus.count, ascending || descending {
            if ascending, !(skus[i - 1] < skus[i]) { ascending = false }
            if descending, !(skus[i] < skus[i - 1]) { descending = false }
            i += 1
        }
        if ascending {
            self.skus = skus
            self.units = units
            return
        }
        if descending {
            // Written from the last SKU to the first (no two alike): turned round, in place
            // when the arrays are not shared.
            var (skus, units) = (skus, units)
            skus.reverse()
            units.reverse()
            self.skus = skus
            self.units = units
            return
        }
        // Sorted by SKU, the later of equal SKUs after the earlier (a stable order), then of each
        // run of equal SKUs only the last kept.
        let order = skus.indices.sorted { a, b in skus[a] < skus[b] || (skus[a] == skus[b] && a < b) }
        var keptSKUs: [String] = []
        var keptUnits: [Int] = []
        keptSKUs.reserveCapacity(skus.count)
        keptUnits.reserveCapacity(skus.count)
        for (k, index) in order.enumerated() {
            if k + 1 < order.count, skus[order[k + 1]] == skus[index] { continue }
            keptSKUs.append(skus[index])
            keptUnits.append(units[index])
        }
        self.skus = keptSKUs
        self.units = keptUnits
    }

    // MARK: Collection

    public var startIndex: Int { 0 }
    public var endIndex: Int { skus.count }
    public subscript(position: Int) -> Element { (skus[position], units[position]) }

    // MARK: As a dictionary

    /// Where `sku` is, or where it would go.
    private func search(_ sku: String) -> (index: Int, found: Bool) {
        var low = 0
        var high = skus.count
        while low < high {
            let middle = (low + high) / 2
            if skus[middle] < sku { low = middle + 1 } else { high = middle }
        }
        return (low, low < skus.count && skus[low] == sku)
    }

    /// The SKU's number, nil when there is none; setting nil removes it. One SKU is found by a
    /// binary search; a new one is inserted where it sorts (at the end, at no cost, when SKUs come
    /// in order). To set many, ``merge(_:)`` is linear.
    public subscript(sku: String) -> Int? {
        get {
            let (index, found) = search(sku)
            return found ? units[index] : nil
        }
        set {
            if let last = skus.last, last < sku, let newValue {
                skus.append(sku)
                units.append(newValue)
                return
            }
            let (index, found) = search(sku)
            switch (found, newValue) {
            case (true, let n?): units[index] = n
            case (true, nil):
                skus.remove(at: index)
                units.remove(at: index)
            case (false, let n?):
                skus.insert(sku, at: index)
                units.insert(n, at: index)
            case (false, nil): break
            }
        }
    }

    public var keys: [String] { skus }
    public var values: [Int] { units }

    /// The same numbers as a dictionary.
    public var dictionary: [String: Int] {
        Dictionary(uniqueKeysWithValues: zip(skus, units))
    }

    /// These numbers with `other`'s set over them (a SKU in both takes `other`'s number): one walk of
    /// both, in order.
    private func merging(_ other: SKUNumbers) -> SKUNumbers {
        if other.isEmpty { return self }
        if isEmpty { return other }
        var out = SKUNumbers()
        out.skus.reserveCapacity(skus.count + other.skus.count)
        out.units.reserveCapacity(skus.count + other.skus.count)
        var i = 0
        var j = 0
        while i < skus.count || j < other.skus.count {
            if j == other.skus.count || (i < skus.count && skus[i] < other.skus[j]) {
                out.skus.append(skus[i])
                out.units.append(units[i])
                i += 1
            } else {
                if i < skus.count, skus[i] == other.skus[j] { i += 1 }
                out.skus.append(other.skus[j])
                out.units.append(other.units[j])
                j += 1
            }
        }
        return out
    }

    /// Sets `other`'s numbers over these (a SKU in both takes `other`'s): sorted, then one walk of both.
    public mutating func merge(_ other: [String: Int]) {
        self = merging(SKUNumbers(other))
    }

    public static func == (a: SKUNumbers, b: SKUNumbers) -> Bool {
        a.skus == b.skus && a.units == b.units
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(skus)
        hasher.combine(units)
    }

    public var description: String {
        "[" + indices.map { "\(String(reflecting: skus[$0])): \(units[$0])" }.joined(separator: ", ") + "]"
    }
}

extension SKUNumbers: Codable {
    /// Written and read as a JSON object, SKU to number, as a dictionary is.
    public init(from decoder: any Decoder) throws {
        self.init(try [String: Int](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}
