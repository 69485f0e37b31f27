import StockyardTestSupport
import Testing

@testable import StockyardEngine

/// The Markdown comment makes only what may fit in it (a table past the limit is only "too big"),
/// and says the same as when it made every table and the whole detail first, then cut: at every
/// limit, on plans of one group or many, with and without the diagram.
@Suite struct MarkdownBudgetTests {
    /// `stores` stores of `perStore` new links each (and their warehouses).
    static func plan(stores: Int, perStore: Int) -> Plan {
        var s = Scenario()
        for w in 0..<(stores * perStore) { s.warehouse("w\(w)", name: "Warehouse \(w)") }
        for store in 0..<stores {
            s.store("store-\(store)", policy: .ignore, locations: (0..<perStore).map { StoreLocation(id: "L\(store)-\($0)", name: "Shop \($0)") })
            for j in 0..<perStore { s.link("store-\(store)", "Shop \(j)", to: "w\(store * perStore + j)", master: .store) }
        }
        s.lintIgnore = Set(RuleID.allCases)
        return s.plan()
    }

    /// The comment as it was made before: every table and the whole detail, then cut to fit.
    static func everythingThenCut(_ renderer: MarkdownPlanRenderer, _ plan: Plan) -> String {
        func size(_ text: String) -> Int { text.unicodeScalars.count }
        var head = "### Stockyard plan\n\n"
        head += plan.hasChanges ? "**\(PlanRenderer.summaryLine(plan.summary))**\n\n" : "**No changes.** The hub and its stores match the config.\n\n"
        head += renderer.banner(plan)
        let diagnostics = renderer.diagnosticsSection(plan)
        let tail = "\n<sub>Plan `\(plan.id)` · config sha256 `\(plan.configSHA256.prefix(12))` · Stockyard \(plan.toolVersion)</sub>\n"
        let groups = renderer.groupsOf(plan)
        let tables = groups.map { renderer.table($0.title, $0.changes, atMost: .max)! }
        var body = tables.joined() + (plan.hasChanges ? renderer.detailsSection(plan) : "")
        let room = renderer.limit - size(head) - size(diagnostics) - size(tail)
        let diagram = renderer.diagramSection(plan, budget: max(room / 2, room - size(body)))
        let fixed = size(head) + size(diagnostics) + size(diagram) + size(tail)
        if fixed + size(body) > renderer.limit {
            body = tables.joined()
            var note = "\n_The full detail is left out to stay within the comment size limit; see the JSON plan (`stockyard plan --out plan.json`)._\n"
            if fixed + size(body) + size(note) > renderer.limit {
                var kept = ""
                var shown = 0
                for (group, text) in zip(groups, tables) {
                    if size(kept) + size(text) > renderer.limit - fixed - 400 { break }
                    kept += text
                    shown += group.changes.count
                }
                body = kept
                note =
                    "\n_\(plan.changes.count - shown) of \(plan.changes.count) changes and the full detail are left out to stay within the comment size limit; see the JSON plan (`stockyard plan --out plan.json`)._\n"
            }
            body += note
        }
        var text = head + diagnostics + diagram + body + tail
        if size(text) > renderer.limit { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(renderer.limit))) }
        return text
    }

    @Test(arguments: [(1, 30), (4, 12), (12, 3)])
    func sameCommentAtEveryLimit(stores: Int, perStore: Int) {
        let plan = Self.plan(stores: stores, perStore: perStore)
        let whole = MarkdownPlanRenderer(limit: 10_000_000, diagram: false).render(plan).unicodeScalars.count
        var limits = Array(stride(from: 200, through: whole + 2_000, by: 97))
        limits += [whole - 1, whole, whole + 1, 64_512]
        for diagram in [false, true] {
            for limit in limits {
                let renderer = MarkdownPlanRenderer(limit: limit, diagram: diagram)
                let made = renderer.render(plan)
                #expect(made == Self.everythingThenCut(renderer, plan), "limit \(limit), diagram \(diagram)")
                #expect(made.unicodeScalars.count <= limit)
            }
        }
    }

    @Test func aTableIsMadeOnlyAsFarAsTheLimitItIsGiven() {
        let plan = Self.plan(stores: 1, perStore: 50)
        let renderer = MarkdownPlanRenderer()
        let group = renderer.groupsOf(plan).last!
        let whole = renderer.table(group.title, group.changes, atMost: .max)!
        let size = whole.unicodeScalars.count
        #expect(renderer.table(group.title, group.changes, atMost: size) == whole)
        #expect(renderer.table(group.title, group.changes, atMost: size - 1) == nil)
        #expect(renderer.table(group.title, group.changes, atMost: 10) == nil)
        #expect(MarkdownPlanRenderer.detailsAtLeast(plan) <= renderer.detailsSection(plan).unicodeScalars.count)
    }
}
