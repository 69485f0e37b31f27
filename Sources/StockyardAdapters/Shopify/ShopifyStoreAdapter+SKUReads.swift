import Foundation
import StockyardEngine

extension ShopifyStoreAdapter {
    /// SKUs per `inventoryItems` request: the search string grows with each, and 50 keep it short.
    static let skusPerLookup = 50

    /// The levels of these SKUs at one location, found through `inventoryItems(query: "sku:…")`
    /// and each item's `inventoryLevel(locationId:)`: a few hundred points for a push's SKUs, where
    /// reading the whole location costs some 60,000 on a 20,000-SKU catalog. A SKU the location
    /// does not stock (no item, or no level there) is left out.
    func stockedItems(_ client: ShopifyClient, skus: [String], at locationID: String) async throws -> [String: StockedItem] {
        var out: [String: StockedItem] = [:]
        let wanted = Set(skus)
        for start in stride(from: 0, to: skus.count, by: Self.skusPerLookup) {
            let chunk = Array(skus[start..<min(start + Self.skusPerLookup, skus.count)])
            let query = chunk.map { "sku:\(Self.quoted($0))" }.joined(separator: " OR ")
            var after: String?
            repeat {
                // Twice the SKUs asked for: the search also matches other items whose SKU holds the
                // same words, and they are filtered out below.
                let page = try await client.send(
                    .inventoryItemsBySKU,
                    InventoryItemsBySKUVariables(query: query, first: min(250, chunk.count * 2), after: after, locationId: locationID),
                    as: InventoryItemsBySKUData.self
                ).inventoryItems
                for node in page.edges.map(\.node) {
                    guard let sku = node.sku?.trimmingCharacters(in: .whitespaces), wanted.contains(sku), let level = node.inventoryLevel else { continue }
                    let available = level.quantities.first { $0.name == "available" }?.quantity
                    try Self.record(
                        InventoryLevelsData.Level.Item(id: node.id, sku: sku), available: available, changedAt: level.updatedAt,
                        at: locationID, store: settings.storeKey, into: &out)
                }
                after = try nextCursor(page.pageInfo, after: after, what: "inventory items")
            } while after != nil
        }
        await itemIndex.remember(out.mapValues(\.itemID), at: locationID, replacing: false)
        return out
    }

    /// A search value in double quotes, its `\` and `"` escaped, so a SKU's spaces, colons or
    /// quotes stay part of the value.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for c in value {
            if c == "\\" || c == "\"" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }
}
