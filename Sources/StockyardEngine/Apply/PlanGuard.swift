/// What `apply` checks before it touches anything: that the plan still fits the state it was made
/// against (object by object, never the whole state), and that it is safe to carry out.
public enum PlanGuard {
    /// A reason to refuse a plan, naming the objects and the way out.
    public struct Refusal: Sendable, Hashable {
        public enum Kind: String, Sendable {
            case stale
            case largeChange = "large-change"
            case protected
            case stockLoss = "stock-loss"
            case invalidPlan = "invalid-plan"
        }

        public var kind: Kind
        public var message: String

        public init(_ kind: Kind, _ message: String) {
            self.kind = kind
            self.message = message
        }
    }

    public struct Options: Sendable {
        public var allowLargeChange: Bool
        public var allowStockLoss: Bool

        public init(allowLargeChange: Bool = false, allowStockLoss: Bool = false) {
            self.allowLargeChange = allowLargeChange
            self.allowStockLoss = allowStockLoss
        }
    }

    /// The current record at a change's address, looked up by what the change says it was.
    static func current(for change: Change, in state: HubState) -> ObjectRecord? {
        switch change.before ?? change.after {
        case .store(let r)?: return state.stores[r.key].map(ObjectRecord.store)
        case .warehouse(let r)?: return state.warehouses[r.key].map(ObjectRecord.warehouse)
        case .connection(let r)?: return state.connections[r.id].map(ObjectRecord.connection)
        case nil: return nil
        }
    }

    /// True when the state already holds what the change would write: a rerun after a crash skips it.
    public static func isAlreadyApplied(_ change: Change, in state: HubState) -> Bool {
        switch change.action {
        case .create, .update:
            guard let after = change.after else { return false }
            switch after {
            case .store(let r): return state.stores[r.key] == r
            case .warehouse(let r): return state.warehouses[r.key] == r
            case .connection(let r): return state.connections[r.id] == r
            }
        case .delete:
            return current(for: change, in: state) == nil
        case .move:
            guard case .warehouse(let old)? = change.before, case .warehouse(let new)? = change.after else { return false }
            return state.warehouses[old.key] == nil && state.warehouses[new.key] == new
        }
    }

    /// Changes whose object changed since the plan read it. A change elsewhere in the state does not count.
    public static func staleness(of plan: Plan, against state: HubState) -> [Refusal] {
        var out: [Refusal] = []
        for change in plan.changes where !isAlreadyApplied(change, in: state) {
            let now = current(for: change, in: state)
            switch (change.fingerprint, now) {
            case (nil, nil):
                if change.action == .move { out.append(Refusal(.stale, "\(change.address): the warehouse to rename is gone")) }
            case (nil, let present?):
                out.append(Refusal(.stale, "\(change.address): was created by someone else since the plan (\(summary(present)))"))
            case (_?, nil):
                out.append(Refusal(.stale, "\(change.address): was deleted since the plan"))
            case (let expected?, let present?):
                if Fingerprint.of(present) != expected {
                    out.append(Refusal(.stale, "\(change.address): changed since the plan (\(difference(change.before, present)))"))
                }
            }
            if change.action == .move, case .warehouse(let new)? = change.after, state.warehouses[new.key] != nil {
                out.append(Refusal(.stale, "\(change.address): a warehouse with key '\(new.key)' was created since the plan"))
            }
        }
        return out
    }

    /// Thresholds, protection and stock loss: everything that must be refused before anything changes.
    public static func safety(of plan: Plan, state: HubState, thresholds: SafetyThresholds, options: Options) -> [Refusal] {
        var out: [Refusal] = []
        let existing = state.stores.count + state.warehouses.count + state.connections.count
        let summary = plan.summary
        if !options.allowLargeChange, existing >= thresholds.minExisting, existing > 0 {
            let updates = summary.update + summary.move
            if updates * 100 > thresholds.maxUpdatePercent * existing {
                out.append(
                    Refusal(
                        .largeChange,
                        "the plan updates \(updates) of \(existing) existing objects (\(percent(updates, existing))), more than `safety.max_update_percent: \(thresholds.maxUpdatePercent)`; if that is intended, run again with --allow-large-change"
                    ))
            }
            if summary.delete * 100 > thresholds.maxDeletePercent * existing {
                out.append(
                    Refusal(
                        .largeChange,
                        "the plan deletes \(summary.delete) of \(existing) existing objects (\(percent(summary.delete, existing))), more than `safety.max_delete_percent: \(thresholds.maxDeletePercent)`; if that is intended, run again with --allow-large-change"
                    ))
            }
        }
        for change in plan.changes where change.action == .delete {
            switch current(for: change, in: state) ?? change.before {
            case .warehouse(let w)?:
                if w.protect {
                    out.append(
                        Refusal(
                            .protected, "\(change.address) is protected and cannot be deleted; to delete it, first apply `protect: false` on it, then remove it"
                        ))
                }
                let units = state.units(in: w.key)
                if units > 0 && !options.allowStockLoss {
                    out.append(
                        Refusal(
                            .stockLoss,
                            "\(change.address) holds \(units) units of stock that would be lost; move the stock first, or run again with --allow-stock-loss"))
                }
            case .connection(let c)?:
                if c.protect {
                    out.append(
                        Refusal(
                            .protected, "\(change.address) is protected and cannot be deleted; to delete it, first apply `protect: false` on it, then remove it"
                        ))
                }
            default:
                break
            }
        }
        return out
    }

    static func percent(_ n: Int, _ of: Int) -> String { "\(n * 100 / max(of, 1))%" }

    static func summary(_ record: ObjectRecord) -> String {
        record.attributes.filter { !$0.value.isEmpty }.map { "\($0.name) \(ConnectionAddress.quoted($0.value))" }.joined(separator: ", ")
    }

    static func difference(_ before: ObjectRecord?, _ now: ObjectRecord) -> String {
        let old = before?.attributes ?? []
        let changed = zip(old, now.attributes).filter { $0.0.value != $0.1.value }
            .map { "\($0.1.name): \(ConnectionAddress.quoted($0.0.value)) -> \(ConnectionAddress.quoted($0.1.value))" }
        return changed.isEmpty ? "its fingerprint differs" : changed.joined(separator: ", ")
    }
}
