/// The pull-request comment's diagram of what the plan changes.
extension MarkdownPlanRenderer {
    /// Mermaid's default `maxEdges`: past it, Mermaid draws an error instead of the diagram.
    public static let diagramMaxEdges = 500
    /// Mermaid's default `maxTextSize` (in UTF-16 code units, as JavaScript counts).
    public static let diagramMaxText = 50_000

    /// A Mermaid diagram of `Topology.changes(of:)` with a caption, in at most `budget` characters.
    /// Past Mermaid's limits or the budget, it draws the warehouses with the most changed
    /// connections (as many as fit, whole) and says what it left out. Empty when there is nothing to
    /// draw, or no room for it.
    func diagramSection(_ plan: Plan, budget: Int) -> String {
        guard diagram, !plan.hasErrors, plan.hasChanges else { return "" }
        let full = Topology.changes(of: plan)
        guard !full.warehouses.isEmpty else { return "" }
        let head = "#### What changes\n\n```mermaid\n"
        let caption =
            "```\n\n<sub>Green: added. Red: removed. Orange: master switch. Solid arrow: stockyard master, pushes to the location; dashed: store master, pulled into the warehouse. Edges that overwrite stock numbers say so.</sub>\n\n"
        let noteRoom = 400
        let textBudget = min(Self.diagramMaxText, budget - head.utf16.count - caption.utf16.count - noteRoom)
        guard textBudget > 500 else { return "" }

        if full.edgeCount <= Self.diagramMaxEdges {
            let text = MermaidGraphRenderer.render(full)
            if text.utf16.count <= textBudget { return head + text + caption }
        }

        // Warehouses by changed connections, most first; each one's estimated share of the text.
        var changed = [Int](repeating: 0, count: full.warehouses.count)
        var edges = [Int](repeating: 0, count: full.warehouses.count)
        var cost = [Int](repeating: 0, count: full.warehouses.count)
        // Measured on generated plans: a warehouse's node and class entry take about 30 characters
        // beside its label; an edge with its label and style about 50, its location's node 15
        // beside the name (counted once per edge, so a shared location is counted twice).
        for (w, warehouse) in full.warehouses.enumerated() {
            cost[w] = 30 + GraphRenderer.warehouseLines(warehouse).reduce(0) { $0 + MermaidGraphRenderer.escapedLength($1) + 4 }
        }
        for link in full.links {
            edges[link.warehouse] += 1
            if link.mark != nil { changed[link.warehouse] += 1 }
            let name = full.stores[link.location.store].locations[link.location.location].name
            cost[link.warehouse] += 65 + MermaidGraphRenderer.escapedLength(name)
        }
        let ranked = full.warehouses.indices.sorted { a, b in
            let x = changed[a] + (full.warehouses[a].mark == nil ? 0 : 1)
            let y = changed[b] + (full.warehouses[b].mark == nil ? 0 : 1)
            return x != y ? x > y : full.warehouses[a].key < full.warehouses[b].key
        }
        // Room for the store clusters' lines.
        let storeCost = full.stores.reduce(0) { $0 + 40 + MermaidGraphRenderer.escapedLength($1.key) }
        var chosen: [Int] = []
        var edgeTotal = 0
        var costTotal = min(storeCost, textBudget / 4)
        for w in ranked {
            if edgeTotal + edges[w] > Self.diagramMaxEdges || costTotal + cost[w] > textBudget { continue }
            chosen.append(w)
            edgeTotal += edges[w]
            costTotal += cost[w]
        }
        var kept = full.keeping(warehouses: chosen)
        var text = MermaidGraphRenderer.render(kept)
        // An estimate that fell short: drop a tenth of the warehouses, the least changed, until it fits.
        while !chosen.isEmpty, text.utf16.count > textBudget {
            chosen.removeLast(max(1, chosen.count / 10))
            kept = full.keeping(warehouses: chosen)
            text = MermaidGraphRenderer.render(kept)
        }
        guard !chosen.isEmpty else { return "" }
        let leftWarehouses = full.warehouses.count - chosen.count
        let leftEdges = full.links.count - kept.links.count
        let note =
            "_The diagram shows the \(chosen.count) of \(full.warehouses.count) warehouses this plan touches with the most changed connections; \(leftWarehouses) warehouse\(leftWarehouses == 1 ? "" : "s") and \(leftEdges) connection\(leftEdges == 1 ? "" : "s") are left out to stay within what Mermaid draws (\(Self.diagramMaxEdges) edges, \(Self.diagramMaxText) characters) and the comment size limit. The tables below list every change._\n\n"
        return head + text + caption + note
    }
}
