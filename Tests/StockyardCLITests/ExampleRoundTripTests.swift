import Foundation
import StockyardConfig
import StockyardEngine
import StockyardTestSupport
import Testing

/// Every bundled example, as a user runs it: `plan` shows the changes, `apply` makes them, the
/// next `plan` shows none, and `import` writes a config that plans no changes either. The
/// Shopify examples run against emulated shops whose locations are the ones each example
/// describes (names, the pinned id, the 3PL's fulfillment service, addresses); the only edit to
/// the example is the `endpoint:` that points each store at its emulator.
@Suite struct ExampleRoundTripTests {
    /// A location an emulated shop holds, and its stock.
    struct Location: Sendable {
        var name: String
        /// For a config that pins `id: gid://shopify/Location/N`.
        var legacyID: Int?
        var fulfillmentService: String?
        var address: PostalAddress
        var stock: [String: Int]
    }

    /// One Shopify store of an example: its key, shop domain and token variable as the example names them.
    struct Store: Sendable {
        var key: String
        var shop: String
        var variable: String
        var locations: [Location]
    }

    static let newark = PostalAddress(address1: "600 Doremus Ave", city: "Newark", zip: "07105", countryCode: "US")
    static let brooklyn = PostalAddress(address1: "210 Wythe Ave", city: "Brooklyn", zip: "11249", countryCode: "US")
    static let chicago = PostalAddress(address1: "1200 W 35th St", city: "Chicago", zip: "60609", countryCode: "US")

    /// acme-us as examples/first-time and examples/two-stores describe it. The Newark id is the
    /// one two-stores pins; first-time finds the same location by name.
    static let acmeUS = Store(
        key: "acme-us", shop: "acme-us.myshopify.com", variable: "ACME_US_SHOPIFY_TOKEN",
        locations: [
            Location(name: "Newark warehouse", legacyID: 61_234_567_001, address: newark, stock: ["TEE-BLK-M": 140, "MUG-ENAMEL": 36, "CAP-RED": 12]),
            Location(name: "Brooklyn shop", address: brooklyn, stock: ["TEE-BLK-M": 9, "MUG-ENAMEL": 4]),
            Location(name: "ShipBob Chicago", fulfillmentService: "ShipBob", address: chicago, stock: ["TEE-BLK-M": 300, "CAP-RED": 75]),
        ])

    /// acme-wholesale as examples/two-stores describes it: the same two buildings under other
    /// names, each stocking the SKUs its building holds (a push can only set a stocked item).
    static let acmeWholesale = Store(
        key: "acme-wholesale", shop: "acme-wholesale.myshopify.com", variable: "ACME_WHOLESALE_SHOPIFY_TOKEN",
        locations: [
            Location(name: "Newark DC", address: newark, stock: ["TEE-BLK-M": 120, "MUG-ENAMEL": 30, "CAP-RED": 0]),
            Location(name: "Brooklyn stockroom", address: brooklyn, stock: ["TEE-BLK-M": 7, "MUG-ENAMEL": 4]),
        ])

    /// Running emulators for some stores, by store key.
    struct Shops: Sendable {
        var emulators: [String: ShopifyEmulator]
        var tokens: [String: String]
        var ids: [String: [String: String]]
        var stores: [Store]

        /// Each store's token under the variable its example names, and the emulators allowed as
        /// endpoints by the operator's `STOCKYARD_ALLOWED_ENDPOINTS`.
        var environment: [String: String] {
            var out = Dictionary(uniqueKeysWithValues: stores.map { ($0.variable, tokens[$0.key]!) })
            out["STOCKYARD_ALLOWED_ENDPOINTS"] = emulators.values.map(\.endpoint).sorted().joined(separator: ",")
            return out
        }

        /// The shop domain → endpoint pairs to write into a config.
        var endpoints: [String: String] {
            Dictionary(uniqueKeysWithValues: stores.map { ($0.shop, emulators[$0.key]!.endpoint) })
        }

        func available(_ sku: String, store: String, at name: String) async -> Int? {
            await emulators[store]!.shop.available(sku: sku, at: ids[store]![name]!)
        }

