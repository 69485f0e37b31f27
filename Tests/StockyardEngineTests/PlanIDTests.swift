import Testing

@testable import StockyardEngine

/// A plan's id is the hash of one text: the config's hash, the state's lineage, then each change's
/// address, action and fingerprint. Made in runs of changes on every core, it is that text's hash
/// whatever the number of changes; the summary and highest risk found with it are the changes'.
@Suite struct PlanIDTests {
    static func expected(_ plan: Plan) -> String {
        var text = plan.configSHA256 + "\u{1F}" + (plan.stateLineage ?? "")
        for change in plan.changes { text += "\u{1E}\(change.address)\u{1F}\(change.action.rawValue)\u{1F}\(change.fingerprint ?? "-")" }
        return String(Fingerprint.hex(of: text).prefix(16))
    }

    @Test func theIdIsTheHashOfTheWholeText() {
        for count in [0, 1, 4095, 4096, 4097, 10_000] {
            let changes = (0..<count).map { i in
                Change(
                    address: "connection.s[\"L \(i) ü\"]", kind: .connection, action: ChangeAction.allCases[i % 4], reason: .added,
                    risk: i == 4098 ? .destructive : i % 5 == 0 ? .inventoryOverwrite : .safe, before: nil, after: nil, fingerprint: i % 2 == 0 ? nil : "f\(i)")
            }
            for lineage in [nil, "lineage-1"] {
                let plan = Plan(configFile: "c.yaml", configSHA256: "abc", stateLineage: lineage, changes: changes, diagnostics: [])
                #expect(plan.id == Self.expected(plan), "\(count) changes")
                #expect(plan.id.count == 16)
                // The summary and the highest risk found in the same pass are those of the changes.
                let heading = plan.heading
                #expect(heading.summary == PlanSummary(changes) && heading.id == plan.id)
                #expect(heading.highestRisk == (changes.map(\.risk).max() ?? .safe))
            }
        }
    }
}
