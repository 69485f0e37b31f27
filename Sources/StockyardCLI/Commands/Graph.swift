import ArgumentParser
import Foundation
import StockyardConfig
import StockyardEngine

extension GraphFormat: ExpressibleByArgument {}

extension StockyardCommand {
    /// `stockyard graph`: the topology as a diagram.
    struct Graph: AsyncParsableCommand {
        enum Source: String, ExpressibleByArgument, CaseIterable {
            case config, state
        }

        static let configuration = CommandConfiguration(
            abstract: "Draw the topology: stores, locations, warehouses and who is master, as Mermaid or Graphviz DOT.",
            discussion: """
                One cluster per store with its locations, the warehouses between them (own: cylinder, 3PL: \
                hexagon), one edge per connection: solid from the warehouse to the location on stockyard \
                master (it pushes), dashed from the location into the warehouse on store master (it is \
                pulled). Unmanaged and inactive locations are greyed, and two stores' locations at one \
                address linked to different warehouses are joined by a dotted `same address` line.

                --from config (the default) draws what the config describes. The locations the config \
                leaves out and the addresses come from the stores: `file` stores are read (a local file, \
                no network); Shopify stores are read only with --read-shopify (their locations, not their \
                stock: it needs their tokens and one request per 250 locations). A store that is not read, \
                or cannot be, is drawn from the config alone, with a warning. --from state draws what \
                the hub's state holds, and reads no store.

                Exit codes: 0 success; 1 error (the config has errors, the state cannot be read); 64 usage error.

                Examples:
                  stockyard graph --config examples/demo/stockyard.yaml
                  stockyard graph --format dot | dot -Tpng -o topology.png
                  stockyard graph --from state --store web
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @OptionGroup var trustOptions: TrustOptions

        @Option(help: "Output format: mermaid or dot.")
        var format: GraphFormat = .mermaid

        @Option(help: "What to draw: config (the desired topology) or state (what the hub holds).")
        var from: Source = .config

        @Option(name: .customLong("store"), help: ArgumentHelp("Draw only this store and the warehouses it links to (repeatable).", valueName: "key"))
        var stores: [String] = []

        @Flag(help: "Also read Shopify stores, for their unmanaged and inactive locations and their addresses.")
        var readShopify = false

        func validate() throws {
            if from == .state && readShopify { throw ValidationError("--read-shopify reads stores for --from config; --from state reads no store") }
        }

        func run() async throws {
            let selected = stores.isEmpty ? nil : Set(stores)
            let topology: Topology
            switch from {
            case .config: topology = try await desired(selected: selected)
            case .state: topology = try await held(selected: selected)
            }
            let text = GraphRenderer.render(topology, as: format)
            if format == .mermaid,
                topology.edgeCount > MarkdownPlanRenderer.diagramMaxEdges || text.utf16.count > MarkdownPlanRenderer.diagramMaxText
            {
                Terminal.writeErr(
                    "warning: the diagram has \(topology.edgeCount) edges and \(text.utf16.count) characters; Mermaid draws at most \(MarkdownPlanRenderer.diagramMaxEdges) edges and \(MarkdownPlanRenderer.diagramMaxText) characters unless told otherwise, so GitHub and GitLab will not draw it: pick stores with --store, or use --format dot\n"
                )
            }
            Terminal.writeOut(text)
        }

        private func desired(selected: Set<String>?) async throws -> Topology {
            let service = PlanService(
                configPath: configOptions.configURL.path, configDisplayPath: configOptions.config,
                statePath: "", selectedStores: selected, excludedStores: [])
            let loaded = try service.loadConfig()
            // The checks that need no store: a config with errors draws nothing.
            let diagnostics = loaded.allDiagnostics(today: Day.fromEnvironment())
            guard let config = loaded.validConfig, !diagnostics.hasErrors else {
                let printer = DiagnosticPrinter(source: loaded.source, style: Style(enabled: Terminal.colorAllowed(fd: 2)))
                Terminal.writeErr(printer.render(diagnostics, subject: configOptions.config))
                throw ExitCode(1)
            }
            try StoreSelection.check(stores, in: config, file: configOptions.config)
            let readings = await readLocations(config, selected: selected)
            for store in config.stores {
                if case .failed(let message, _)? = readings[store.key] {
                    Terminal.writeErr("warning: store '\(store.key)' could not be read: \(message); it is drawn from the config alone\n")
                }
            }
            let unread = config.stores.filter { (selected?.contains($0.key) ?? true) && readings[$0.key] == nil }.map(\.key)
            if !unread.isEmpty {
                Terminal.writeErr(
                    "note: \(unread.joined(separator: ", ")) \(unread.count == 1 ? "is" : "are") drawn from the config alone; --read-shopify reads Shopify stores' locations\n"
                )
            }
            return Topology.desired(config, readings: readings, selected: selected)
        }

        /// The locations (not the stock) of every selected `file` store, and of Shopify stores with
        /// --read-shopify; one failing store does not stop the others.
        private func readLocations(_ config: DesiredConfig, selected: Set<String>?) async -> [String: StoreReading] {
            let base = configOptions.configURL.deletingLastPathComponent()
            let chosen = config.stores.filter { (selected?.contains($0.key) ?? true) && ($0.platform == .file || readShopify) }
            let trust = trustOptions.policy
            let roots = trust.storeRoots(configDirectory: base)
            return await withTaskGroup(of: (String, StoreReading).self) { group in
                // As many stores at once as a plan reads (``PlanService/readingWidth``), the next
                // started as one finishes: not every store's task and file at once.
                var out: [String: StoreReading] = [:]
                for (started, store) in chosen.enumerated() {
                    if started >= PlanService.readingWidth, let (key, reading) = await group.next() { out[key] = reading }
                    group.addTask {
                        // A store the operator's policy does not allow is not read: drawn from the config, with the reason.
                        let made: (any StoreAdapter)?
                        do {
                            made = try AdapterFactory.adapter(for: store, baseURL: base, trust: trust, roots: roots)
                        } catch {
                            return (store.key, .failed(message: "\(error)", location: store.location))
                        }
                        guard let adapter = made else {
                            return (
                                store.key,
                                .failed(message: "reading \(store.platform.rawValue) stores is not supported by this build", location: store.location)
                            )
                        }
                        do {
                            let locations = try await adapter.closing { try await adapter.locations() }
                            return (store.key, .read(StoreFacts(storeKey: store.key, locations: locations)))
                        } catch {
                            return (
                                store.key, .failed(message: Redaction.redactTokens(in: describeStoreError(error, store: store.key)), location: store.location)
                            )
                        }
                    }
                }
                for await (key, reading) in group { out[key] = reading }
                return out
            }
        }

        private func held(selected: Set<String>?) async throws -> Topology {
            let store = try StateLocator.open(stateOptions.stateLocation(configURL: configOptions.configURL), create: false)
            let state: HubState
            do {
                state = try await store.closing { try await store.loadForPlan() }
            } catch {
                throw CLIFailure.failed(error)
            }
            return Topology.held(state, selected: selected)
        }
    }
}

/// `--store` and `--exclude` values must name stores of the config.
enum StoreSelection {
    static func check(_ given: [String], in config: DesiredConfig, file: String) throws {
        let keys = config.stores.map(\.key)
        for key in given where !keys.contains(key) {
            throw CLIFailure.noSuchStore(key: key, file: file, suggestion: Suggestions.didYouMean(key, in: keys))
        }
    }
}
