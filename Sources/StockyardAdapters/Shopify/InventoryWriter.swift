import Foundation
import StockyardEngine

/// A write with the inventory item it resolves to.
struct PlannedWrite: Sendable {
    var write: QuantityWrite
    var itemID: String
}

/// Runs `inventorySetQuantities` with compare-and-set, one mutation of at most 250 quantities.
///
/// Shopify applies a mutation whole or not at all: one stale `changeFromQuantity` refuses every
/// quantity in it. The stale ones (named by index in `userErrors[].field`) are reported as refused
/// and nothing is re-sent: a push is all or nothing, so the caller reads again and decides.
struct InventoryWriter: Sendable {
    let client: ShopifyClient

    static let stale = "CHANGE_FROM_QUANTITY_STALE"
    static let concurrent = "IDEMPOTENCY_CONCURRENT_REQUEST"
    static let previousFailed = "IDEMPOTENCY_PREVIOUS_ATTEMPT_FAILED"

    /// Every write of the batch, or none of them with the stale ones named.
    func write(_ batch: [PlannedWrite], key: String) async throws -> WriteOutcome {
        var busyRetries = 0
        var currentKey = key
        while true {
            // The client's own retries of this request reuse `currentKey`, so a retry after a lost
            // answer is answered from Shopify's record instead of being checked or applied again.
            let variables = SetQuantitiesVariables(
                input: .init(
                    quantities: batch.map {
                        .init(inventoryItemId: $0.itemID, locationId: $0.write.locationID, quantity: $0.write.quantity, changeFromQuantity: $0.write.expected)
                    }),
                idempotencyKey: currentKey)
            guard let payload = try await client.send(.setInventoryQuantities, variables, as: SetQuantitiesData.self).inventorySetQuantities else {
                throw ShopifyError.noResult(store: client.store, what: "the inventory update")
            }
            let errors = payload.userErrors
            if errors.isEmpty { return .all(batch.map(\.write)) }
            if errors.allSatisfy({ $0.code == Self.concurrent }) {
                // Shopify is still working on this key (an earlier try of ours): ask again shortly.
                busyRetries += 1
                guard busyRetries < client.settings.retry.maxAttempts else {
                    throw ShopifyError.updateInProgress(store: client.store)
                }
                try await Task.sleep(for: client.settings.retry.backoff(afterFailure: busyRetries))
                continue
            }
            if errors.allSatisfy({ $0.code == Self.previousFailed }), !currentKey.hasSuffix("-again") {
                // The first try under this key failed inside Shopify, so nothing was applied: a new key is safe.
                currentKey += "-again"
                continue
            }
            if let other = errors.first(where: { $0.code != Self.stale }) {
                throw ShopifyError.updateRefused(store: client.store, reason: describe(other, in: batch), afterEarlierBatches: false)
            }
            let indices = Set(errors.compactMap { Self.index(in: $0.field, count: batch.count) })
            // Stale, but Shopify did not say which: any of them may be.
            let refused = indices.count == errors.count && !indices.isEmpty ? indices.sorted().map { batch[$0].write } : batch.map(\.write)
            return WriteOutcome(written: [], refused: refused)
        }
    }

    /// `["input", "quantities", "3", "changeFromQuantity"]` → 3.
    static func index(in field: [String]?, count: Int) -> Int? {
        guard let field, let at = field.firstIndex(of: "quantities"), at + 1 < field.count,
            let i = Int(field[at + 1]), i >= 0, i < count
        else { return nil }
        return i
    }

    func describe(_ error: SetQuantitiesData.Payload.UserError, in batch: [PlannedWrite]) -> String {
        var text = error.message
        if let code = error.code { text += " (\(code))" }
        if let i = Self.index(in: error.field, count: batch.count) {
            text += " for SKU '\(batch[i].write.sku)' at location \(batch[i].write.locationID)"
        }
        return client.token.scrub(text)
    }
}
