import StockyardEngine

/// Why a Shopify store could not be read or written. The message names the store and what
/// happened, and never holds the access token: it is shown to users and may land in CI logs.
public struct ShopifyError: Error, Sendable, CustomStringConvertible, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The `credentials:` reference does not lead to a token.
        case credentials
        /// `shop`, `endpoint` or `api_version` cannot work.
        case configuration
        /// Shopify refused the token (401) or the app's permissions (403).
        case unauthorized
        /// Still rate-limited after the allowed waits.
        case throttled
        /// 5xx, timeouts or network failures that outlasted the retries.
        case unavailable
        /// A response that is not JSON, or not the shape the documents ask for.
        case malformedResponse
        /// GraphQL `errors` other than throttling.
        case graphQL
        /// A mutation's `userErrors` other than a stale compare-and-set.
        case userErrors
        /// A location or SKU the store does not have.
        case notFound
    }

    public var kind: Kind
    public var storeKey: String
    /// The whole sentence, starting with the store key: `acme-uk: Shopify rejected the access token (HTTP 401)`.
    public var message: String

    public init(_ kind: Kind, store: String, _ detail: String) {
        self.kind = kind
        self.storeKey = store
        self.message = "\(store): \(detail)"
    }

    public var description: String { message }
}

/// Errors raised before any mutation is sent leave the store untouched; the others may come after a
/// batch landed, so the hub keeps the request journaled and replays it with its idempotency key.
extension ShopifyError: StoreWriteError {
    public var nothingWritten: Bool {
        switch kind {
        case .credentials, .configuration, .notFound: return true
        default: return false
        }
    }
}