        func stop() async {
            for emulator in emulators.values { await emulator.stop() }
        }
    }

    static func startShops(_ stores: [Store]) async throws -> Shops {
        var shops = Shops(emulators: [:], tokens: [:], ids: [:], stores: stores)
        for store in stores {
            let token = "shpat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let emulator = try await ShopifyEmulator.start(token: token, limits: .plus)
            shops.emulators[store.key] = emulator
            shops.tokens[store.key] = token
            for location in store.locations {
                let id: String
                if let legacyID = location.legacyID {
                    id = await emulator.shop.addLocation(
                        location.name, legacyID: legacyID, fulfillmentService: location.fulfillmentService, address: location.address)
                } else {
                    id = await emulator.shop.addLocation(location.name, fulfillmentService: location.fulfillmentService, address: location.address)
                }
                shops.ids[store.key, default: [:]][location.name] = id
                for (sku, units) in location.stock.sorted(by: { $0.key < $1.key }) { await emulator.shop.setAvailable(units, sku: sku, at: id) }
            }
        }
        return shops
    }

    /// Starts the shops, runs `body`, and stops them whatever happens.
    static func withShops(_ stores: [Store], _ body: (Shops) async throws -> Void) async throws {
        let shops = try await startShops(stores)
        do {
            try await body(shops)
        } catch {
            await shops.stop()
            throw error
        }
        await shops.stop()
    }

    /// Adds `endpoint: URL` under each store's `shop:` line, at the same indent: the one edit that
    /// points an example (or an imported config, which has no endpoint) at the emulators.
    static func pointingAtEmulators(_ text: String, _ endpoints: [String: String]) -> String {
        var out: [String] = []
        for line in text.components(separatedBy: "\n") {
            out.append(line)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("shop:") else { continue }
            let value = trimmed.dropFirst("shop:".count).prefix { $0 != "#" }.trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            if let endpoint = endpoints[value] {
                out.append(String(line.prefix { $0 == " " }) + "endpoint: \(endpoint)")
            }
        }
        return out.joined(separator: "\n")
    }

    static func rewrite(_ file: URL, _ transform: (String) -> String) throws {
        try transform(try String(contentsOf: file, encoding: .utf8)).write(to: file, atomically: true, encoding: .utf8)
    }

    /// A scratch copy of `examples/NAME` pointed at the shops.
    static func example(_ name: String, shops: Shops) throws -> URL {
        let dir = try CLIRunner.scratchCopy(of: name)
        try rewrite(dir.appendingPathComponent("stockyard.yaml")) { pointingAtEmulators($0, shops.endpoints) }
        return dir
    }

    /// plan (changes) → apply → plan (no changes) → import → plan of the import (no changes), in `dir`.
    /// Returns the first plan's text, for checks on what it announced.
    @discardableResult
    static func roundTrip(in dir: URL, environment: [String: String] = [:], endpoints: [String: String] = [:]) async throws -> String {
        let first = try await CLIRunner.runDetached(["plan", "--detailed-exitcode"], in: dir, environment: environment)
        #expect(first.status == 2, "the first plan has changes: \(first.stdout)\(first.stderr)")
        #expect(!first.stdout.contains("error:"), "\(first.stdout)")

        let apply = try await CLIRunner.runDetached(["apply", "--auto-approve"], in: dir, environment: environment)
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("0 failed, 0 skipped."), "\(apply.stderr)")

