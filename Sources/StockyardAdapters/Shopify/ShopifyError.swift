import StockyardEngine

/// Why a Shopify store could not be read or written: every case worded once, in ``description``,
/// as a sentence that starts with the store key (`acme-uk: Shopify rejected the access token
/// (HTTP 401)`). No message holds the access token: they are shown to users and may land in CI logs.
/// `reason` is the words of Shopify, the network or the trust policy, passed on (scrubbed of the
/// token where Shopify could have echoed it).
public enum ShopifyError: StoreError, Hashable {
    // MARK: - Credentials: the `credentials:` reference does not lead to a token
    case credentialRefused(store: String, reason: String)
    case variableUnset(store: String, name: String)
    case variableEmpty(store: String, name: String)
    case credentialFileMissing(store: String, path: String)
    case credentialFileUnreadable(store: String, path: String)
    case credentialFileEmpty(store: String, path: String)
    case tokenMalformed(store: String, reference: String)

    // MARK: - Configuration: `shop`, `endpoint` or `api_version` cannot work
    case endpointRefused(store: String, reason: String)
    case endpointUnusable(store: String, base: String)
    case endpointNotHTTPS(store: String)
    case noAdminAPI(store: String, url: String)
    case redirected(store: String, status: UInt)

    // MARK: - Unauthorized: Shopify refused the token or the app's permissions
    case tokenRejected(store: String)
    case accessRefused(store: String)
    case accessDenied(store: String, reason: String, scope: String)

    // MARK: - Throttled: still rate-limited after the allowed waits
    case keptThrottling(store: String, reason: String, waits: Int)
    case askedToWait(store: String, seconds: Int)

    // MARK: - Unavailable: 5xx, timeouts or network failures that outlasted the retries
    case frozen(store: String)
    case shopLocked(store: String)
    case httpStatus(store: String, status: UInt)
    /// A failure that may pass (`malformed` when the answer was cut off) outlasted the retries.
    case gaveUp(store: String, malformed: Bool, reason: String, attempts: Int)
    case updateInProgress(store: String)
    case bulkFailed(store: String, locationID: String, code: String?)
    case bulkCancelled(store: String, locationID: String)
    case bulkExpired(store: String, locationID: String)
    case bulkTimedOut(store: String, locationID: String, seconds: Double)
    case bulkDownloadFailed(store: String, locationID: String, reason: String, attempts: Int)

    // MARK: - Malformed: an answer that is not JSON, or not the shape the documents ask for
    case notAcceptableJSON(store: String, operation: String, reason: String, offset: Int)
    case unexpectedShape(store: String, operation: String, reason: String)
    case unreadableAnswer(store: String, operation: String, reason: String)
    case noData(store: String, operation: String)
    /// `what`: "the inventory update", "the bulk read".
    case noResult(store: String, what: String)
    case skuOnTwoItems(store: String, sku: String, locationID: String, first: String, second: String)
    case quantityOutOfRange(store: String, sku: String, locationID: String, available: Int)
    case noNewCursor(store: String, what: String)
    case unknownBulkOperation(store: String, id: String)
    case bulkURLNotHTTPS(store: String)
    case bulkLineUnreadable(store: String, locationID: String, reason: String)
    case bulkLineForeign(store: String, locationID: String, parent: String)

    // MARK: - Refusals: GraphQL `errors`, a mutation's `userErrors`
    case refused(store: String, operation: String, reason: String)
    /// `inventorySetQuantities` answered user errors other than a stale quantity: that mutation
    /// was not applied. `afterEarlierBatches`: a request over 250 quantities is several mutations,
    /// and earlier ones landed.
    case updateRefused(store: String, reason: String, afterEarlierBatches: Bool)
    case bulkRefused(store: String, locationID: String, reason: String)

    // MARK: - Not found: a location or SKU the store does not have
    case skuNotStocked(store: String, sku: String, locationID: String)
    case noLocation(store: String, locationID: String)

    /// The broad kind of failure, for what the hub does about it.
    public enum Kind: Sendable, Hashable {
        case credentials, configuration, unauthorized, throttled, unavailable, malformedResponse, graphQL, userErrors, notFound
    }

    public var description: String { "\(store): \(detail)" }

