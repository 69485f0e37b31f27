import StockyardConfig
import StockyardEngine
import Testing

/// Each config-level rule fires where it should, and `lint.ignore` silences warnings.
@Suite struct RuleTests {
    static func config(warehouses: String, locations: String, extra: String = "") -> String {
        """
        version: 1
        warehouses:
        \(warehouses)
        stores:
          a:
            platform: file
            path: a.json
            locations:
        \(locations)
          b:
            platform: file
            path: b.json
            locations:
              B1: { warehouse: own1, master: stockyard }
        \(extra)
        """
    }

    static let warehouses = """
          own1: { name: Own, kind: own }
          tpl: { name: 3PL, kind: 3pl }
        """

    func rules(_ locations: String, warehouses: String = RuleTests.warehouses, extra: String = "") -> [RuleID] {
        Fixtures.parse(Self.config(warehouses: warehouses, locations: locations, extra: extra)).allDiagnostics(today: Fixtures.today).map(\.rule)
    }

    @Test func thirdPartyOnStockyardMasterWarns() {
        #expect(rules("      T: { warehouse: tpl, master: stockyard }") == [.thirdPartyOnStockyardMaster])
    }

    @Test func ownOnStoreMasterWarnsUnlessTrial() {
        #expect(rules("      T: { warehouse: tpl, master: store }\n      O: { warehouse: own1, master: store }") == [.ownOnStoreMaster, .storeMasterShared])
        #expect(
            rules("      T: { warehouse: tpl, master: store }\n      O: { warehouse: own1, master: store, testing_until: 2026-12-31 }") == [.storeMasterShared])
    }

    @Test func endedTrialWarns() {
        #expect(
            rules("      T: { warehouse: tpl, master: store }\n      O: { warehouse: own1, master: store, testing_until: 2026-01-31 }") == [
                .storeMasterTrialEnded, .storeMasterShared,
            ])
    }

    @Test func storeMasterSharedWithStockyardMasterLocationsWarns() throws {
        let diagnostics = Fixtures.parse(
            Self.config(
                warehouses: Self.warehouses,
                locations: "      T: { warehouse: tpl, master: store }\n      O: { warehouse: own1, master: store, testing_until: 2026-12-31 }"
            )
        ).allDiagnostics(today: Fixtures.today)
        let warning = try #require(diagnostics.first { $0.rule == .storeMasterShared })
        #expect(warning.message.contains("b[\"B1\"] only mirrors its numbers"))
        #expect(warning.message.contains("until a[\"O\"] switches to `master: stockyard`"))
    }

    @Test func unusedWarehouseWarns() {
        #expect(rules("      O: { warehouse: own1, master: stockyard }") == [.unusedWarehouse])
    }

    @Test func lintIgnoreSilencesWarnings() {
        #expect(rules("      O: { warehouse: own1, master: stockyard }", extra: "lint: { ignore: [unused-warehouse] }") == [])
    }

    @Test func twoStoreMastersIntoOneWarehouseIsAnErrorNamingBoth() throws {
        let text = Self.config(
            warehouses: Self.warehouses,
            locations: "      T: { warehouse: tpl, master: store }\n      T2: { warehouse: tpl, master: store }")
        let diagnostics = Fixtures.parse(text).allDiagnostics(today: Fixtures.today)
        let error = try #require(diagnostics.first { $0.rule == .twoStoreMasters })
        #expect(error.severity == .error)
        #expect(error.message.contains("a[\"T\"]") && error.message.contains("a[\"T2\"]"))
    }

    @Test func undefinedWarehouseSuggestsTheNearest() throws {
        let diagnostics = Fixtures.parse(Self.config(warehouses: Self.warehouses, locations: "      T: { warehouse: tlp, master: store }")).allDiagnostics(
            today: Fixtures.today)
        let error = try #require(diagnostics.first { $0.rule == .undefinedWarehouse })
        #expect(error.message.contains("did you mean 'tpl'?"))
    }

    @Test func duplicateCodesAreCaseInsensitive() {
        let warehouses = "  own1: { name: Own, kind: own, code: LDS }\n  tpl: { name: 3PL, kind: 3pl, code: lds }"
        #expect(rules("      T: { warehouse: tpl, master: store }", warehouses: warehouses) == [.duplicateCode])
    }

    @Test func renameToAKeyStillDefinedIsAnError() {
        let warehouses = "  own1: { name: Own, kind: own, formerly: [tpl] }\n  tpl: { name: 3PL, kind: 3pl }"
        #expect(rules("      T: { warehouse: tpl, master: store }", warehouses: warehouses) == [.renameConflict])
    }
}
