import Foundation
import StockyardEngine

/// How to reach one Shopify store: what its `stores:` entry says, plus the knobs tests turn.
public struct ShopifyStoreSettings: Sendable {
    /// The Admin API version used when the config does not say. Pinned, not "latest", so that a
    /// quarterly Shopify release never changes what Stockyard sends; 2026-10 is the current stable
    /// version and the first generation (2026-04 and later) where `inventorySetQuantities` takes
    /// `changeFromQuantity` and `@idempotent`, which the compare-and-set writes rely on.
    public static let defaultAPIVersion = "2026-10"

    /// The store's key in the config: every message starts with it.
    public var storeKey: String
    /// `NAME.myshopify.com`.
    public var shop: String
    public var credentials: CredentialReference
    public var apiVersion: String
    /// A base URL that replaces `https://{shop}` (a proxy, or the emulator in tests); used only
    /// when `trust` allows it.
    public var endpoint: String?
    /// What the operator allows: the endpoint, the credential variable and the credential folders.
    public var trust: TrustPolicy
    /// The config file's folder: a relative `file:` credential resolves against it, like `path:`.
    public var baseDirectory: URL?
    public var retry: ShopifyRetryPolicy
    /// How many requests one store may have in flight at once when reading several locations.
    public var readConcurrency: Int
    /// Items per page; 250 is the most Shopify serves, so 1,000 locations take 4 requests.
    public var pageSize: Int
    /// Where `env:` credentials are looked up; the process environment unless a test says otherwise.
    public var environment: [String: String]?
    /// A location that still has levels after this many pages is read whole through a bulk
    /// operation instead: 10 points and a few status polls, where each further page costs about
    /// 750. A bulk read takes a few seconds longer than a page or two; the points are what a
    /// metered shop runs out of, so one page is the default.
    public var bulkAfterPages = 1
    /// How often a running bulk operation's status is asked for (1 point each), and for how long.
    public var bulkPollInterval: Duration = .seconds(2)
    public var bulkTimeout: Duration = .seconds(3600)

    public init(
        storeKey: String, shop: String, credentials: CredentialReference, apiVersion: String? = nil,
        endpoint: String? = nil, trust: TrustPolicy = TrustPolicy(), baseDirectory: URL? = nil, retry: ShopifyRetryPolicy = .standard,
        readConcurrency: Int = 4, pageSize: Int = 250, environment: [String: String]? = nil
    ) {
        self.storeKey = storeKey
        self.shop = shop
        self.credentials = credentials
        self.apiVersion = apiVersion ?? Self.defaultAPIVersion
        self.endpoint = endpoint
        self.trust = trust
        self.baseDirectory = baseDirectory
        self.retry = retry
        self.readConcurrency = max(1, readConcurrency)
        self.pageSize = min(250, max(1, pageSize))
        self.environment = environment
    }

    /// The GraphQL URL: `https://{shop}`, or an endpoint the operator allowed. An error when the
    /// endpoint is not allowed, or would send the token in the clear to another machine.
    func graphQLURL() throws(ShopifyError) -> String {
        let base: String
        do throws(TrustPolicy.Violation) {
            base = try trust.shopifyBase(store: storeKey, shop: shop, endpoint: endpoint)
        } catch {
            throw .endpointRefused(store: storeKey, reason: error.message)
        }
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty else {
            throw .endpointUnusable(store: storeKey, base: base)
        }
        // Plain http carries the token readable by anyone on the path: only loopback (tests, a local proxy) may use it.
        if scheme == "http" && !Self.isLoopback(host) {
            throw .endpointNotHTTPS(store: storeKey)
        }
        return "\(base)/admin/api/\(apiVersion)/graphql.json"
    }

    static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }
}
