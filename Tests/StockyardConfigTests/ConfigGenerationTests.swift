import Foundation
import StockyardConfig
import StockyardEngine
import Testing

/// `init` and `import` write configs through the library: what they write must load back, with no
/// error, to what they meant; and `init`'s flags accept exactly what the file accepts.
@Suite struct ConfigGenerationTests {
    static let today = Day(year: 2026, month: 6, day: 1)
    static let at = SourceLocation(file: "stockyard.yaml", line: 1, column: 1)

    @Test func aFirstConfigLoadsBackWithEachActiveLocationOnStoreMaster() throws {
        let spec = StoreSpec(key: "demo", platform: .file, path: "stores/demo.json", location: Self.at)
        let locations = [
            StoreLocation(id: "1", name: "Leeds DC"),
            StoreLocation(id: "2", name: "leeds dc"),
            StoreLocation(id: "3", name: "ShipHero", isFulfillmentService: true),
            StoreLocation(id: "4", name: "Closed shop", isActive: false),
        ]
        let config = FirstConfig.make(store: spec, locations: locations, today: Self.today)
        let header = FirstConfig.header(store: "demo", locations: locations)
        #expect(header.last == "Inactive locations left out: Closed shop.")
        let text = ConfigWriter.write(config, options: .init(header: header))
        let loaded = ConfigLoader.load(bytes: Array(text.utf8), file: "stockyard.yaml")
        let reloaded = try #require(loaded.validConfig, "\(loaded.allDiagnostics(today: Self.today))")
        #expect(!loaded.allDiagnostics(today: Self.today).hasErrors)
        #expect(reloaded.warehouses.map(\.key) == config.warehouses.map(\.key))
        #expect(Set(reloaded.warehouses.map(\.key)).count == 3, "two names that differ only in case get two keys")
        #expect(reloaded.warehouses.map(\.kind) == [.own, .own, .thirdParty])
        #expect(reloaded.connections.allSatisfy { $0.master == .store })
        #expect(reloaded.connections.map(\.testingUntil) == [Self.today.adding(days: 30), Self.today.adding(days: 30), nil])
    }

    @Test func anImportedConfigSaysWhatTheStateHoldsAndKeepsWhatTheStateDoesNot() throws {
        let id = ConnectionRecord.ID(store: "acme-uk", locationID: "gid://shopify/Location/1")
        let state = HubState(
            stores: ["acme-uk": StoreRecord(key: "acme-uk", platform: .shopify, target: "acme-uk.myshopify.com")],
            warehouses: ["leeds": WarehouseRecord(key: "leeds", name: "Leeds DC", code: "LDS", kind: .own, protect: true)],
            connections: [id: ConnectionRecord(store: "acme-uk", locationID: id.locationID, locationName: "Leeds DC", warehouse: "leeds", master: .stockyard)])
        let current = DesiredConfig(
            file: "stockyard.yaml", sha256: "",
            stores: [
                StoreSpec(
                    key: "acme-uk", platform: .shopify, shop: "acme-uk.myshopify.com", credentials: .file("secrets/uk.token"), apiVersion: "2025-07",
                    location: Self.at)
            ],
            safety: SafetyThresholds(maxUpdatePercent: 50))
        let text = ConfigWriter.write(ImportedConfig.make(from: state, keeping: current), options: .init(header: ImportedConfig.header))
        let loaded = ConfigLoader.load(bytes: Array(text.utf8), file: "stockyard.yaml")
        let config = try #require(loaded.validConfig, "\(loaded.diagnostics)")
        #expect(config.stores.map(\.credentials) == [.file("secrets/uk.token")])
        #expect(config.stores.map(\.apiVersion) == ["2025-07"])
        #expect(config.safety.maxUpdatePercent == 50)
        #expect(config.warehouses.map(\.code) == ["LDS"])
        #expect(config.connections.map(\.master) == [.stockyard])
        #expect(config.connections.map(\.locationID) == [id.locationID])

        let fresh = ImportedConfig.make(from: state)
        #expect(fresh.stores.map(\.credentials) == [.environment("ACME_UK_SHOPIFY_TOKEN")])
    }

    /// The file's rule for `credentials:` is the flag's rule: one parser.
    @Test(arguments: [
        ("env:ACME_TOKEN", ConfigSyntax.Credentials.reference(.environment("ACME_TOKEN"))),
        ("env:_x1", .reference(.environment("_x1"))),
        ("env:1TOKEN", .badVariableName),
        ("env:", .badVariableName),
        ("env:A-B", .badVariableName),
        ("file:secrets/token", .reference(.file("secrets/token"))),
        ("file:", .emptyPath),
        ("shpat_0123456789abcdef", .notAReference),
    ])
    func credentialsReadTheSameFromAFlagAndFromTheFile(text: String, expected: ConfigSyntax.Credentials) {
        #expect(ConfigSyntax.credentials(text) == expected)
        let loaded = ConfigLoader.load(
            bytes: Array(
                """
                version: 1
                stores:
                  s:
                    platform: shopify
                    shop: s.myshopify.com
                    credentials: "\(text)"
                """.utf8), file: "t.yaml")
        let read = loaded.config?.stores.first?.credentials
        if case .reference(let reference) = expected {
            #expect(read == reference)
        } else {
            #expect(read == nil)
            #expect(loaded.diagnostics.hasErrors)
        }
    }

    @Test func apiVersionsAreYearDashMonth() {
        #expect(ConfigSyntax.isAPIVersion("2025-07"))
        #expect(!ConfigSyntax.isAPIVersion("2025-7"))
        #expect(!ConfigSyntax.isAPIVersion("2025/07"))
        #expect(!ConfigSyntax.isAPIVersion("unstable"))
    }
}
