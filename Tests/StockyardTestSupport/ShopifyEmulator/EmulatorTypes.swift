import StockyardEngine

/// The root fields the emulator serves, named as Shopify names them.
public enum EmulatedOperation: String, Sendable, Hashable, CaseIterable {
    case locations
    /// `location(id:) { inventoryLevels }`
    case inventoryLevels
    /// `inventoryItems(query:) { … inventoryLevel(locationId:) }`
    case inventoryItems
    case inventorySetQuantities
    /// `bulkOperationRunQuery(query:)`
    case bulkOperationRunQuery
    /// `node(id:) { ... on BulkOperation }`
    case bulkOperation
    case unknown
}

/// A failure the emulator serves instead of (or on top of) the normal answer, once per `times`.
public enum ShopifyFault: Sendable, Hashable {
    /// HTTP 200 with `errors[].extensions.code = THROTTLED`, as Shopify answers when the bucket is short.
    case throttled
    /// HTTP 429 with this `Retry-After` value (seconds, e.g. `"1"` or `"2.0"`).
    case tooManyRequests(retryAfter: String)
    /// A 5xx status, nothing done.
    case serverError(Int)
    /// The normal answer, this much later.
    case slow(Duration)
    /// The normal answer cut off halfway: not valid JSON.
    case malformedJSON
    /// HTTP 401 whatever the token.
    case unauthorized
    /// The request is carried out (a write lands), then the answer is lost and this 5xx is sent.
    case lostResponse(Int)
    /// A sale of `units` of `sku` lands at the location (a `gid://shopify/Location/N` id) just
    /// before the request is carried out, which is then served normally. Aimed at a write, it is
    /// the sale that lands between a reader's read and its compare-and-set write; the units that
    /// really landed are counted in `EmulatorStats.concurrentSales`, since a fault still queued
    /// when a test clears its faults never lands.
    case concurrentSale(units: Int, sku: String, at: String)
}

/// Which requests a fault applies to.
public enum FaultTarget: Sendable, Hashable {
    case anyRequest
    case operation(EmulatedOperation)
    /// A request carrying an `after` cursor: a page other than the first, i.e. mid-pagination.
    case continuationPage
}

/// Shopify's leaky bucket: `maximumAvailable` cost points, refilled at `restoreRate` a second.
public struct CostLimits: Sendable, Hashable {
    public var maximumAvailable: Double
    public var restoreRate: Double

    public init(maximumAvailable: Double, restoreRate: Double) {
        self.maximumAvailable = maximumAvailable
        self.restoreRate = restoreRate
    }

    /// A standard plan's bucket.
    public static let standard = CostLimits(maximumAvailable: 2000, restoreRate: 100)
    /// A Plus plan's: ten times the refill, so tests that read a lot do not wait.
    public static let plus = CostLimits(maximumAvailable: 20000, restoreRate: 1000)
}

/// What the emulator saw, for assertions.
public struct EmulatorStats: Sendable {
    public var totalRequests = 0
    public var requests: [EmulatedOperation: Int] = [:]
    /// Answers Throttled because the bucket really was short (not injected).
    public var throttledResponses = 0
    public var injectedFaults = 0
    public var unauthorizedResponses = 0
    public var peakConcurrentRequests = 0
    public var apiVersions: Set<String> = []
    public var operationNames: Set<String> = []
    /// Mutations answered from the idempotency record instead of applied again.
    public var idempotentReplays = 0
    /// Quantities actually changed by mutations.
    public var appliedWrites = 0
    /// Cost points charged (actual cost), in all and per operation: what a command costs a shop.
    public var pointsConsumed = 0.0
    public var points: [EmulatedOperation: Double] = [:]
    /// Bulk operations started, and the most running at once.
    public var bulkOperationsStarted = 0
    public var peakRunningBulkOperations = 0
    /// Units sold by `ShopifyFault.concurrentSale` faults, per SKU.
    public var concurrentSales: [String: Int] = [:]

    public func count(_ operation: EmulatedOperation) -> Int { requests[operation] ?? 0 }
}

/// A location as a test sets it up.
public struct EmulatedLocation: Sendable, Hashable {
    public var legacyID: Int
    public var name: String
    public var isActive: Bool
    /// The 3PL app's name for a fulfillment-service location.
    public var fulfillmentService: String?
    /// A fulfillment service's legacy location: listed only with `includeLegacy: true`.
    public var isLegacy: Bool
    public var address: PostalAddress?

    public var gid: String { "gid://shopify/Location/\(legacyID)" }
}
