/// Compact warnings for text output, the way Terraform does it: the first few warnings of each
/// rule in full, then one line that counts the rest. A config that breaks one rule at 10,000
/// connections reads as ten examples and `… and 9,990 more [rule]`, not as 10,000 screens of
/// the same advice. Errors are never summarised: each one must be fixed where it is.
/// JSON keeps every diagnostic; so does Markdown, within its size budget.
public struct WarningDigest: Sendable {
    /// How many warnings of one rule text output shows before it summarises the rest.
    public static let shownPerRule = 10

    public enum Entry: Sendable, Hashable {
        /// A diagnostic printed in full.
        case shown(Diagnostic)
        /// `count` more warnings of `rule`, not printed; follows the rule's last shown warning.
        case more(rule: RuleID, count: Int)
    }

    /// What to print, in the diagnostics' order.
    public var entries: [Entry]
    /// Warnings left out in all.
    public var hidden: Int

    /// Digests `diagnostics` (already in print order). `perRule: nil` keeps every warning
    /// (`--all-warnings`). One pass to count each rule's warnings, one to choose: linear.
    public init(_ diagnostics: [Diagnostic], perRule: Int? = WarningDigest.shownPerRule) {
        guard let perRule else {
            entries = diagnostics.map(Entry.shown)
            hidden = 0
            return
        }
        var total: [RuleID: Int] = [:]
        for d in diagnostics where d.severity == .warning { total[d.rule, default: 0] += 1 }
        var seen: [RuleID: Int] = [:]
        var entries: [Entry] = []
        var hidden = 0
        for d in diagnostics {
            guard d.severity == .warning else {
                entries.append(.shown(d))
                continue
            }
            let n = seen[d.rule, default: 0] + 1
            seen[d.rule] = n
            if n <= perRule { entries.append(.shown(d)) }
            if n == perRule, let all = total[d.rule], all > perRule {
                entries.append(.more(rule: d.rule, count: all - perRule))
                hidden += all - perRule
            }
        }
        self.entries = entries
        self.hidden = hidden
    }

    /// `… and 9,990 more [own-on-store-master]`
    public static func moreLine(rule: RuleID, count: Int) -> String {
        "… and \(grouped(count)) more [\(rule.rawValue)]"
    }

    /// The closing hint when warnings were left out.
    public static func hiddenNote(_ hidden: Int) -> String {
        "\(grouped(hidden)) warning\(hidden == 1 ? "" : "s") not shown; --all-warnings prints every one."
    }

    /// 9990 -> "9,990": counts people read at a glance, the same in every locale.
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = n < 0 ? "-" : ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
}
