import StockyardEngine

/// The config `init` writes: each location its own new warehouse, on store master.
public enum FirstConfig {
    /// `store` says how to reach the store (platform, path or shop and credentials); its connections are made here.
    public static func make(store spec: StoreSpec, locations: [StoreLocation], today: Day) -> DesiredConfig {
        let at = SourceLocation(file: "stockyard.yaml", line: 1, column: 1)
        let store = spec.key
        var taken = Set<String>()
        var warehouses: [WarehouseSpec] = []
        var connections: [ConnectionSpec] = []
        let trialEnd = today.adding(days: 30)
        for location in locations where location.isActive {
            let key = ConfigWriter.uniqueKey(for: location.name, taken: &taken)
            let kind: WarehouseKind = location.isFulfillmentService ? .thirdParty : .own
            warehouses.append(WarehouseSpec(key: key, name: location.name, kind: kind, location: at))
            connections.append(
                ConnectionSpec(
                    storeKey: store, locationName: location.name, locationID: location.id, warehouseKey: key, master: .store,
                    masterIsExplicit: false, testingUntil: kind == .own ? trialEnd : nil, location: at))
        }
        var spec = spec
        spec.connections = connections
        return DesiredConfig(file: "stockyard.yaml", sha256: "", defaultMaster: .store, warehouses: warehouses, stores: [spec])
    }

    /// The comment the file starts with: what the config does at first, and what to do next.
    public static func header(store: String, locations: [StoreLocation]) -> [String] {
        var header = [
            "First Stockyard config for store '\(store)', written by `stockyard init`.",
            "Every location starts on store master: the store's numbers are copied into the hub and",
            "nothing in the store is overwritten. When you trust the sync, switch your own warehouses to",
            "`master: stockyard`; keep 3PL warehouses on store master.",
        ]
        let skipped = locations.filter { !$0.isActive }.map(\.name)
        if !skipped.isEmpty { header.append("Inactive locations left out: \(skipped.joined(separator: ", ")).") }
        return header
    }
}
