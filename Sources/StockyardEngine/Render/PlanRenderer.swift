/// The renderings of a plan. Each is a pure function of the plan: same plan, same bytes.
public enum PlanFormat: String, Sendable, CaseIterable {
    case text, json, markdown
}

public enum PlanRenderer {
    /// Renders the plan; `color` applies only to text and is the caller's decision (TTY, NO_COLOR),
    /// and so does `allWarnings` (text shows the first few warnings of each rule unless it is set);
    /// `diagram` only to Markdown.
    public static func render(
        _ plan: Plan, as format: PlanFormat, color: Bool = false, diagram: Bool = true, allWarnings: Bool = false
    ) -> String {
        switch format {
        case .text: return TextPlanRenderer(color: color, allWarnings: allWarnings).render(plan)
        case .json: return JSONPlanRenderer.render(plan)
        case .markdown: return MarkdownPlanRenderer(diagram: diagram).render(plan)
        }
    }

    /// `+ ~ - >` for create, update, delete, move.
    static func marker(_ action: ChangeAction) -> String {
        switch action {
        case .create: return "+"
        case .update: return "~"
        case .delete: return "-"
        case .move: return ">"
        }
    }

    /// "Plan: 3 to create, 1 to update, 0 to delete." (and moves, when there are any).
    static func summaryLine(_ summary: PlanSummary) -> String {
        var line = "Plan: \(summary.create) to create, \(summary.update) to update, \(summary.delete) to delete"
        if summary.move > 0 { line += ", \(summary.move) to move" }
        return line + "."
    }

    /// Attribute lines of a change: `name: value` for creates and deletes, `name: old -> new` for the rest.
    static func attributeLines(_ change: Change) -> [(name: String, text: String)] {
        let before = change.before?.attributes ?? []
        let after = change.after?.attributes ?? []
        switch (change.before, change.after) {
        case (nil, _?): return after.filter { !$0.value.isEmpty && $0.value != "false" }.map { ($0.name, show($0.value)) }
        case (_?, nil): return before.filter { !$0.value.isEmpty && $0.value != "false" }.map { ($0.name, show($0.value)) }
        default:
            var out: [(String, String)] = []
            for (old, new) in zip(before, after) where old.value != new.value {
                out.append((new.name, "\(show(old.value)) -> \(show(new.value))"))
            }
            return out
        }
    }

    static func show(_ value: String) -> String {
        value.isEmpty ? "(none)" : ConnectionAddress.quoted(value)
    }
}
