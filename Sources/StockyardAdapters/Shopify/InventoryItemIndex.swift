/// Which inventory item each SKU is at each location, as this process last read it.
///
/// `inventorySetQuantities` names items by id, and Stockyard names them by SKU. Every push follows
/// a read of the same location moments before (sync reads, then pushes; apply reads the location
/// it is about to overwrite), so the ids come from that read instead of a second read of every
/// level of the location, which on a 20,000-SKU location is 80 pages, some 60,000 cost points.
/// Kept for the process only: a new run always starts from a fresh read. An id that went stale in
/// between (an item deleted and made again under the same SKU) makes Shopify refuse the whole
/// mutation, so nothing is written under a wrong id.
actor InventoryItemIndex {
    private var items: [String: [String: String]] = [:]

    func remember(_ bySKU: [String: String], at locationID: String) {
        items[locationID] = bySKU
    }

    /// The item ids of `skus` at the location, or nil unless all of them are known.
    func itemIDs(for skus: [String], at locationID: String) -> [String: String]? {
        guard let known = items[locationID] else { return nil }
        var out: [String: String] = [:]
        for sku in skus {
            guard let id = known[sku] else { return nil }
            out[sku] = id
        }
        return out
    }
}
