/// When and how long the Shopify client waits and tries again.
///
/// Two budgets, because the two kinds of trouble differ: rate limiting (`Throttled`, HTTP 429) is
/// Shopify asking us to slow down and always ends, so it is waited out as told; failures (5xx,
/// timeouts, a dropped connection, a body that is not JSON) may not end, so they get a few tries
/// with jittered exponential backoff and then a clear error.
public struct ShopifyRetryPolicy: Sendable, Hashable {
    /// Tries per request for failures, the first one included.
    public var maxAttempts: Int
    /// The first backoff; each later one doubles, up to `maxDelay`.
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How long one request may take, answer included.
    public var requestTimeout: Duration
    /// How many times one request may be rate-limited before the client gives up.
    public var maxThrottleWaits: Int
    /// The longest `Retry-After` worth waiting for; a longer one fails at once, naming the wait.
    public var maxRetryAfter: Duration

    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(500), maxDelay: Duration = .seconds(30),
        requestTimeout: Duration = .seconds(30), maxThrottleWaits: Int = 10, maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.requestTimeout = requestTimeout
        self.maxThrottleWaits = max(0, maxThrottleWaits)
        self.maxRetryAfter = maxRetryAfter
    }

    /// What the CLI uses: at most ~4 s of backoff over 4 tries, 30 s per request.
    public static let standard = ShopifyRetryPolicy()

    /// The pause after the `failures`-th failure (1-based): half fixed, half random ("equal jitter"),
    /// so that several stores failing together do not retry in lockstep, yet never retry at once.
    public func backoff(afterFailure failures: Int, random: Double = Double.random(in: 0...1)) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let (grown, overflow) = Self.nanoseconds(baseDelay).multipliedReportingOverflow(by: Int64(1) << exponent)
        let ceiling = overflow ? Self.nanoseconds(maxDelay) : min(grown, Self.nanoseconds(maxDelay))
        let half = ceiling / 2
        return .nanoseconds(half + Int64(Double(half) * min(max(random, 0), 1)))
    }

    static func nanoseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
    }
}
