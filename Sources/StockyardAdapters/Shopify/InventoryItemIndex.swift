/// Which inventory item each SKU is at each location, as this process last read it.
///
/// `inventorySetQuantities` names items by id, and Stockyard names them by SKU. A push follows a
/// read of the same location (apply reads the location it is about to overwrite; sync reads what
/// changed), so the ids come from the reads instead of a second read of every level of the
/// location, which on a 20,000-SKU location is 80 pages, some 60,000 cost points. A SKU no read
/// of this process returned (sync pushes SKUs whose level it did not read this round) is looked
/// up by SKU. Kept for the process only. An id that went stale in between (an item deleted and
/// made again under the same SKU) makes Shopify refuse the whole mutation, so nothing is written
/// under a wrong id.
actor InventoryItemIndex {
    private var items: [String: [String: String]] = [:]

    /// Records the ids read at a location: all of its items (`replacing`), or some more of them.
    func remember(_ bySKU: [String: String], at locationID: String, replacing: Bool = true) {
        if replacing {
            items[locationID] = bySKU
        } else {
            items[locationID, default: [:]].merge(bySKU) { $1 }
        }
    }

    /// The item ids of those of `skus` known at the location.
    func itemIDs(of skus: [String], at locationID: String) -> [String: String] {
        guard let known = items[locationID] else { return [:] }
        var out: [String: String] = [:]
        for sku in skus { if let id = known[sku] { out[sku] = id } }
        return out
    }
}
