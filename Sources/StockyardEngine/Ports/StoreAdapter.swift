import Foundation

/// A compare-and-set write of one SKU's quantity at one location.
public struct QuantityWrite: Sendable, Hashable, Codable {
    public var locationID: String
    public var sku: String
    /// The quantity the writer last saw; the write is refused if the store holds another.
    public var expected: Int?
    public var quantity: Int

    enum CodingKeys: String, CodingKey {
        case locationID = "location_id"
        case sku, expected, quantity
    }

    public init(locationID: String, sku: String, expected: Int?, quantity: Int) {
        self.locationID = locationID
        self.sku = sku
        self.expected = expected
        self.quantity = quantity
    }
}

/// What became of a compare-and-set write request.
///
/// A request is all or nothing, as Shopify's `inventorySetQuantities` is: when one write's
/// `expected` no longer holds, none of the request's writes land. An adapter that must split a
/// request (Shopify takes 250 quantities per mutation) applies each part whole or not at all and
/// says exactly which writes landed.
public struct WriteOutcome: Sendable, Hashable {
    /// The writes that landed, in the order they were given.
    public var written: [QuantityWrite]
    /// The writes refused because the store held another number than `expected` (a sale, or an
    /// edit in the store). Writes that are in neither list did not land either: they were part of
    /// a request that one of these refused.
    public var refused: [QuantityWrite]

    public init(written: [QuantityWrite], refused: [QuantityWrite]) {
        self.written = written
        self.refused = refused
    }

    /// Every write landed.
    public static func all(_ writes: [QuantityWrite]) -> WriteOutcome { WriteOutcome(written: writes, refused: []) }
}

/// An adapter error that may say nothing of a write request reached the store. The hub then drops
/// the request from its journal instead of replaying it after every later run.
public protocol StoreWriteError: Error {
    /// True when the adapter is certain no part of the request was written.
    var nothingWritten: Bool { get }
    /// True when the error is the store's as a whole (its credentials, its settings, its file),
    /// not one location's or SKU's: sending a request's locations one by one would fail alike.
    var concernsTheWholeStore: Bool { get }
}

extension StoreWriteError {
    public var concernsTheWholeStore: Bool { false }
}

/// What every store adapter's errors tell the engine besides their words: whether a write may
/// have landed (``StoreWriteError``), whose fault it is, and which store a message names, so that
/// a sentence that names the store already does not name it twice.
public protocol StoreError: ReportableError, StoreWriteError {
    /// The store key the message starts with (`acme-uk: Shopify …`), or nil when it names
    /// something else (a `file` store's messages name the file).
    var storeKey: String? { get }
}

/// An adapter's error for a message that already names the store: without the store key an
/// adapter starts its message with, which would otherwise appear twice.
public func describeStoreError(_ error: any Error, store: String) -> String {
    let text = "\(error)"
    guard let error = error as? any StoreError, error.storeKey == store, text.hasPrefix("\(store): ") else { return text }
    return String(text.dropFirst(store.count + 2))
}

/// Talks to one store platform. Implementations live outside the engine.
public protocol StoreAdapter: Closable {
    /// Every location of the store, active or not.
    func locations() async throws -> [StoreLocation]
    /// Units per SKU at each of the given locations.
    func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]]
    /// Writes quantities with compare-and-set (Shopify's `changeFromQuantity`), all or nothing:
    /// if any write's `expected` does not hold, no write of the request lands (see `WriteOutcome`
    /// for requests an adapter must split).
    ///
    /// `idempotencyKey` makes a retry safe (Shopify's `@idempotent(key:)`): a second call with the
    /// same key does not write again but answers as the first did. The hub journals the key before
    /// it writes, so after a crash it can replay the write and learn whether it happened.
    func setQuantities(_ writes: [QuantityWrite], idempotencyKey: String) async throws -> WriteOutcome
    /// Reads the store for a plan: every location, and the quantities of the locations whose ids
    /// `wanted` returns, given the whole list (it may wait, e.g. for the hub's state, to decide). A
    /// requirement (with the default below), so that an adapter's own version is the one called
    /// through `any StoreAdapter`.
    func readFacts(storeKey: String, quantitiesFor wanted: @Sendable ([StoreLocation]) async -> Set<String>) async throws -> StoreFacts
    /// Reads one location for sync: every level when `changedSince` is nil, else at least every
    /// level the store stamped as changed after it. An adapter that cannot filter reads in full and
    /// says so (``LevelReading/isComplete``). A requirement, with a full read as the default.
    func levels(at locationID: String, changedSince: Date?) async throws -> LevelReading
    /// The units of these SKUs at one location, read now; a SKU the location does not stock is left
    /// out. What sync re-reads after a refused compare-and-set write: only the levels it wrote.
    func quantities(of skus: [String], at locationID: String) async throws -> [String: Int]
}

extension StoreAdapter {
    /// Nothing to end, unless the adapter holds something open (an HTTP client).
    public func close() async {}

    /// Reads the store for a plan: every location, then the quantities of the ones `wanted` picks.
    public func readFacts(storeKey: String, quantitiesFor wanted: @Sendable ([StoreLocation]) async -> Set<String>) async throws -> StoreFacts {
        let locations = try await self.locations()
        let wantedIDs = await wanted(locations)
        let ids = locations.map(\.id).filter { wantedIDs.contains($0) }
        let quantities = ids.isEmpty ? [:] : try await self.quantities(at: ids)
        return StoreFacts(storeKey: storeKey, locations: locations, quantities: quantities.mapValues(SKUNumbers.init))
    }
}