    /// The sentence without the store key.
    public var detail: String {
        switch self {
        case .credentialRefused(_, let reason), .endpointRefused(_, let reason):
            reason
        case .variableUnset(_, let name):
            "the environment variable \(name) is not set (`credentials: env:\(name)`); set it to the store's Admin API access token"
        case .variableEmpty(_, let name):
            "the environment variable \(name) is empty (`credentials: env:\(name)`)"
        case .credentialFileMissing(_, let path):
            "the credentials file \(path) does not exist (`credentials: file:\(path)`, relative to the config file's folder)"
        case .credentialFileUnreadable(_, let path):
            "the credentials file \(path) cannot be read (check its permissions)"
        case .credentialFileEmpty(_, let path):
            "the credentials file \(path) is empty"
        case .tokenMalformed(_, let reference):
            "the access token from `credentials: \(reference)` contains spaces, line breaks or non-ASCII characters; it must be the token alone"
        case .endpointUnusable(_, let base):
            "`endpoint` '\(base)' is not a usable base URL"
        case .endpointNotHTTPS:
            "`endpoint` must use https:// (plain http:// is only for localhost), so the access token is never sent in the clear"
        case .noAdminAPI(_, let url):
            "Shopify has no Admin API at \(url) (HTTP 404); check `shop`, `endpoint` and `api_version`"
        case .redirected(_, let status):
            "Shopify answered with a redirect (HTTP \(status)); check `shop` and `endpoint`"
        case .tokenRejected:
            "Shopify rejected the access token (HTTP 401)"
        case .accessRefused:
            "Shopify refused access (HTTP 403): the app needs the read_locations, read_inventory and write_inventory scopes"
        case .accessDenied(_, let reason, let scope):
            "Shopify denied access: \(reason); the app's access token needs the `\(scope)` scope"
        case .keptThrottling(_, let reason, let waits):
            "Shopify kept rate-limiting requests (\(reason)) after \(waits) waits; try again later"
        case .askedToWait(_, let seconds):
            "Shopify asked to wait \(seconds) s before the next request (HTTP 429); try again later"
        case .frozen:
            "the shop is frozen for unpaid bills (HTTP 402)"
        case .shopLocked:
            "the shop is locked (HTTP 423)"
        case .httpStatus(_, let status):
            "Shopify answered HTTP \(status)"
        case .gaveUp(_, _, let reason, let attempts):
            "\(reason); gave up after \(attempts == 1 ? "1 attempt" : "\(attempts) attempts")"
        case .updateInProgress:
            "Shopify kept reporting the inventory update as in progress"
        case .bulkFailed(_, let locationID, let code):
            "Shopify's bulk read of location \(locationID) failed\(code.map { " (\($0))" } ?? ""); nothing of it was used"
        case .bulkCancelled(_, let locationID):
            "Shopify's bulk read of location \(locationID) was cancelled; nothing of it was used"
        case .bulkExpired(_, let locationID):
            "Shopify's bulk read of location \(locationID) expired before it was downloaded"
        case .bulkTimedOut(_, let locationID, let seconds):
            "Shopify's bulk read of location \(locationID) did not finish in \(seconds) s"
        case .bulkDownloadFailed(_, let locationID, let reason, let attempts):
            "the bulk result of location \(locationID) could not be downloaded: \(reason); gave up after \(attempts) attempts"
        case .notAcceptableJSON(_, let operation, let reason, let offset):
            "Shopify's answer to \(operation) is not acceptable JSON: \(reason) (at byte \(offset))"
        case .unexpectedShape(_, let operation, let reason):
            "Shopify's answer to \(operation) does not have the expected shape (\(reason))"
        case .unreadableAnswer(_, let operation, let reason):
            "Shopify's answer to \(operation) cannot be read: \(reason)"
        case .noData(_, let operation):
            "Shopify's answer to \(operation) has no data"
        case .noResult(_, let what):
            "Shopify's answer to \(what) has no result"
        case .skuOnTwoItems(_, let sku, let locationID, let first, let second):
            "SKU '\(sku)' names two inventory items at location \(locationID) (\(first), \(second)); give each item its own SKU"
        case .quantityOutOfRange(_, let sku, let locationID, let available):
            "Shopify reported \(available) available for SKU '\(sku)' at location \(locationID), beyond \(StockQuantity.rangeText)"
        case .noNewCursor(_, let what):
            "Shopify said more \(what) follow but gave no new cursor to read them"
        case .unknownBulkOperation(_, let id):
            "Shopify does not know the bulk operation \(id) it started"
        case .bulkURLNotHTTPS:
            "Shopify gave a bulk result URL that is not https://"
        case .bulkLineUnreadable(_, let locationID, let reason):
            "a line of the bulk result of location \(locationID) cannot be read: \(reason)"
        case .bulkLineForeign(_, let locationID, let parent):
            "the bulk result of location \(locationID) holds a line of another object (\(parent))"
        case .refused(_, let operation, let reason):
            "Shopify refused \(operation): \(reason)"
        case .updateRefused(_, let reason, _):
            "Shopify refused the inventory update: \(reason)"
        case .bulkRefused(_, let locationID, let reason):
            "Shopify refused the bulk read of location \(locationID): \(reason)"
        case .skuNotStocked(_, let sku, let locationID):
            "SKU '\(sku)' is not stocked at location \(locationID); stock it there in Shopify first"
        case .noLocation(_, let locationID):
            "no location has id \(locationID)"
        }
    }

