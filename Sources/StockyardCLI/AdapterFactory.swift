import Foundation
import StockyardAdapters
import StockyardEngine

/// The one place that knows which adapter serves which platform.
enum AdapterFactory {
    /// Adapters for every store of the config that this build can reach, by store key.
    static func adapters(for config: DesiredConfig, configPath: String) -> [String: any StoreAdapter] {
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        var out: [String: any StoreAdapter] = [:]
        for store in config.stores {
            if let adapter = adapter(for: store, baseURL: base) { out[store.key] = adapter }
        }
        return out
    }

    static func adapter(for store: StoreSpec, baseURL: URL) -> (any StoreAdapter)? {
        switch store.platform {
        case .file:
            guard let path = store.path else { return nil }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseURL.appendingPathComponent(path)
            return FileStoreAdapter(path: url.standardizedFileURL.path, displayPath: path)
        case .shopify:
            // The config checks guarantee both; without them there is nothing to connect to.
            guard let shop = store.shop, let credentials = store.credentials else { return nil }
            return ShopifyStoreAdapter(settings: ShopifyStoreSettings(
                storeKey: store.key, shop: shop, credentials: credentials, apiVersion: store.apiVersion,
                endpoint: store.endpoint, baseDirectory: baseURL))
        }
    }
}
