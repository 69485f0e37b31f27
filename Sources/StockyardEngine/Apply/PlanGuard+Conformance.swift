extension PlanGuard {
    /// Changes of a saved plan that the config and the state would not plan now: a plan file is
    /// untrusted, and one edited by hand (or made for another config that happens to share its
    /// sha256 field) must not smuggle in a change the config does not ask for.
    ///
    /// `fresh` is the plan made now from the same config, state and stores. Each change of
    /// `saved` that is not already in the state must be in `fresh` with the same object before
    /// and after, action, reason and fingerprint, and the same side overwritten when it
    /// moves stock, in the planner's order. The risk is not compared: like the stock numbers, it
    /// follows what the stores and a part-applied plan hold now, and apply decides nothing by it. The stock numbers themselves are not compared: a sale
    /// may move them between plan and apply, and apply checks every number against the store and
    /// the hub when it writes it (compare-and-set), refusing that change as stale.
    ///
    /// `saved` may be a part of `fresh` (`plan --store KEY`), never more.
    public static func conformance(of saved: Plan, to fresh: Plan, state: HubState) -> [Refusal] {
        let planned = Dictionary(fresh.changes.enumerated().map { ($0.element.address, ($0.offset, $0.element)) }, uniquingKeysWith: { a, _ in a })
        var out: [Refusal] = []
        var lastIndex = -1
        var lastAddress = ""
        // Stale changes are `staleness`'s to report, with what changed.
        for change in saved.changes where !isAlreadyApplied(change, in: state) && !isStale(change, in: state) {
            guard let (index, expected) = planned[change.address] else {
                out.append(
                    Refusal(
                        .invalidPlan,
                        "\(PlanDocument.printable(change.address)): the plan holds this \(change.action.rawValue), which the config, the state and the stores do not call for now; the plan file was edited, or a store changed since: make a new plan"
                    ))
                continue
            }
            let differences = differences(change, expected)
            if !differences.isEmpty {
                out.append(
                    Refusal(
                        .invalidPlan,
                        "\(change.address): the plan's \(change.action.rawValue) differs from what the config, the state and the stores call for now (\(differences.joined(separator: ", "))); the plan file was edited, or a store changed since: make a new plan"
                    ))
            }
            if index < lastIndex {
                out.append(
                    Refusal(
                        .invalidPlan,
                        "\(change.address): the plan puts it after \(lastAddress), against the order apply needs; the plan file was edited: make a new plan"))
            }
            lastIndex = index
            lastAddress = change.address
        }
        return out
    }

    /// True when the object at the change's address no longer has the fingerprint the plan saw.
    static func isStale(_ change: Change, in state: HubState) -> Bool {
        switch (change.fingerprint, current(for: change, in: state)) {
        case (nil, nil): return false
        case (nil, _?), (_?, nil): return true
        case (let expected?, let present?): return Fingerprint.of(present) != expected
        }
    }

    /// The fields in which a saved change differs from the planned one, by their plan-file names.
    static func differences(_ saved: Change, _ planned: Change) -> [String] {
        var out: [String] = []
        if saved.kind != planned.kind { out.append("kind") }
        if saved.action != planned.action { out.append("action \(saved.action.rawValue), planned \(planned.action.rawValue)") }
        if saved.reason != planned.reason { out.append("reason") }
        if saved.before != planned.before { out.append("before") }
        if saved.after != planned.after { out.append("after") }
        if saved.fingerprint != planned.fingerprint { out.append("fingerprint") }
        if saved.impact?.overwritten != planned.impact?.overwritten { out.append("impact") }
        return out
    }
}
