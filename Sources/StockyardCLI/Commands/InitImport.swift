import ArgumentParser
import Foundation
import StockyardAdapters
import StockyardConfig
import StockyardEngine

extension StockyardCommand {
    /// `stockyard init`: a first config from a store's locations, the recommended first step.
    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a first stockyard.yaml from a store's locations.",
            discussion: """
                Each active location becomes a new warehouse on store master: the store keeps the numbers \
                while you check that Stockyard behaves, and nothing in the store is overwritten. Own \
                warehouses get a `testing_until` date 30 days out; switch them to `master: stockyard` when \
                you are ready. Fulfillment-service locations become 3PL warehouses and stay on store master.

                Examples:
                  stockyard init --store demo --platform file --path stores/demo.json
                  stockyard init --store acme-us --platform shopify --shop acme-us.myshopify.com \\
                    --credentials env:ACME_US_SHOPIFY_TOKEN
                """)

        @Option(help: ArgumentHelp("The store's key in the config.", valueName: "key")) var store: String
        @Option(help: "The store's platform: shopify or file.") var platform: Platform
        @Option(help: ArgumentHelp("For `file` stores: the store's JSON file.", valueName: "path")) var path: String?
        @Option(help: ArgumentHelp("For `shopify` stores: the shop's NAME.myshopify.com domain.", valueName: "domain")) var shop: String?
        @Option(help: ArgumentHelp(
            "For `shopify` stores: where the Admin API access token is, env:NAME or file:PATH (never the token itself).",
            valueName: "reference")) var credentials: String?
        @Option(help: ArgumentHelp("For `shopify` stores: the Admin API version (default \(ShopifyStoreSettings.defaultAPIVersion)).", valueName: "YYYY-MM"))
        var apiVersion: String?
        @Option(help: ArgumentHelp("For `shopify` stores: a base URL that replaces https://SHOP (a proxy).", valueName: "url")) var endpoint: String?
        @Option(help: ArgumentHelp("Where to write the config.", valueName: "path")) var output: String = "stockyard.yaml"
        @Flag(help: "Overwrite the output file if it exists.") var force = false
        @OptionGroup var trustOptions: TrustOptions

        func validate() throws {
            guard ConfigWriter.isValidKey(store) else {
                throw ValidationError("--store must be letters, digits, '-' or '_', starting with a letter or digit")
            }
            switch platform {
            case .file:
                if path == nil { throw ValidationError("--platform file needs --path") }
                if shop != nil || credentials != nil || apiVersion != nil || endpoint != nil {
                    throw ValidationError("--shop, --credentials, --api-version and --endpoint are for --platform shopify")
                }
            case .shopify:
                if path != nil { throw ValidationError("--path is for --platform file") }
                guard let shop else { throw ValidationError("--platform shopify needs --shop NAME.myshopify.com") }
                guard shop.hasSuffix(".myshopify.com"), shop.count > ".myshopify.com".count else {
                    throw ValidationError("--shop must be the store's NAME.myshopify.com domain, not '\(shop)'")
                }
                guard let credentials else { throw ValidationError("--platform shopify needs --credentials env:NAME or file:PATH") }
                // Anything else may be a pasted token: say so without echoing it.
                if FirstConfig.credentialReference(credentials) == nil {
                    throw ValidationError("--credentials must be env:NAME or file:PATH, never the token itself")
                }
                if let apiVersion, !FirstConfig.isAPIVersion(apiVersion) {
                    throw ValidationError("--api-version must look like \(ShopifyStoreSettings.defaultAPIVersion) (YYYY-MM)")
                }
                if let endpoint, !(endpoint.hasPrefix("https://") || endpoint.hasPrefix("http://")) {
                    throw ValidationError("--endpoint must be an http:// or https:// base URL")
                }
            }
        }

        func run() async throws {
            let outputURL = URL(fileURLWithPath: output).standardizedFileURL
            if FileManager.default.fileExists(atPath: outputURL.path) && !force {
                throw CLIFailure.outputExists(path: output)
            }
            let (spec, adapter) = try storeSpec(outputFolder: outputURL.deletingLastPathComponent())
            let locations: [StoreLocation]
            do {
                locations = try await adapter.closing { try await adapter.locations() }
            } catch {
                throw CLIFailure.failed(error)
            }
            let config = FirstConfig.make(store: spec, locations: locations, today: Day.fromEnvironment())
            let skipped = locations.filter { !$0.isActive }.map(\.name)
            var header = [
                "First Stockyard config for store '\(store)', written by `stockyard init`.",
                "Every location starts on store master: the store's numbers are copied into the hub and",
                "nothing in the store is overwritten. When you trust the sync, switch your own warehouses to",
                "`master: stockyard`; keep 3PL warehouses on store master.",
            ]
            if !skipped.isEmpty { header.append("Inactive locations left out: \(skipped.joined(separator: ", ")).") }
            let text = ConfigWriter.write(config, options: .init(header: header))
            try WriteFile.atomically(text, to: outputURL.path, display: output)
            Terminal.writeErr("Wrote \(output): \(config.warehouses.count) warehouses, \(config.connections.count) connections. Next: `stockyard plan --config \(output)`.\n")
            try ignoreState(besideConfigIn: outputURL.deletingLastPathComponent())
        }

        /// The store as the config will say it, and an adapter to read it now. Paths given on the
        /// command line are relative to the working directory; in the config they are relative to
        /// the output file's folder, as every path in a config is.
        ///
        /// The store is held to the same ``TrustPolicy`` as every later `plan` of the written config
        /// (its folder is the config's folder), so init never reaches what plan would refuse.
        func storeSpec(outputFolder: URL) throws -> (StoreSpec, any StoreAdapter) {
            let at = SourceLocation(file: output, line: 1, column: 1)
            let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            let spec: StoreSpec
            switch platform {
            case .file:
                let storeURL = URL(fileURLWithPath: path!, relativeTo: here).standardizedFileURL
                let relative = RelativePath.from(directory: outputFolder, to: storeURL)
                spec = StoreSpec(key: store, platform: .file, path: relative, location: at)
            case .shopify:
                var reference = FirstConfig.credentialReference(credentials!)!
                if case .file(let file) = reference, !file.hasPrefix("/") {
                    reference = .file(RelativePath.from(directory: outputFolder, to: URL(fileURLWithPath: file, relativeTo: here).standardizedFileURL))
                }
                spec = StoreSpec(key: store, platform: .shopify, shop: shop, credentials: reference, apiVersion: apiVersion, endpoint: endpoint, location: at)
            }
            let trust = trustOptions.policy
            try AdapterFactory.preflight([spec], baseURL: outputFolder, trust: trust)
            do {
                guard let adapter = try AdapterFactory.adapter(for: spec, baseURL: outputFolder, trust: trust) else {
                    throw CLIFailure.storeUnreadable(store: store)
                }
                return (spec, adapter)
            } catch let violation as TrustPolicy.Violation {
                throw CLIFailure.failed(violation)
            }
        }
    }

    /// `stockyard import`: the config that describes the current state.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the config that describes the current state, so that plan shows no changes.",
            discussion: """
                The state keeps stores, warehouses and connections. What it does not keep (a Shopify \
                store's credentials reference, endpoint and api_version, trial dates, `unmanaged_locations`, \
                `safety` and `lint`) is carried over from --config when that file loads; otherwise Shopify \
                credentials default to env:KEY_SHOPIFY_TOKEN.

                Example:
                  stockyard import --state .stockyard/state.sqlite --output stockyard.yaml
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "path")) var output: String?
        @Flag(help: "Overwrite the output file if it exists.") var force = false

        func run() async throws {
            let store = try StateLocator.openForReading(stateOptions.stateLocation(configURL: configOptions.configURL))
            let state = try await store.closing { try await StateLock.load(store) }
            // What the state does not keep (credentials, endpoints, trials, lint and safety settings)
            // comes from the current config, when there is one that loads.
            let current = (try? ConfigLoader.load(path: configOptions.configURL.path))?.config
            let text = ConfigWriter.write(ImportedConfig.make(from: state, keeping: current), options: .init(header: ["Written by `stockyard import` from the hub's state."]))
            guard let output else {
                Terminal.writeOut(text)
                try ignoreState(besideConfigIn: configOptions.configURL.deletingLastPathComponent())
                return
            }
            if FileManager.default.fileExists(atPath: output) && !force {
                throw CLIFailure.outputExists(path: output)
            }
            try WriteFile.atomically(text, to: output, display: output)
            Terminal.writeErr("Wrote \(output).\n")
            try ignoreState(besideConfigIn: URL(fileURLWithPath: output).standardizedFileURL.deletingLastPathComponent())
        }
    }
}

extension Platform: ExpressibleByArgument {}

/// The config `init` writes: each location its own new warehouse, on store master.
enum FirstConfig {
    /// `store` says how to reach the store (platform, path or shop and credentials); its connections are made here.
    static func make(store spec: StoreSpec, locations: [StoreLocation], today: Day) -> DesiredConfig {
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
            connections.append(ConnectionSpec(
                storeKey: store, locationName: location.name, locationID: location.id, warehouseKey: key, master: .store,
                masterIsExplicit: false, testingUntil: kind == .own ? trialEnd : nil, location: at))
        }
        var spec = spec
        spec.connections = connections
        return DesiredConfig(file: "stockyard.yaml", sha256: "", defaultMaster: .store, warehouses: warehouses, stores: [spec])
    }

    /// `env:NAME` or `file:PATH`, as the config language has them; `nil` for anything else.
    static func credentialReference(_ text: String) -> CredentialReference? {
        if text.hasPrefix("env:") {
            let name = text.dropFirst(4)
            guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
                name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) })
            else { return nil }
            return .environment(String(name))
        }
        if text.hasPrefix("file:"), text.count > 5 { return .file(String(text.dropFirst(5))) }
        return nil
    }

    static func isAPIVersion(_ v: String) -> Bool {
        let u = Array(v.utf8)
        return u.count == 7 && u[4] == UInt8(ascii: "-") && u.enumerated().allSatisfy { $0.offset == 4 || (48...57).contains($0.element) }
    }
}

/// The config `import` writes: exactly what the state holds.
enum ImportedConfig {
    static func make(from state: HubState, keeping current: DesiredConfig? = nil) -> DesiredConfig {
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
            let connections = (byStore[key] ?? []).sorted { $0.locationName != $1.locationName ? $0.locationName < $1.locationName : $0.locationID < $1.locationID }.map { c in
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

/// `init` and `import` start a config's life in a repository: keep its state out of git from the start.
func ignoreState(besideConfigIn folder: URL) throws {
    do {
        if let changed = try StateIgnore.ensureIgnored(configFolder: folder) {
            Terminal.writeErr("Added `\(StateIgnore.line)` to \(changed.path), so the state is never committed.\n")
        }
    } catch {
        throw CLIFailure.cannotIgnoreState(line: StateIgnore.line, folder: folder.path, reason: error.localizedDescription)
    }
}

/// Writes text files whole or not at all.
enum WriteFile {
    static func atomically(_ text: String, to path: String, display: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure.cannotWrite(path: display, reason: error.localizedDescription)
        }
    }
}

/// A path from one folder to a file, for `path:` entries relative to the config file.
enum RelativePath {
    static func from(directory: URL, to file: URL) -> String {
        let base = directory.standardizedFileURL.pathComponents
        let target = file.standardizedFileURL.pathComponents
        var common = 0
        while common < base.count, common < target.count, base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...]).joined(separator: "/")
    }
}
