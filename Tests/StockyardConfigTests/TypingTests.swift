import StockyardConfig
import StockyardEngine
import Testing

@Suite struct TypingTests {
    static let base = """
        version: 1
        warehouses:
          on: { name: NO, code: "0123", kind: own }
        stores:
          demo:
            platform: file
            path: demo.json
            locations:
              NO: { warehouse: on, master: stockyard }
              1234: { warehouse: on, master: stockyard, id: 0042 }
        """

    @Test func scalarsStayStringsWhereTheLanguageExpectsStrings() throws {
        let config = try #require(Fixtures.parse(Self.base).validConfig)
        let warehouse = try #require(config.warehouses.first)
        #expect(warehouse.key == "on")
        #expect(warehouse.name == "NO")
        #expect(warehouse.code == "0123")
        let names = config.stores[0].connections.map(\.locationName)
        #expect(names == ["NO", "1234"])
        #expect(config.stores[0].connections[1].locationID == "0042")
    }

    @Test func positionsAreKept() throws {
        let config = try #require(Fixtures.parse(Self.base).validConfig)
        let connection = config.stores[0].connections[1]
        #expect(connection.location.line == 10)
        #expect(connection.location.column == 7)
        #expect(connection.warehouseLocation.line == 10)
        #expect(connection.masterLocation?.column == 38)
    }

    @Test func defaultMasterIsStoreAndDefaultsApply() throws {
        let text = """
            version: 1
            stores:
              s: { platform: file, path: s.json, locations: { A: { warehouse: w } } }
            defaults: { master: stockyard }
            warehouses:
              w: { name: W, kind: own }
            """
        let config = try #require(Fixtures.parse(text).validConfig)
        #expect(config.connections[0].master == .stockyard)
        #expect(config.connections[0].masterIsExplicit == false)
        let noDefaults = try #require(Fixtures.parse(text.replacingOccurrences(of: "defaults: { master: stockyard }\n", with: "")).validConfig)
        #expect(noDefaults.connections[0].master == .store)
    }

    @Test(arguments: [
        ("version: \"1\"", RuleID.wrongType),
        ("version: 2", RuleID.unsupportedVersion),
        ("version: 1.0", RuleID.wrongType),
        ("version:", RuleID.emptyValue),
    ])
    func versionMustBeTheNumberOne(_ line: String, _ rule: RuleID) {
        let loaded = Fixtures.parse(Self.base.replacingOccurrences(of: "version: 1", with: line))
        #expect(loaded.diagnostics.map(\.rule) == [rule])
    }

    @Test func secretIsNeverEchoed() {
        let text = """
            version: 1
            warehouses: { w: { name: W, kind: own } }
            stores:
              s:
                platform: shopify
                shop: s.myshopify.com
                credentials: shpat_0123456789abcdef0123456789abcdef
                locations: { A: { warehouse: w } }
            """
        let diagnostics = Fixtures.parse(text).diagnostics
        #expect(diagnostics.map(\.rule) == [.literalSecret])
        #expect(!diagnostics[0].message.contains("shpat_"))
        #expect(diagnostics[0].redactFromColumn == 18)
    }

    @Test func everyProblemIsReportedNotJustTheFirst() {
        let text = """
            version: 1
            warehouses:
              a: { name: A, kind: own, colour: red }
              b: { name: B, kind: warehouse }
            stores:
              s: { platform: file, path: s.json, locations: { X: { warehouse: a, master: yes } } }
            """
        let rules = Fixtures.parse(text).diagnostics.map(\.rule)
        #expect(rules == [.unknownKey, .badValue, .wrongType])
    }
}
