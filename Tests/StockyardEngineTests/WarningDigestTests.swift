import StockyardEngine
import StockyardTestSupport
import Testing

@Suite struct WarningDigestTests {
    static func at(_ line: Int) -> StockyardEngine.SourceLocation { StockyardEngine.SourceLocation(file: "s.yaml", line: line, column: 1) }

    @Test func keepsTheFirstFewOfEachRuleAndCountsTheRest() {
        var diagnostics: [Diagnostic] = []
        for line in 1...10_000 {
            diagnostics.append(.warning(line.isMultiple(of: 2) ? .ownOnStoreMaster : .unusedWarehouse, "w\(line)", at: Self.at(line)))
            if line.isMultiple(of: 1_000) { diagnostics.append(.error(.undefinedWarehouse, "e\(line)", at: Self.at(line))) }
        }
        let digest = WarningDigest(diagnostics)
        let shown = digest.entries.compactMap { if case .shown(let d) = $0 { d } else { nil } }
        #expect(shown.filter { $0.rule == .ownOnStoreMaster }.count == 10)
        #expect(shown.filter { $0.rule == .unusedWarehouse }.count == 10)
        #expect(shown.filter { $0.severity == .error }.count == 10)
        #expect(digest.entries.contains(.more(rule: .ownOnStoreMaster, count: 4_990)))
        #expect(digest.hidden == 9_980)
        // Nothing left out when asked for every warning.
        #expect(WarningDigest(diagnostics, perRule: nil).entries.count == diagnostics.count)
        #expect(WarningDigest.moreLine(rule: .ownOnStoreMaster, count: 9_990) == "… and 9,990 more [own-on-store-master]")
    }

    @Test func groupsDigits() {
        #expect(WarningDigest.grouped(0) == "0")
        #expect(WarningDigest.grouped(999) == "999")
        #expect(WarningDigest.grouped(1_000) == "1,000")
        #expect(WarningDigest.grouped(1_234_567) == "1,234,567")
    }

    @Test func textPlanCompactsWarningsAndJSONKeepsThemAll() {
        var s = Scenario()
        var locations: [StoreLocation] = []
        for i in 0..<40 {
            s.warehouse("w\(i)")
            locations.append(location("Shop \(i)"))
        }
        s.store("big", locations: locations)
        for i in 0..<40 { s.link("big", "Shop \(i)", to: "w\(i)", master: .stockyard) }
        let plan = s.plan()
        let pushes = plan.diagnostics.filter { $0.rule == .pushFromEmptyWarehouse }.count
        #expect(pushes == 40)
        let text = PlanRenderer.render(plan, as: .text)
        #expect(text.components(separatedBy: "[push-from-empty-warehouse]\n").count - 1 == 10 + 1)  // and the count
        #expect(text.contains("… and 30 more [push-from-empty-warehouse]\n30 warnings not shown; --all-warnings prints every one.\n"))
        let all = PlanRenderer.render(plan, as: .text, allWarnings: true)
        #expect(all.components(separatedBy: "[push-from-empty-warehouse]\n").count - 1 == 40)
        #expect(PlanRenderer.render(plan, as: .json).components(separatedBy: "\"push-from-empty-warehouse\"").count - 1 == 40)
        #expect(PlanRenderer.render(plan, as: .markdown).components(separatedBy: "`push-from-empty-warehouse`").count - 1 == 40)
    }
}
