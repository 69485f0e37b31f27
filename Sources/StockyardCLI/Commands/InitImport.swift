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

                Example:
                  stockyard init --store demo --platform file --path stores/demo.json
                """)

        @Option(help: ArgumentHelp("The store's key in the config.", valueName: "key")) var store: String
        @Option(help: "The store's platform: file.") var platform: Platform
        @Option(help: ArgumentHelp("For `file` stores: the store's JSON file.", valueName: "path")) var path: String?
        @Option(help: ArgumentHelp("Where to write the config.", valueName: "path")) var output: String = "stockyard.yaml"
        @Flag(help: "Overwrite the output file if it exists.") var force = false

        func validate() throws {
            guard ConfigWriter.isValidKey(store) else {
                throw ValidationError("--store must be letters, digits, '-' or '_', starting with a letter or digit")
            }
            if platform == .file && path == nil { throw ValidationError("--platform file needs --path") }
            if platform == .shopify { throw ValidationError("--platform shopify is not supported by this build yet; use --platform file") }
        }

        func run() async throws {
            let outputURL = URL(fileURLWithPath: output).standardizedFileURL
            if FileManager.default.fileExists(atPath: outputURL.path) && !force {
                throw CLIFailure.report("\(output) already exists; pass --force to overwrite it")
            }
            let storeURL = URL(fileURLWithPath: path!).standardizedFileURL
            let locations: [StoreLocation]
            do {
                locations = try await FileStoreAdapter(path: storeURL.path, displayPath: path!).locations()
            } catch {
                throw CLIFailure.report("\(error)")
            }
            let relative = RelativePath.from(directory: outputURL.deletingLastPathComponent(), to: storeURL)
            let config = FirstConfig.make(store: store, platform: platform, path: relative, locations: locations, today: Day.fromEnvironment())
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
        }
    }

    /// `stockyard import`: the config that describes the current state.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the config that describes the current state, so that plan shows no changes.",
            discussion: """
                Example:
                  stockyard import --state .stockyard/state.sqlite --output stockyard.yaml
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "path")) var output: String?
        @Flag(help: "Overwrite the output file if it exists.") var force = false

        func run() async throws {
            let state = try await StateLock.load(try PlanService.openState(path: stateOptions.stateLocation(configURL: configOptions.configURL), create: false))
            let text = ConfigWriter.write(ImportedConfig.make(from: state), options: .init(header: ["Written by `stockyard import` from the hub's state."]))
            guard let output else {
                Terminal.writeOut(text)
                return
            }
            if FileManager.default.fileExists(atPath: output) && !force {
                throw CLIFailure.report("\(output) already exists; pass --force to overwrite it")
            }
            try WriteFile.atomically(text, to: output, display: output)
            Terminal.writeErr("Wrote \(output).\n")
        }
    }
}

extension Platform: ExpressibleByArgument {}

/// The config `init` writes: each location its own new warehouse, on store master.
enum FirstConfig {
    static func make(store: String, platform: Platform, path: String, locations: [StoreLocation], today: Day) -> DesiredConfig {
        let at = SourceLocation(file: "stockyard.yaml", line: 1, column: 1)
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
        let spec = StoreSpec(key: store, platform: platform, path: path, connections: connections, location: at)
        return DesiredConfig(file: "stockyard.yaml", sha256: "", defaultMaster: .store, warehouses: warehouses, stores: [spec])
    }
}

/// The config `import` writes: exactly what the state holds.
enum ImportedConfig {
    static func make(from state: HubState) -> DesiredConfig {
        let at = SourceLocation(file: "stockyard.yaml", line: 1, column: 1)
        let warehouses = state.warehouses.keys.sorted().map { key -> WarehouseSpec in
            let w = state.warehouses[key]!
            return WarehouseSpec(key: w.key, name: w.name, code: w.code, kind: w.kind, protect: w.protect ? true : nil, location: at)
        }
        var byStore: [String: [ConnectionRecord]] = [:]
        for c in state.connections.values { byStore[c.store, default: []].append(c) }
        let stores = state.stores.keys.sorted().map { key -> StoreSpec in
            let s = state.stores[key]!
            let connections = (byStore[key] ?? []).sorted { $0.locationName != $1.locationName ? $0.locationName < $1.locationName : $0.locationID < $1.locationID }.map { c in
                ConnectionSpec(
                    storeKey: key, locationName: c.locationName, locationID: c.locationID, warehouseKey: c.warehouse, master: c.master,
                    masterIsExplicit: true, protect: c.protect ? true : nil, location: at)
            }
            switch s.platform {
            case .file:
                return StoreSpec(key: key, platform: .file, path: s.target, connections: connections, location: at)
            case .shopify:
                let variable = key.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() + "_SHOPIFY_TOKEN"
                return StoreSpec(key: key, platform: .shopify, shop: s.target, credentials: .environment(variable), connections: connections, location: at)
            }
        }
        return DesiredConfig(file: "stockyard.yaml", sha256: "", defaultMaster: .store, warehouses: warehouses, stores: stores)
    }
}

/// Writes text files whole or not at all.
enum WriteFile {
    static func atomically(_ text: String, to path: String, display: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CLIFailure.report("cannot write \(display): \(error.localizedDescription)")
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
