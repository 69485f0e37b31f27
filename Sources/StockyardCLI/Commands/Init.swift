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
        @Option(
            help: ArgumentHelp(
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
                guard case .reference = ConfigSyntax.credentials(credentials) else {
                    throw ValidationError("--credentials must be env:NAME or file:PATH, never the token itself")
                }
                if let apiVersion, !ConfigSyntax.isAPIVersion(apiVersion) {
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
            let text = ConfigWriter.write(config, options: .init(header: FirstConfig.header(store: store, locations: locations)))
            try WriteFile.atomically(text, to: outputURL.path, display: output)
            Terminal.writeErr(
                "Wrote \(output): \(config.warehouses.count) warehouses, \(config.connections.count) connections. Next: `stockyard plan --config \(output)`.\n")
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
                // validate() refused anything but a reference.
                guard case .reference(var reference) = ConfigSyntax.credentials(credentials ?? "") else { throw CLIFailure.storeUnreadable(store: store) }
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
}

extension Platform: ExpressibleByArgument {}