    /// The store the error is about; every message starts with it.
    public var store: String {
        switch self {
        case .credentialRefused(let store, _), .variableUnset(let store, _), .variableEmpty(let store, _),
            .credentialFileMissing(let store, _), .credentialFileUnreadable(let store, _), .credentialFileEmpty(let store, _),
            .tokenMalformed(let store, _), .endpointRefused(let store, _), .endpointUnusable(let store, _), .endpointNotHTTPS(let store),
            .noAdminAPI(let store, _), .redirected(let store, _), .tokenRejected(let store), .accessRefused(let store),
            .accessDenied(let store, _, _), .keptThrottling(let store, _, _), .askedToWait(let store, _), .frozen(let store),
            .shopLocked(let store), .httpStatus(let store, _), .gaveUp(let store, _, _, _), .updateInProgress(let store),
            .bulkFailed(let store, _, _), .bulkCancelled(let store, _), .bulkExpired(let store, _), .bulkTimedOut(let store, _, _),
            .bulkDownloadFailed(let store, _, _, _), .notAcceptableJSON(let store, _, _, _), .unexpectedShape(let store, _, _),
            .unreadableAnswer(let store, _, _), .noData(let store, _), .noResult(let store, _), .skuOnTwoItems(let store, _, _, _, _),
            .quantityOutOfRange(let store, _, _, _), .noNewCursor(let store, _), .unknownBulkOperation(let store, _),
            .bulkURLNotHTTPS(let store), .bulkLineUnreadable(let store, _, _), .bulkLineForeign(let store, _, _),
            .refused(let store, _, _), .updateRefused(let store, _, _), .bulkRefused(let store, _, _), .skuNotStocked(let store, _, _),
            .noLocation(let store, _):
            store
        }
    }

    public var kind: Kind {
        switch self {
        case .credentialRefused, .variableUnset, .variableEmpty, .credentialFileMissing, .credentialFileUnreadable,
            .credentialFileEmpty, .tokenMalformed:
            .credentials
        case .endpointRefused, .endpointUnusable, .endpointNotHTTPS, .noAdminAPI, .redirected:
            .configuration
        case .tokenRejected, .accessRefused, .accessDenied:
            .unauthorized
        case .keptThrottling, .askedToWait:
            .throttled
        case .gaveUp(_, let malformed, _, _):
            malformed ? .malformedResponse : .unavailable
        case .frozen, .shopLocked, .httpStatus, .updateInProgress, .bulkFailed, .bulkCancelled, .bulkExpired, .bulkTimedOut,
            .bulkDownloadFailed:
            .unavailable
        case .notAcceptableJSON, .unexpectedShape, .unreadableAnswer, .noData, .noResult, .skuOnTwoItems, .quantityOutOfRange,
            .noNewCursor, .unknownBulkOperation, .bulkURLNotHTTPS, .bulkLineUnreadable, .bulkLineForeign:
            .malformedResponse
        case .refused:
            .graphQL
        case .updateRefused, .bulkRefused:
            .userErrors
        case .skuNotStocked, .noLocation:
            .notFound
        }
    }

    public var storeKey: String? { store }

    /// Shopify, the network or the operator's settings: nothing Stockyard can fix by itself.
    public var fault: ErrorFault { .user }

    /// Errors raised before any mutation is sent, and a refusal of the first, leave the store
    /// untouched; the others may come after a batch landed, so the hub keeps the request journaled and replays it with its
    /// idempotency key.
    /// Credentials, settings and access are the store's; the rest may be one location's.
    public var concernsTheWholeStore: Bool {
        switch kind {
        case .credentials, .configuration, .unauthorized: true
        default: false
        }
    }

    public var nothingWritten: Bool {
        // Shopify applies a mutation whole or not at all: refused, with no batch before it, nothing landed.
        if case .updateRefused(_, _, afterEarlierBatches: false) = self { return true }
        return switch kind {
        case .credentials, .configuration, .notFound: true
        default: false
        }
    }
}
