/// The terminal rendering: Terraform-like markers, attribute changes, notes, warnings and a summary.
public struct TextPlanRenderer: Sendable {
    public var color: Bool
    /// Every warning in full (`--all-warnings`); otherwise the first few of each rule and a count.
    public var allWarnings: Bool

    public init(color: Bool, allWarnings: Bool = false) {
        self.color = color
        self.allWarnings = allWarnings
    }

    private func paint(_ text: String, _ code: String) -> String { color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }

    private func colorCode(_ action: ChangeAction) -> String {
        switch action {
        case .create: return "32"
        case .update: return "33"
        case .delete: return "31"
        case .move: return "36"
        }
    }

    public func render(_ plan: Plan) -> String {
        var text = ""
        write(plan) { text += $0 }
        return text
    }

    /// The text ``render(_:)`` makes, handed to `emit` in pieces of about 64 KB, in order: a plan
    /// creating 100,000 connections is 130 MB of text, which held whole took more memory than the
    /// plan itself.
    public func write(_ plan: Plan, to emit: (String) -> Void) {
        var out = ""
        if !plan.diagnostics.isEmpty {
            let digest = WarningDigest(plan.diagnostics, perRule: allWarnings ? nil : WarningDigest.shownPerRule)
            for entry in digest.entries {
                switch entry {
                case .shown(let d):
                    let label = d.severity == .error ? paint("error:", "31;1") : paint("warning:", "33;1")
                    let at = d.location.map { "\($0): " } ?? ""
                    out += "\(at)\(label) \(d.message) [\(d.rule.rawValue)]\n"
                case .more(let rule, let count):
                    out += WarningDigest.moreLine(rule: rule, count: count) + "\n"
                }
            }
            if digest.hidden > 0 { out += WarningDigest.hiddenNote(digest.hidden) + "\n" }
            out += "\n"
        }
        if plan.hasErrors {
            let errors = plan.diagnostics.filter { $0.severity == .error }.count
            out += "No plan: \(errors) error\(errors == 1 ? "" : "s") must be fixed first.\n"
            emit(out)
            return
        }
        guard plan.hasChanges else {
            out += "No changes. The hub and its stores match the config.\n"
            emit(out)
            return
        }
        out += "Stockyard will make these changes:\n"
        for change in plan.changes {
            out += "\n"
            let code = colorCode(change.action)
            var head = "  \(paint(PlanRenderer.marker(change.action), code)) \(paint(change.address, "1"))"
            head += "  (\(change.action.rawValue), \(change.reason.rawValue)"
            if change.risk != .safe { head += ", " + paint(change.risk.rawValue, change.risk == .destructive ? "31" : "35") }
            head += ")"
            out += head + "\n"
            let lines = PlanRenderer.attributeLines(change)
            let width = lines.map(\.name.count).max() ?? 0
            for line in lines {
                out += "      \(line.name)\(String(repeating: " ", count: width - line.name.count)) = \(line.text)\n"
            }
            for note in change.notes { out += "      \(paint("# " + note, "2"))\n" }
            if let impact = change.impact, !impact.changes.isEmpty {
                let side = impact.overwritten == .location ? "location" : "warehouse"
                out += "      largest differences at the \(side) (SKU: now -> after):\n"
                let width = impact.largest.map(\.sku.count).max() ?? 0
                for c in impact.largest {
                    let delta = c.delta > 0 ? "+\(c.delta)" : "\(c.delta)"
                    out +=
                        "        \(c.sku)\(String(repeating: " ", count: width - c.sku.count))  \(c.from) -> \(c.to)  (\(paint(delta, c.delta > 0 ? "32" : "31")))\n"
                }
                if impact.changes.count > impact.largest.count { out += "        … and \(impact.changes.count - impact.largest.count) more SKUs\n" }
            }
            if out.utf8.count >= 1 << 16 {
                emit(out)
                out = ""
            }
        }
        out += "\n" + paint(PlanRenderer.summaryLine(plan.summary), "1") + "\n"
        emit(out)
    }
}
