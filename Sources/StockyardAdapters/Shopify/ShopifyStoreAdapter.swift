import Foundation
import Logging
import StockyardEngine

/// A Shopify store, read and written through the Admin GraphQL API.
///
/// Each call resolves the credentials afresh (a rotated token is picked up without a restart),
/// goes through the adapter's own HTTP client (``close()`` ends it), and returns whole answers only: a page that
/// fails mid-pagination is retried, and if it keeps failing the call throws rather than return
/// the pages read so far.
public struct ShopifyStoreAdapter: StoreAdapter {
    public let settings: ShopifyStoreSettings
    let logger: Logger
    /// One bucket estimate per store: Shopify meters each shop (per app) separately.
    let throttle = ShopifyThrottle()
    /// The item ids of the SKUs last read at each location, for the pushes that follow the reads.
    let itemIndex = InventoryItemIndex()
    /// The per-store cap on requests in flight, shared by every call on this adapter.
    let permits: AsyncSemaphore
    /// The per-shop cap on bulk operations running at once.
    let bulkPermits: AsyncSemaphore
    /// Shared by every copy of this adapter, and ended by ``close()``.
    let http = ShopifyHTTPClient()

    public init(settings: ShopifyStoreSettings, logger: Logger = ShopifyStoreAdapter.silent) {
        self.settings = settings
        self.logger = logger
        self.permits = AsyncSemaphore(limit: settings.readConcurrency)
        self.bulkPermits = AsyncSemaphore(limit: InventoryBulkReader.concurrency(apiVersion: settings.apiVersion))
    }

