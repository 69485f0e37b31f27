import StockyardEngine

/// The config `import` writes: exactly what the state holds. What the state does not keep (a
/// Shopify store's credentials reference, endpoint and api_version, trial dates,
/// `unmanaged_locations`, `safety` and `lint`) is taken from `current` when given; Shopify
/// credentials otherwise default to `env:KEY_SHOPIFY_TOKEN`.
public enum ImportedConfig {
    /// The comment the file starts with.
    public static let header = ["Written by `stockyard import` from the hub's state."]

    public static func make(from state: HubState, keeping current: DesiredConfig? = nil) -> DesiredConfig {
        let known = Dictionary((current?.stores ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let at = SourceLocation(file: "stockyard.yaml", line: 1, column: 1)
        let warehouses = state.warehouses.keys.sorted().map { key -> WarehouseSpec in
            let w = state.warehouses[key]!
            return WarehouseSpec(key: w.key, name: w.name, code: w.code, kind: w.kind, protect: w.protect ? true : nil, location: at)
        }
        var byStore: [String: [ConnectionRecord]] = [:]
        for c in state.connections.values { byStore[c.store, default: []].append(c) }
        let stores = state.stores.keys.sorted().map { key -> StoreSpec in
            let s = state.stores[key]!
            let old = known[key].flatMap { $0.platform == s.platform ? $0 : nil }
            let trials = Dictionary((old?.connections ?? []).compactMap { c in c.testingUntil.map { (c.locationName, $0) } }, uniquingKeysWith: { a, _ in a })
            let connections = (byStore[key] ?? []).sorted {
                $0.locationName != $1.locationName ? $0.locationName < $1.locationName : $0.locationID < $1.locationID
            }.map { c in
                ConnectionSpec(
                    storeKey: key, locationName: c.locationName, locationID: c.locationID, warehouseKey: c.warehouse, master: c.master,
                    masterIsExplicit: true, protect: c.protect ? true : nil, testingUntil: trials[c.locationName], location: at)
            }
            var store: StoreSpec
            switch s.platform {
            case .file:
                store = StoreSpec(key: key, platform: .file, path: s.target, connections: connections, location: at)
            case .shopify:
                let variable = key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_SHOPIFY_TOKEN"
                store = StoreSpec(
                    key: key, platform: .shopify, shop: s.target, credentials: old?.credentials ?? .environment(variable),
                    apiVersion: old?.apiVersion, endpoint: old?.endpoint, connections: connections, location: at)
            }
            store.unmanagedLocations = old?.unmanagedLocations ?? .warn
            return store
        }
        var config = DesiredConfig(file: "stockyard.yaml", sha256: "", defaultMaster: .store, warehouses: warehouses, stores: stores)
        if let current {
            config.safety = current.safety
            config.lintIgnore = current.lintIgnore
        }
        return config
    }
}
