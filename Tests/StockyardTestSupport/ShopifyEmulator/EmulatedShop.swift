import Foundation
import StockyardEngine

/// One emulated shop: its locations, stock, token, rate-limit bucket, scheduled faults and what
/// it has seen. An actor, so that requests served concurrently see one consistent shop.
public actor EmulatedShop {
    struct Item {
        var id: Int
        var sku: String?
    }

    struct Level {
        var available: Int
        var onHand: Int
        /// `InventoryLevel.updatedAt`: the shop's clock when the quantities last changed.
        var updatedAt: Date
    }

    struct ScheduledFault {
        var fault: ShopifyFault
        var target: FaultTarget
        var remaining: Int
    }

    var token: String
    var limits: CostLimits
    var bucket: Double
    var bucketTime = ContinuousClock.now
    var locations: [EmulatedLocation] = []
    var items: [Int: Item] = [:]
    /// The first item made under each SKU: what the fixtures below mean by a SKU (a linear search
    /// of `items` made stocking a 20,000-SKU catalog quadratic).
    var itemBySKU: [String: Int] = [:]
    /// Location legacy id → item id → quantities. An entry means the item is stocked there.
    var levels: [Int: [Int: Level]] = [:]
    var faults: [ScheduledFault] = []
    var stats = EmulatorStats()
    var inFlight = 0
    /// Every request waits this long before its answer: makes concurrency observable.
    var latency: Duration = .zero
    /// Idempotency key → (the input it was used with, the answer given).
    var idempotency: [String: (fingerprint: Data, data: [String: Any])] = [:]
    var nextID = 1001
    var nextAdjustmentGroup = 1
    /// Location fields this shop's token may not read: asked for, each comes back null with an
    /// ACCESS_DENIED error at its path, beside the rest of the answer (Shopify's field-level denial).
    var deniedLocationFields: Set<String> = []
    /// Field-level errors of the answer being made, sent with its data.
    var fieldErrors: [[String: Any]] = []
    /// Bulk operations by number; their result files are served at `bulkBaseURL/bulk/N.jsonl`.
    var bulkOperations: [Int: BulkOperation] = [:]
    var nextBulkOperation = 1
    /// Where the emulator serves bulk results: set when the server starts.
    var bulkBaseURL = ""
    /// How many status polls an operation stays RUNNING before it completes.
    var bulkPollsToComplete = 1
    /// How the next bulk operations end instead of completing (FAILED with a code, CANCELED), in order.
    var bulkOutcomes: [BulkOperation.Ending] = []
    /// The shop's clock, which stamps `updatedAt`: the machine's, this many seconds off (a clock
    /// that runs behind is negative), or a fixed instant a test chose.
    var clockSkew: TimeInterval = 0
    var fixedClock: Date?

    init(token: String, limits: CostLimits) {
        self.token = token
        self.limits = limits
        self.bucket = limits.maximumAvailable
    }

    // MARK: - Fixtures

    /// Adds a location; returns its id (`gid://shopify/Location/N`).
    @discardableResult
    public func addLocation(
        _ name: String, active: Bool = true, fulfillmentService: String? = nil, legacy: Bool = false, address: PostalAddress? = nil
    ) -> String {
        let location = EmulatedLocation(
            legacyID: takeID(), name: name, isActive: active, fulfillmentService: fulfillmentService, isLegacy: legacy, address: address)
        locations.append(location)
        return location.gid
    }

    /// Adds a location under a chosen id, for configs that pin `id: gid://shopify/Location/N`;
    /// returns the id. Later locations get ids above it, so none is given twice.
    @discardableResult
    public func addLocation(
        _ name: String, legacyID: Int, active: Bool = true, fulfillmentService: String? = nil, legacy: Bool = false,
        address: PostalAddress? = nil
    ) -> String {
        precondition(!locations.contains { $0.legacyID == legacyID }, "location id \(legacyID) is taken")
        nextID = max(nextID, legacyID + 1)
        let location = EmulatedLocation(
            legacyID: legacyID, name: name, isActive: active, fulfillmentService: fulfillmentService, isLegacy: legacy, address: address)
        locations.append(location)
        return location.gid
    }

    /// Adds `count` plain active locations named `"\(prefix) 1"` … and returns their ids.
    @discardableResult
    public func addLocations(count: Int, prefix: String = "Location") -> [String] {
        (0..<max(count, 0)).map { addLocation("\(prefix) \($0 + 1)") }
    }

    /// Stocks `sku` at the location (creating the item the first time) with this many units available.
    public func setAvailable(_ units: Int, sku: String, at locationID: String) {
        guard let location = Self.legacyID(locationID, kind: "Location") else { return }
        let itemID =
            itemBySKU[sku]
            ?? {
                let id = takeID()
                items[id] = Item(id: id, sku: sku)
                itemBySKU[sku] = id
                return id
            }()
        let old = levels[location]?[itemID]
        levels[location, default: [:]][itemID] = Level(
            available: units, onHand: (old?.onHand ?? 0) - (old?.available ?? 0) + units, updatedAt: old?.available == units ? old!.updatedAt : now())
    }

    /// Stocks many SKUs at the location at once (one call into the shop, not one per SKU).
    public func setAvailable(_ quantities: [String: Int], at locationID: String) {
        for (sku, units) in quantities { setAvailable(units, sku: sku, at: locationID) }
    }

    /// A sale: `units` fewer available (and on hand) at the location. `stamped: false` leaves the
    /// level's `updatedAt` as it was: a change the shop fails to report to a search by `updated_at`.
    public func sell(_ units: Int, sku: String, at locationID: String, stamped: Bool = true) {
        sellLanded(units, sku: sku, at: locationID, stamped: stamped)
    }

    /// A sale, and whether it landed (the location stocks the SKU).
    @discardableResult
    func sellLanded(_ units: Int, sku: String, at locationID: String, stamped: Bool = true) -> Bool {
        guard let location = Self.legacyID(locationID, kind: "Location"),
            let itemID = itemBySKU[sku],
            var level = levels[location]?[itemID]
        else { return false }
        level.available -= units
        level.onHand -= units
        if stamped && units != 0 { level.updatedAt = now() }
        levels[location]?[itemID] = level
        return true
    }

    /// When the level of `sku` at the location last changed, by the shop's clock.
    public func updatedAt(sku: String, at locationID: String) -> Date? {
        guard let location = Self.legacyID(locationID, kind: "Location"),
            let itemID = itemBySKU[sku]
        else { return nil }
        return levels[location]?[itemID]?.updatedAt
    }

    /// Sets the shop's clock this many seconds off the machine's (negative: behind).
    public func setClockSkew(_ seconds: TimeInterval) {
        clockSkew = seconds
    }

    /// Stops the shop's clock at `instant` (nil starts it again).
    public func setClock(_ instant: Date?) {
        fixedClock = instant
    }

    func now() -> Date {
        fixedClock ?? Date().addingTimeInterval(clockSkew)
    }

    /// Stops stocking the SKU at the location (Shopify's `inventoryDeactivate`): its level is gone,
    /// so reads no longer list it and writes to it fail as not stocked.
    public func unstock(sku: String, at locationID: String) {
        guard let location = Self.legacyID(locationID, kind: "Location"),
            let itemID = itemBySKU[sku]
        else { return }
        levels[location]?[itemID] = nil
    }

    public func available(sku: String, at locationID: String) -> Int? {
        guard let location = Self.legacyID(locationID, kind: "Location"),
            let itemID = itemBySKU[sku]
        else { return nil }
        return levels[location]?[itemID]?.available
    }

    /// Adds an item without a SKU, or a second item under an existing SKU, stocked at the location.
    public func addItem(sku: String?, available: Int, at locationID: String) {
        guard let location = Self.legacyID(locationID, kind: "Location") else { return }
        let id = takeID()
        items[id] = Item(id: id, sku: sku)
        if let sku, itemBySKU[sku] == nil { itemBySKU[sku] = id }
        levels[location, default: [:]][id] = Level(available: available, onHand: available, updatedAt: now())
    }

    public func rename(_ locationID: String, to name: String) {
        if let i = locations.firstIndex(where: { $0.gid == locationID }) { locations[i].name = name }
    }

    // MARK: - Behaviour

    /// Serves `fault` to the next `times` requests that match `target`.
    public func inject(_ fault: ShopifyFault, on target: FaultTarget = .anyRequest, times: Int = 1) {
        faults.append(ScheduledFault(fault: fault, target: target, remaining: times))
    }

    /// Every scheduled fault off, the bulk operations' scheduled endings too.
    public func clearFaults() {
        faults.removeAll()
        bulkOutcomes.removeAll()
    }

    /// Makes the token unable to read these location fields (e.g. `fulfillmentService`, which some
    /// shops put behind a fulfillment scope).
    public func denyLocationFields(_ fields: Set<String>) {
        deniedLocationFields = fields
    }

    public func setToken(_ token: String) {
        self.token = token
    }

    public func setLimits(_ limits: CostLimits) {
        self.limits = limits
        bucket = limits.maximumAvailable
        bucketTime = .now
    }

    public func setLatency(_ latency: Duration) {
        self.latency = latency
    }

    public var statistics: EmulatorStats { stats }

    public func resetStatistics() {
        stats = EmulatorStats()
    }

    func takeID() -> Int {
        defer { nextID += 1 }
        return nextID
    }

    func begin() {
        inFlight += 1
        stats.peakConcurrentRequests = max(stats.peakConcurrentRequests, inFlight)
    }

    func end() {
        inFlight -= 1
    }

    /// `gid://shopify/Location/17` → 17.
    static func legacyID(_ gid: String, kind: String) -> Int? {
        let prefix = "gid://shopify/\(kind)/"
        guard gid.hasPrefix(prefix) else { return nil }
        return Int(gid.dropFirst(prefix.count).prefix { $0.isNumber })
    }
}
