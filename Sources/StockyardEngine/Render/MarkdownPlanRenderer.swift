/// The pull-request comment: a summary line, a warning banner for risky changes, one table per store,
/// and the full detail folded away. Never longer than GitHub's 65,536-character comment limit: it
/// counts Unicode scalars (what GitHub counts), and by default leaves 1,024 of them for a pipeline
/// to add a marker or a heading of its own. With `diagram`, a Mermaid diagram of what changes comes
/// before the tables.
public struct MarkdownPlanRenderer: Sendable {
    public var limit: Int
    public var diagram: Bool

    public init(limit: Int = 64_512, diagram: Bool = true) {
        self.limit = limit
        self.diagram = diagram
    }

    public func render(_ plan: Plan) -> String {
        var head = "### Stockyard plan\n\n"
        if plan.hasErrors {
            head += "**No plan: the config has errors.**\n\n"
        } else if !plan.hasChanges {
            head += "**No changes.** The hub and its stores match the config.\n\n"
        } else {
            head += "**\(PlanRenderer.summaryLine(plan.summary))**\n\n"
        }
        head += banner(plan)
        let diagnostics = diagnosticsSection(plan)
        let tail = "\n<sub>Plan `\(plan.id)` · config sha256 `\(plan.configSHA256.prefix(12))` · Stockyard \(plan.toolVersion)</sub>\n"

        // Tables first, then details; cut details before tables, and say what was cut. Only what
        // may fit in the comment is made: past `limit`, a table or the details is only too big
        // (a plan creating 100,000 connections made all of them, 400 MB, for a 20 KB comment).
        func size(_ text: String) -> Int { text.unicodeScalars.count }
        let groups = groupsOf(plan)
        var tables: [String] = []
        var tablesSize = 0
        var allTables = true
        for group in groups {
            guard let text = table(group.title, group.changes, atMost: limit - tablesSize) else {
                allTables = false
                break
            }
            tables.append(text)
            tablesSize += size(text)
        }
        let details = allTables && Self.detailsAtLeast(plan) <= limit - tablesSize ? detailsSection(plan) : nil
        // nil: more than `limit`.
        let bodySize = details.map { tablesSize + size($0) }
        var body = details.map { tables.joined() + $0 } ?? ""
        // The diagram may take what the tables and details leave, and at least half of the room.
        let room = limit - size(head) - size(diagnostics) - size(tail)
        let diagram = diagramSection(plan, budget: bodySize.map { max(room / 2, room - $0) } ?? room / 2)
        let fixed = size(head) + size(diagnostics) + size(diagram) + size(tail)
        if bodySize.map({ fixed + $0 > limit }) ?? true {
            body = allTables ? tables.joined() : ""
            var note = "\n_The full detail is left out to stay within the comment size limit; see the JSON plan (`stockyard plan --out plan.json`)._\n"
            if !allTables || fixed + tablesSize + size(note) > limit {
                var kept = ""
                var shown = 0
                let budget = limit - fixed - 400
                for (group, text) in zip(groups, tables) {
                    if size(kept) + size(text) > budget { break }
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
        if size(text) > limit { text = String(String.UnicodeScalarView(text.unicodeScalars.prefix(limit))) }
        return text
    }

    func banner(_ plan: Plan) -> String {
        let destructive = plan.changes.filter { $0.risk == .destructive }.count
        let overwrite = plan.changes.filter { $0.risk == .inventoryOverwrite }.count
        guard destructive + overwrite > 0 else { return "" }
        var parts: [String] = []
        if destructive > 0 { parts.append("**\(destructive)** destructive change\(destructive == 1 ? "" : "s") (deletes)") }
        if overwrite > 0 { parts.append("**\(overwrite)** change\(overwrite == 1 ? "" : "s") that overwrite inventory numbers") }
        return "> [!WARNING]\n> This plan has \(parts.joined(separator: " and ")). Review them before applying.\n\n"
    }

    /// Every diagnostic, in order, as long as they fit in half the comment (the changes need the
    /// rest); then how many more there are. Not summarised per rule as text is: a comment is read
    /// once and searched, and its size is the budget.
    func diagnosticsSection(_ plan: Plan) -> String {
        guard !plan.diagnostics.isEmpty else { return "" }
        let budget = limit / 2
        var out = ""
        var size = 0
        var shown = 0
        for d in plan.diagnostics {
            let at = d.location.map { "`\($0.file):\($0.line):\($0.column)` " } ?? ""
            let line = "- \(d.severity == .error ? "❌ **error**" : "⚠️ warning"): \(at)\(Self.escape(d.message)) `\(d.rule.rawValue)`\n"
            let lineSize = line.unicodeScalars.count
            if size + lineSize > budget { break }
            out += line
            size += lineSize
            shown += 1
        }
        if shown < plan.diagnostics.count {
            let left = plan.diagnostics[shown...]
            let errors = left.filter { $0.severity == .error }.count
            var parts: [String] = []
            if errors > 0 { parts.append("\(WarningDigest.grouped(errors)) error\(errors == 1 ? "" : "s")") }
            if left.count > errors { parts.append("\(WarningDigest.grouped(left.count - errors)) warning\(left.count - errors == 1 ? "" : "s")") }
            out +=
                "- … and \(parts.joined(separator: " and ")) more, left out to stay within the comment size limit; see the JSON plan (`stockyard plan --out plan.json`)\n"
        }
        return out + "\n"
    }

    struct Group {
        var title: String
        var changes: [Change]
    }

    /// Warehouses first (they are shared by stores), then one group per store, in key order.
    func groupsOf(_ plan: Plan) -> [Group] {
        var warehouses: [Change] = []
        var byStore: [String: [Change]] = [:]
        for change in plan.changes {
            if change.kind == .warehouse { warehouses.append(change) } else { byStore[change.store ?? "", default: []].append(change) }
        }
        var groups: [Group] = []
        if !warehouses.isEmpty { groups.append(Group(title: "Warehouses", changes: warehouses)) }
        for store in byStore.keys.sorted() { groups.append(Group(title: "Store `\(store)`", changes: byStore[store]!)) }
        return groups
    }

    /// A group's table; nil once it has more than `atMost` Unicode scalars.
    func table(_ title: String, _ changes: [Change], atMost: Int) -> String? {
        var out = "#### \(title)\n\n| | Change | Action | Risk | What it does |\n|---|---|---|---|---|\n"
        var size = out.unicodeScalars.count
        for c in changes {
            guard size <= atMost else { return nil }
            let risk = c.risk == .safe ? "safe" : "**\(c.risk.rawValue)**"
            let what =
                c.notes.isEmpty ? PlanRenderer.attributeLines(c).map { "\($0.name): \($0.text)" }.joined(separator: "; ") : c.notes.joined(separator: "; ")
            let row = "| \(PlanRenderer.marker(c.action)) | <code>\(Self.escape(c.address))</code> | \(c.action.rawValue) | \(risk) | \(Self.escape(what)) |\n"
            out += row
            size += row.unicodeScalars.count
        }
        return size + 1 <= atMost ? out + "\n" : nil
    }

    /// Fewer Unicode scalars than ``detailsSection(_:)`` has: each change starts a line of its
    /// own there, `\n  ± ADDRESS`.
    static func detailsAtLeast(_ plan: Plan) -> Int {
        plan.changes.reduce(0) { $0 + $1.address.unicodeScalars.count + 5 }
    }

    func detailsSection(_ plan: Plan) -> String {
        guard plan.hasChanges else { return "" }
        let text = TextPlanRenderer(color: false).render(
            Plan(
                toolVersion: plan.toolVersion, configFile: plan.configFile, configSHA256: plan.configSHA256,
                stateLineage: plan.stateLineage, changes: plan.changes, diagnostics: []))
        return "<details><summary>Full plan</summary>\n\n```diff\n\(text.replacingOccurrences(of: "```", with: "ˋˋˋ"))```\n\n</details>\n"
    }

    /// Makes user text safe inside a table cell: no HTML, no pipes, no line breaks.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|": out += "&#124;"
            case "\n", "\r": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