    /// The CLI prints only through its own channels; a caller that wants retry notices passes a logger.
    public static let silent = Logger(label: "stockyard.shopify", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The most requests this adapter has had in flight at once.
    public var peakConcurrentRequests: Int {
        get async { await permits.peak }
    }

    func withClient<T: Sendable>(_ body: @Sendable (ShopifyClient) async throws -> T) async throws -> T {
        // Where the request would go is checked first: a token is never read for an endpoint the operator did not allow.
        let url = try settings.graphQLURL()
        let token = try ShopifyCredentials.resolve(settings)
        return try await body(
            ShopifyClient(settings: settings, url: url, token: token, throttle: throttle, permits: permits, http: http.get(), logger: logger))
    }

    /// Ends the adapter's HTTP client.
    public func close() async {
        await http.close()
    }

    public func locations() async throws -> [StoreLocation] {
        try await withClient { client in
            var out: [StoreLocation] = []
            var after: String?
            repeat {
                let page = try await client.send(.locations, PageVariables(first: settings.pageSize, after: after), as: LocationsData.self).locations
                out += page.edges.map(\.node.storeLocation)
                after = try nextCursor(page.pageInfo, after: after, what: "locations")
            } while after != nil
            return out
        }
    }

    /// `available` units per SKU. Items without a SKU are left out: Stockyard names stock by SKU.
    public func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]] {
        let ids = Self.unique(locationIDs)
        guard !ids.isEmpty else { return [:] }
        return try await withClient { client in
            try await withThrowingTaskGroup(of: (String, [String: Int]).self) { group in
                for id in ids {
                    group.addTask {
                        let items = try await stockedItems(client, at: id)
                        return (id, items.mapValues(\.available))
                    }
                }
                var out: [String: [String: Int]] = [:]
                for try await (id, units) in group { out[id] = units }
                return out
            }
        }
    }

    /// `idempotencyKey` becomes Shopify's `@idempotent` key. A call of over 250 quantities takes
    /// several mutations, each all or nothing; their keys derive from it in a fixed order, so a
    /// replay of the same call after a crash sends the same keys and Shopify answers what it already
    /// did from its record. The first refused mutation ends the call: later ones are not sent, and
    /// the outcome names the writes of the mutations that landed before it.
    public func setQuantities(_ writes: [QuantityWrite], idempotencyKey: String) async throws -> WriteOutcome {
        guard !writes.isEmpty else { return .all([]) }
        return try await withClient { client in
            // Item ids from this process's reads of each location; the SKUs not among them (a sync
            // pushes SKUs it did not read this round) are looked up by SKU, not by reading the location.
            let items = try await withThrowingTaskGroup(of: (String, [String: String]).self) { group in
                for id in Self.unique(writes.map(\.locationID)) {
                    let skus = writes.filter { $0.locationID == id }.map(\.sku)
                    group.addTask {
                        var known = await itemIndex.itemIDs(of: skus, at: id)
                        let missing = skus.filter { known[$0] == nil }
                        if !missing.isEmpty {
                            for (sku, item) in try await stockedItems(client, skus: missing, at: id) { known[sku] = item.itemID }
                        }
                        return (id, known)
                    }
                }
                var out: [String: [String: String]] = [:]
                for try await (id, bySKU) in group { out[id] = bySKU }
                return out
            }
            var planned: [PlannedWrite] = []
            for write in writes {
                guard let itemID = items[write.locationID]?[write.sku] else {
                    throw ShopifyError.skuNotStocked(store: settings.storeKey, sku: write.sku, locationID: write.locationID)
                }
                planned.append(PlannedWrite(write: write, itemID: itemID))
            }
            var written: [QuantityWrite] = []
            for (number, start) in stride(from: 0, to: planned.count, by: Self.writeBatch).enumerated() {
                let batch = Array(planned[start..<min(start + Self.writeBatch, planned.count)])
                let key = number == 0 ? idempotencyKey : "\(idempotencyKey)-\(number)"
                let outcome: WriteOutcome
                do {
                    outcome = try await InventoryWriter(client: client).write(batch, key: key)
                } catch ShopifyError.updateRefused(let store, let reason, _) where number > 0 {
                    throw ShopifyError.updateRefused(store: store, reason: reason, afterEarlierBatches: true)
                }
                written += outcome.written
                if !outcome.refused.isEmpty { return WriteOutcome(written: written, refused: outcome.refused) }
            }
            return .all(written)
        }
    }

    /// Shopify takes at most 250 quantities in one `inventorySetQuantities`.
    static let writeBatch = 250

    struct StockedItem: Sendable {
        var itemID: String
        var available: Int
        /// When Shopify last changed the level (`InventoryLevel.updatedAt`).
        var changedAt: Date?
    }

    /// Reads a location for sync: every level, or those Shopify stamped as changed at or after
    /// `changedSince` (`updated_at:>=`, the second rounded down).
    public func levels(at locationID: String, changedSince: Date?) async throws -> LevelReading {
        try await withClient { client in
            let items = try await stockedItems(client, at: locationID, changedSince: changedSince)
            return LevelReading(
                quantities: items.mapValues(\.available), changedAt: items.compactMapValues(\.changedAt), isComplete: changedSince == nil)
        }
    }

    /// The SKUs' `available` units at the location, looked up by SKU: a few requests, however big the location.
    public func quantities(of skus: [String], at locationID: String) async throws -> [String: Int] {
        guard !skus.isEmpty else { return [:] }
        return try await withClient { client in
            try await stockedItems(client, skus: Self.unique(skus), at: locationID).mapValues(\.available)
        }
    }

    /// One location's inventory levels by SKU (only those changed since `changedSince`, when
    /// given), every page read; a read with more than `bulkAfterPages` pages of them is done
    /// whole through a bulk operation instead.
    func stockedItems(_ client: ShopifyClient, at locationID: String, changedSince: Date? = nil) async throws -> [String: StockedItem] {
        var out: [String: StockedItem] = [:]
        var after: String?
        var pages = 0
        let filter = changedSince.map(ShopifyTimestamp.changedSinceFilter)
        repeat {
            if pages == settings.bulkAfterPages {
                out = try await InventoryBulkReader(client: client, permits: bulkPermits).read(at: locationID, filter: filter)
                break
            }
            let data = try await client.send(
                .inventoryLevels, InventoryLevelsVariables(locationId: locationID, first: settings.pageSize, after: after, query: filter),
                as: InventoryLevelsData.self)
            guard let location = data.location else {
                throw ShopifyError.noLocation(store: settings.storeKey, locationID: locationID)
            }
            for level in location.inventoryLevels.edges.map(\.node) {
                try Self.record(level.item, available: level.available, changedAt: level.updatedAt, at: locationID, store: settings.storeKey, into: &out)
            }
            pages += 1
            after = try nextCursor(location.inventoryLevels.pageInfo, after: after, what: "inventory levels")
        } while after != nil
        // A full read is the whole truth about the location; a read of changes adds to what was known.
        await itemIndex.remember(out.mapValues(\.itemID), at: locationID, replacing: changedSince == nil)
        return out
    }

    /// Adds one level to `out`: by SKU (items without one are left out), `available` in range.
    static func record(
        _ item: InventoryLevelsData.Level.Item, available: Int?, changedAt: String? = nil, at locationID: String, store: String,
        into out: inout [String: StockedItem]
    ) throws {
        guard let sku = item.sku?.trimmingCharacters(in: .whitespaces), !sku.isEmpty else { return }
        // Two items under one SKU cannot be told apart by a write: say so rather than pick one.
        if let other = out[sku], other.itemID != item.id {
            throw ShopifyError.skuOnTwoItems(store: store, sku: sku, locationID: locationID, first: "\(other.itemID)", second: "\(item.id)")
        }
        let available = available ?? 0
        guard StockQuantity.isValid(available) else {
            throw ShopifyError.quantityOutOfRange(store: store, sku: sku, locationID: locationID, available: available)
        }
        out[sku] = StockedItem(itemID: item.id, available: available, changedAt: changedAt.flatMap(ShopifyTimestamp.parse))
    }

    /// The cursor of the next page, or `nil` after the last one; a cursor that does not move would loop forever.
    func nextCursor<Node>(_ info: Connection<Node>.PageInfo, after previous: String?, what: String) throws(ShopifyError) -> String? {
        guard info.hasNextPage else { return nil }
        guard let cursor = info.endCursor, !cursor.isEmpty, cursor != previous else {
            throw .noNewCursor(store: settings.storeKey, what: what)
        }
        return cursor
    }

    static func unique(_ ids: [String]) -> [String] {
        var seen = Set<String>()
        return ids.filter { seen.insert($0).inserted }
    }
}