        let again = try await CLIRunner.runDetached(["plan", "--detailed-exitcode"], in: dir, environment: environment)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("No changes."), "\(again.stdout)")

        let imported = try await CLIRunner.runDetached(["import", "--output", "imported.yaml"], in: dir, environment: environment)
        #expect(imported.status == 0, "\(imported.stderr)")
        let importedURL = dir.appendingPathComponent("imported.yaml")
        // The state keeps no credentials or endpoints: `import` carries them over from the config.
        let written = try String(contentsOf: importedURL, encoding: .utf8)
        for endpoint in endpoints.values { #expect(written.contains("endpoint: \(ConfigWriter.scalar(endpoint))"), "\(written)") }
        let validate = try await CLIRunner.runDetached(["validate", "--config", "imported.yaml"], in: dir, environment: environment)
        #expect(validate.status == 0, "\(validate.stdout)\(validate.stderr)")
        let replan = try await CLIRunner.runDetached(["plan", "--config", "imported.yaml", "--detailed-exitcode"], in: dir, environment: environment)
        #expect(
            replan.status == 0,
            "the imported config plans no changes: \(replan.stdout)\(replan.stderr)\n--- imported.yaml:\n\((try? String(contentsOf: importedURL, encoding: .utf8)) ?? "")"
        )
        #expect(replan.stdout.contains("No changes."), "\(replan.stdout)")
        return first.stdout
    }

    /// Warehouse key → units, from `state show`.
    static func units(in dir: URL, environment: [String: String] = [:]) async throws -> [String: Int] {
        let show = try await CLIRunner.runDetached(["state", "show", "--format", "json"], in: dir, environment: environment)
        #expect(show.status == 0, "\(show.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        let warehouses = try #require(object["warehouses"] as? [[String: Any]])
        var out: [String: Int] = [:]
        for w in warehouses {
            if let key = w["key"] as? String, let units = w["units"] as? Int { out[key] = units }
        }
        return out
    }

    static func total(_ location: Location) -> Int { location.stock.values.reduce(0, +) }

    // MARK: - The examples

    @Test func demo() async throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await Self.roundTrip(in: dir)
    }

    @Test func firstTime() async throws {
        try await Self.withShops([Self.acmeUS]) { shops in
            let dir = try Self.example("first-time", shops: shops)
            defer { try? FileManager.default.removeItem(at: dir) }
            let plan = try await Self.roundTrip(in: dir, environment: shops.environment, endpoints: shops.endpoints)
            #expect(plan.contains("Plan: 7 to create, 0 to update, 0 to delete."), "\(plan)")
            // Store master everywhere: the store's numbers fill the warehouses, nothing is written to Shopify.
            let units = try await Self.units(in: dir, environment: shops.environment)
            let locations = Dictionary(uniqueKeysWithValues: Self.acmeUS.locations.map { ($0.name, $0) })
            #expect(
                units == [
                    "newark": Self.total(locations["Newark warehouse"]!), "brooklyn": Self.total(locations["Brooklyn shop"]!),
                    "shipbob-chi": Self.total(locations["ShipBob Chicago"]!),
                ])
            #expect(await shops.emulators["acme-us"]!.shop.statistics.count(.inventorySetQuantities) == 0)
        }
    }

    @Test func twoStores() async throws {
        // On its own, as the file stands: the two own warehouses are new, so stockyard master pushes
        // their (empty) numbers to every linked location, and the plan warns about exactly that.
        try await Self.withShops([Self.acmeUS, Self.acmeWholesale]) { shops in
            let dir = try Self.example("two-stores", shops: shops)
            defer { try? FileManager.default.removeItem(at: dir) }
            let plan = try await Self.roundTrip(in: dir, environment: shops.environment, endpoints: shops.endpoints)
            #expect(plan.contains("push-from-empty-warehouse"), "\(plan)")
            #expect(await shops.available("TEE-BLK-M", store: "acme-wholesale", at: "Newark DC") == 0)
        }
    }

    @Test func firstTimeThenTwoStores() async throws {
        // The journey the examples describe: acme-us starts as first-time, then two-stores adds
        // acme-wholesale to the same buildings. The warehouses keep the numbers acme-us filled them
        // with, and the wholesale locations are set to them.
        try await Self.withShops([Self.acmeUS, Self.acmeWholesale]) { shops in
            let dir = try Self.example("first-time", shops: shops)
            defer { try? FileManager.default.removeItem(at: dir) }
            let env = shops.environment
            let first = try await CLIRunner.runDetached(["apply", "--auto-approve"], in: dir, environment: env)
            #expect(first.status == 0, "\(first.stderr)")
            let twoStores = try String(contentsOf: CLIRunner.repository.appendingPathComponent("examples/two-stores/stockyard.yaml"), encoding: .utf8)
            try Self.pointingAtEmulators(twoStores, shops.endpoints).write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
            let plan = try await Self.roundTrip(in: dir, environment: env, endpoints: shops.endpoints)
            #expect(!plan.contains("push-from-empty-warehouse"), "\(plan)")
            let us = Dictionary(uniqueKeysWithValues: Self.acmeUS.locations.map { ($0.name, $0) })
            for (sku, units) in us["Newark warehouse"]!.stock {
                #expect(await shops.available(sku, store: "acme-wholesale", at: "Newark DC") == units, "\(sku) at Newark DC")
                #expect(await shops.available(sku, store: "acme-us", at: "Newark warehouse") == units, "\(sku) at Newark warehouse")
            }
            for (sku, units) in us["Brooklyn shop"]!.stock {
                #expect(await shops.available(sku, store: "acme-wholesale", at: "Brooklyn stockroom") == units, "\(sku) at Brooklyn stockroom")
            }
            let units = try await Self.units(in: dir, environment: env)
            #expect(units["newark"] == Self.total(us["Newark warehouse"]!))
            #expect(units["brooklyn"] == Self.total(us["Brooklyn shop"]!))
            #expect(units["shipbob-chi"] == Self.total(us["ShipBob Chicago"]!))

            // And then it runs: sales in both stores come off the one Newark number, which both
            // stores then show; ShipBob's own update flows into its warehouse and nowhere else.
            let newarkDC = shops.ids["acme-wholesale"]!["Newark DC"]!
            let newarkUS = shops.ids["acme-us"]!["Newark warehouse"]!
            await shops.emulators["acme-wholesale"]!.shop.sell(5, sku: "TEE-BLK-M", at: newarkDC)
            await shops.emulators["acme-us"]!.shop.sell(2, sku: "TEE-BLK-M", at: newarkUS)
            await shops.emulators["acme-us"]!.shop.setAvailable(290, sku: "TEE-BLK-M", at: shops.ids["acme-us"]!["ShipBob Chicago"]!)
            let sync = try await CLIRunner.runDetached(["sync", "--once"], in: dir, environment: env)
            #expect(sync.status == 0, "\(sync.stdout)\(sync.stderr)")
            let tees = us["Newark warehouse"]!.stock["TEE-BLK-M"]! - 7
            #expect(await shops.available("TEE-BLK-M", store: "acme-wholesale", at: "Newark DC") == tees)
            #expect(await shops.available("TEE-BLK-M", store: "acme-us", at: "Newark warehouse") == tees)
            let synced = try await Self.units(in: dir, environment: env)
            #expect(synced["newark"] == Self.total(us["Newark warehouse"]!) - 7)
            #expect(synced["shipbob-chi"] == Self.total(us["ShipBob Chicago"]!) - 10)
            #expect(synced["brooklyn"] == units["brooklyn"])
            let after = try await CLIRunner.runDetached(["plan", "--detailed-exitcode"], in: dir, environment: env)
            #expect(after.status == 0, "sync leaves the stores as the config says: \(after.stdout)\(after.stderr)")
        }
    }

    @Test func initThenImportOnAShopifyShop() async throws {
        // `init --platform shopify` on the first-time shop, applied, imported, planned again.
        try await Self.withShops([Self.acmeUS]) { shops in
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-init-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let initialised = try await CLIRunner.runDetached(
                [
                    "init", "--store", "acme-us", "--platform", "shopify", "--shop", "acme-us.myshopify.com", "--credentials", "env:ACME_US_SHOPIFY_TOKEN",
                    "--endpoint", shops.emulators["acme-us"]!.endpoint,
                ], in: dir, environment: shops.environment)
            #expect(initialised.status == 0, "\(initialised.stderr)")
            try await Self.roundTrip(in: dir, environment: shops.environment, endpoints: shops.endpoints)
        }
    }

    @Test func initThenImportOnTheDemo() async throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("stockyard.yaml"))
        let initialised = try await CLIRunner.runDetached(["init", "--store", "web", "--platform", "file", "--path", "stores/web.json"], in: dir)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        try await Self.roundTrip(in: dir)
    }
}
