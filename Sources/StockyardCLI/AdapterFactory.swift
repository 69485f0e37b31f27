import Foundation
import StockyardAdapters
import StockyardEngine

/// The one place that knows which adapter serves which platform, and that holds every store to
/// what the operator allows (``TrustPolicy``) before any adapter is made.
enum AdapterFactory {
    /// Adapters for every store of the config that this build can reach, by store key; refuses,
    /// listing every store the policy does not allow, before anything is read or sent.
    static func adapters(for config: DesiredConfig, configPath: String, trust: TrustPolicy) throws -> [String: any StoreAdapter] {
        let base = URL(fileURLWithPath: configPath).deletingLastPathComponent()
        let roots = trust.storeRoots(configDirectory: base)
        try preflight(config.stores, baseURL: base, trust: trust, roots: roots)
        var out: [String: any StoreAdapter] = [:]
        for store in config.stores {
            if let adapter = try? adapter(for: store, baseURL: base, trust: trust, roots: roots) { out[store.key] = adapter }
        }
        return out
    }

    /// Every store the policy refuses, as one error: `file:line:col: store 'key': what and how to allow it`.
    /// Returns the real paths of the `file` stores it checked, by store key, for ``adapter(for:baseURL:trust:roots:checkedPath:)``:
    /// resolving each path again there was a few percent of a plan of 10,000 stores.
    /// `resolved`: real paths the same policy already allowed for `path:`s as written (from the
    /// same config folder, see ``FileStoreReadAhead/remember(realPaths:)``), taken as they are.
    @discardableResult
    static func preflight(
        _ stores: [StoreSpec], baseURL: URL, trust: TrustPolicy, roots: TrustPolicy.StoreRoots? = nil, resolved: [String: String] = [:]
    ) throws -> [String: String] {
        let roots = roots ?? trust.storeRoots(configDirectory: baseURL)
        var problems: [String] = []
        var checked: [String: String] = [:]
        // On every core, in parts of their own (each with its own folders' real paths), results in
        // store order: 10,000 stores' paths were checked on one core while the other waited.
        let parts = max(1, min(stores.count / 64, Parallel.width * 4))
        let found = Parallel.map(parts, chunk: 1) { part in
            var files = TrustPolicy.StoreFileResolver(policy: trust, roots: roots)
            return stores[(stores.count * part / parts)..<(stores.count * (part + 1) / parts)].map { store in
                violations(of: store, baseURL: baseURL, trust: trust, files: &files, resolved: resolved)
            }
        }
        for (store, (refusals, path)) in zip(stores, found.joined()) {
            for violation in refusals {
                problems.append("\(store.location.file):\(store.location.line):\(store.location.column): \(violation)")
            }
            if let path { checked[store.key] = path }
        }
        guard !problems.isEmpty else { return checked }
        throw CLIFailure.storesRefused(problems: problems)
    }

    /// What the policy refuses in one store's settings; checks names and paths only, never reads a
    /// secret. `filePath`: a `file` store's real path, when the policy allows it.
    static func violations(
        of store: StoreSpec, baseURL: URL, trust: TrustPolicy, files: inout TrustPolicy.StoreFileResolver, resolved: [String: String] = [:]
    ) -> (violations: [TrustPolicy.Violation], filePath: String?) {
        var out: [TrustPolicy.Violation] = []
        var filePath: String?
        do throws(TrustPolicy.Violation) {
            switch store.platform {
            case .file:
                if let path = store.path {
                    if let known = resolved[path] { filePath = known } else { filePath = try files.realPath(of: path, store: store.key) }
                }
            case .shopify:
                if let shop = store.shop { _ = try trust.shopifyBase(store: store.key, shop: shop, endpoint: store.endpoint) }
            }
        } catch {
            out.append(error)
        }
        do throws(TrustPolicy.Violation) {
            switch store.credentials {
            case .environment(let name)?: try trust.checkCredentialVariable(name, store: store.key)
            case .file(let path)?: _ = try trust.credentialFile(path, store: store.key, configDirectory: baseURL)
            case nil: break
            }
        } catch {
            // A file that does not exist yet is reported when the store is read, with the usual message.
            if !error.isMissing { out.append(error) }
        }
        return (out, filePath)
    }

    /// `roots`: the policy's store folders resolved once for many stores (resolved here when nil).
    /// `checkedPath`: the store file's real path as ``preflight(_:baseURL:trust:roots:)`` checked it.
    static func adapter(
        for store: StoreSpec, baseURL: URL, trust: TrustPolicy, roots: TrustPolicy.StoreRoots? = nil, checkedPath: String? = nil,
        readAhead: FileStoreReadAhead? = nil
    ) throws(TrustPolicy.Violation) -> (any StoreAdapter)? {
        switch store.platform {
        case .file:
            guard let path = store.path else { return nil }
            // The adapter gets the real path the policy checked, so a symlink swapped in later cannot redirect it.
            if let checkedPath { return FileStoreAdapter(path: checkedPath, displayPath: path, readAhead: readAhead) }
            let url = try trust.storeFile(path, store: store.key, within: roots ?? trust.storeRoots(configDirectory: baseURL))
            return FileStoreAdapter(path: url.path, displayPath: path)
        case .shopify:
            // The config checks guarantee both; without them there is nothing to connect to.
            guard let shop = store.shop, let credentials = store.credentials else { return nil }
            return ShopifyStoreAdapter(
                settings: ShopifyStoreSettings(
                    storeKey: store.key, shop: shop, credentials: credentials, apiVersion: store.apiVersion,
                    endpoint: store.endpoint, trust: trust, baseDirectory: baseURL))
        }
    }
}
