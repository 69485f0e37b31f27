import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// The Markdown plan's diagram of what changes, and its bounds.
@Suite struct PlanDiagramTests {
    /// 100,000 connections (100 stores of 1,000 locations, two per warehouse: a store-master seed
    /// and a stockyard-master mirror), 10% of them changed: 5,000 new links and 5,000 master switches.
    static let bigPlan: Plan = {
        var s = Scenario()
        var locations: [[StoreLocation]] = Array(repeating: [], count: 100)
        for store in 0..<100 {
            for j in 0..<1000 { locations[store].append(StoreLocation(id: "L\(store)-\(j)", name: "Location \(j) of store \(store)")) }
        }
        for w in 0..<50_000 { s.warehouse("warehouse-\(w)", name: "Warehouse number \(w)") }
        for store in 0..<100 { s.store("store-\(store)", policy: .ignore, locations: locations[store]) }
        for k in 0..<100_000 {
            let store = k / 1000
            let j = k % 1000
            s.link("store-\(store)", "Location \(j) of store \(store)", to: "warehouse-\(k / 2)", master: k % 2 == 0 ? .store : .stockyard)
        }
        s.lintIgnore = Set(RuleID.allCases)
        for store in s.stores { s.state.stores[store.key] = StoreRecord(key: store.key, platform: .file, target: store.target) }
        for w in s.warehouses { s.state.warehouses[w.key] = WarehouseRecord(key: w.key, name: w.name, kind: w.kind) }
        for (k, c) in s.config.connections.enumerated() where k % 20 != 0 {
            let master = k % 20 == 10 ? (c.master == .store ? Master.stockyard : .store) : c.master
            let record = ConnectionRecord(
                store: c.storeKey, locationID: "L\(k / 1000)-\(k % 1000)", locationName: c.locationName, warehouse: c.warehouseKey, master: master)
            s.state.connections[record.id] = record
        }
        return s.plan()
    }()

    static let bigMarkdown = MarkdownPlanRenderer().render(bigPlan)

    /// The Mermaid source inside the comment's ```mermaid fence.
    static func mermaidBlock(_ markdown: String) -> String? {
        guard let start = markdown.range(of: "```mermaid\n"), let end = markdown.range(of: "```", range: start.upperBound..<markdown.endIndex) else {
            return nil
        }
        return String(markdown[start.upperBound..<end.lowerBound])
    }

    static func edgeCount(_ mermaid: String) -> Int {
        mermaid.split(separator: "\n").filter {
            $0.contains(" --> ") || $0.contains(" -.-> ") || $0.contains(" -->|") || $0.contains(" -.->|") || $0.contains(" -.-|")
        }.count
    }

    @Test func aPlanOf100000ConnectionsWith10PercentChangedGivesABoundedDiagram() throws {
        let plan = Self.bigPlan
        #expect(plan.changes.count == 10_000)
        #expect(plan.changes.filter { $0.action == .create }.count == 5_000)
        let markdown = Self.bigMarkdown
        #expect(markdown.unicodeScalars.count < 65_536)
        let diagram = try #require(Self.mermaidBlock(markdown))
        #expect(diagram.utf16.count <= MarkdownPlanRenderer.diagramMaxText)
        let edges = Self.edgeCount(diagram)
        #expect(edges > 100 && edges <= MarkdownPlanRenderer.diagramMaxEdges)
        #expect(markdown.contains("warehouses this plan touches with the most changed connections"))
        #expect(markdown.contains("left out to stay within what Mermaid draws (500 edges, 50000 characters)"))
        // The tables still come after it.
        #expect(markdown.contains("#### Store `store-0`"))
    }

    @Test func everyConnectionIntoATouchedWarehouseIsDrawn() throws {
        // The mixed plan links eu's Bristol into a new warehouse and switches us's ShipBob; the
        // unchanged uk link into the renamed Leeds warehouse is drawn as context, unmarked.
        let plan = RendererTests.mixedPlan()
        #expect(plan.neighbourhood.connections.map(\.displayName) == ["uk[\"Leeds DC\"]", "us[\"Leeds warehouse\"]"])
        #expect(plan.neighbourhood.connections.allSatisfy { $0.warehouse == "leeds-dc" })
        let topology = Topology.changes(of: plan)
        #expect(topology.warehouses.map(\.key) == ["bristol", "leeds-dc", "old-york", "shipbob"])
        #expect(topology.warehouses.map(\.mark) == [.added, .changed, .removed, nil])
        let marks = topology.links.map { topology.stores[$0.location.store].key + ":" + ($0.mark?.rawValue ?? "-") }
        #expect(marks == ["eu:added", "uk:-", "uk:removed", "us:-", "us:master switch"])
        // A saved plan draws the same diagram.
        let saved = try PlanDocument.decode(Data(JSONPlanRenderer.render(plan).utf8), file: "plan.json")
        #expect(MarkdownPlanRenderer().render(saved) == MarkdownPlanRenderer().render(plan))
    }

    @Test func aConnectionMovedToAnotherWarehouseIsARemovedAndAnAddedEdge() {
        var s = PlannerTests.twoStores()
        s.absorb(s.plan())
        s.warehouse("leeds-2")
        s.stores[1].connections[0].warehouseKey = "leeds-2"
        let topology = Topology.changes(of: s.plan())
        #expect(topology.warehouses.map(\.key) == ["leeds", "leeds-2"])
        #expect(topology.warehouses.map(\.mark) == [nil, .added])
        let edges = topology.links.map { "\(topology.stores[$0.location.store].key) -> \(topology.warehouses[$0.warehouse].key): \($0.mark?.rawValue ?? "-")" }
        #expect(edges == ["uk -> leeds: removed", "uk -> leeds-2: added", "us -> leeds: -"])
        #expect(topology.stores.map { $0.locations.map(\.name) } == [["Leeds DC"], ["Leeds warehouse"]])
    }

    @Test func noDiagramLeavesItOut() {
        let plan = RendererTests.mixedPlan()
        #expect(MarkdownPlanRenderer().render(plan).contains("```mermaid"))
        #expect(!MarkdownPlanRenderer(diagram: false).render(plan).contains("```mermaid"))
    }

    @Test func aPlanWithoutChangesOrWithErrorsHasNoDiagram() {
        var s = PlannerTests.twoStores()
        s.absorb(s.plan())
        #expect(!MarkdownPlanRenderer().render(s.plan()).contains("```mermaid"))
        s.stores[1].connections[0].locationName = "Leeds D.C."
        #expect(!MarkdownPlanRenderer().render(s.plan()).contains("```mermaid"))
    }

    @Test func aSmallCommentLimitShrinksTheDiagramAndSaysSo() throws {
        let markdown = MarkdownPlanRenderer(limit: 3_000).render(RendererTests.mixedPlan())
        #expect(markdown.unicodeScalars.count <= 3_000)
        if let diagram = Self.mermaidBlock(markdown) {
            #expect(diagram.hasPrefix("flowchart LR\n"))
            #expect(markdown.contains("```\n\n<sub>"), "the fence is closed")
        }
    }
}
