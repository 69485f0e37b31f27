/// Paces one store's requests from what Shopify reports in `extensions.cost.throttleStatus`.
///
/// Shopify meters the Admin GraphQL API with a leaky bucket of cost points, refilled at
/// `restoreRate` a second. A query runs only if the bucket holds its *requested* cost (worked out
/// from its page sizes); it is then charged its *actual* cost (what it returned). Knowing the
/// bucket after the last answer and both costs of each operation, the client waits *before* a
/// request until the bucket holds enough, so that in steady state Shopify never throttles it.
/// Concurrent requests each take their expected charge from the estimate, which spaces them out.
actor ShopifyThrottle {
    private struct Bucket {
        var available: Double
        var maximum: Double
        var restoreRate: Double
        var at: ContinuousClock.Instant
    }

    private struct Cost {
        var requested: Double
        var actual: Double
    }

    private let clock = ContinuousClock()
    private var bucket: Bucket?
    private var costs: [String: Cost] = [:]

    /// How long to wait before sending `operation`; its expected charge is taken from the estimate at once.
    func reserve(_ operation: String) -> Duration {
        guard var b = bucket, let cost = costs[operation] else { return .zero }
        let now = clock.now
        b.available = min(b.maximum, b.available + b.restoreRate * Self.seconds(now - b.at))
        b.at = now
        let shortfall = min(cost.requested, b.maximum) - b.available
        b.available -= cost.actual
        bucket = b
        guard shortfall > 0, b.restoreRate > 0 else { return .zero }
        return .seconds(shortfall / b.restoreRate)
    }

    /// Takes Shopify's word for the bucket after an answer, throttled or not.
    func record(_ cost: QueryCost?, operation: String) {
        guard let cost else { return }
        if let requested = cost.requestedQueryCost {
            costs[operation] = Cost(requested: requested, actual: cost.actualQueryCost ?? costs[operation]?.actual ?? requested)
        }
        if let status = cost.throttleStatus {
            bucket = Bucket(available: status.currentlyAvailable, maximum: status.maximumAvailable, restoreRate: status.restoreRate, at: clock.now)
        }
    }

    /// After a `Throttled` answer: the time until the bucket holds what the query asked for.
    func waitAfterThrottle(_ cost: QueryCost?, operation: String) -> Duration? {
        record(cost, operation: operation)
        guard let status = cost?.throttleStatus, let requested = cost?.requestedQueryCost, status.restoreRate > 0 else { return nil }
        return .seconds(max(0, requested - status.currentlyAvailable) / status.restoreRate)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
