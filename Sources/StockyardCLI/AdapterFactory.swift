import Foundation
import StockyardAdapters
import StockyardEngine

/// The one place that knows which adapter serves which platform.
enum AdapterFactory {
    static func adapter(for store: StoreSpec, baseURL: URL) -> (any StoreAdapter)? {
        switch store.platform {
        case .file:
            guard let path = store.path else { return nil }
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : baseURL.appendingPathComponent(path)
            return FileStoreAdapter(path: url.standardizedFileURL.path, displayPath: path)
        case .shopify:
            return nil
        }
    }
}
