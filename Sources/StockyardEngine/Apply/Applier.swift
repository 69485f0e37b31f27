import Foundation

/// Carries out a plan against the state, one transaction per change, so a crash or kill at any
/// moment leaves a consistent state and the next plan shows exactly what is left.
public struct Applier: Sendable {
    public enum Outcome: String, Sendable {
        case applied
        case alreadyApplied = "already-applied"
        case failed, skipped
    }

    public struct Step: Sendable {
        public var change: Change
        public var outcome: Outcome
        public var message: String?
    }

    public struct Report: Sendable {
        public var steps: [Step] = []
        /// Changes not attempted because ``Applier/shouldStop`` asked to stop before them.
        public var notAttempted: [Change] = []
        public func count(_ outcome: Outcome) -> Int { steps.filter { $0.outcome == outcome }.count }
        public var succeeded: Bool {
            notAttempted.isEmpty && !steps.contains { $0.outcome == .failed || $0.outcome == .skipped }
        }
    }

    public let state: any StateStore
    /// Adapters by store key, for the pulls and pushes of connection changes. Without one, a change
    /// that moves numbers fails (and its dependents are skipped).
    public var adapters: [String: any StoreAdapter] = [:]
    /// Called after each step, for progress output.
    public var onStep: (@Sendable (Step) -> Void)?
    /// A pause before each change: lets tests kill an apply part-way. Zero in normal use.
    public var delayPerChange: Duration = .zero
    public var clock: @Sendable () -> String = { UTCTimestamp.string() }
    /// Asked before each change; `true` stops the apply there (a signal): the change in progress has
    /// finished or rolled back, and the rest are reported as not attempted.
    public var shouldStop: @Sendable () -> Bool = { false }

    public init(state: any StateStore, adapters: [String: any StoreAdapter] = [:]) {
        self.state = state
        self.adapters = adapters
    }

    /// Applies every change in order. A change whose dependency failed or was skipped is skipped;
    /// independent changes still apply.
    public func apply(_ plan: Plan, current: HubState) async -> Report {
        var report = Report()
        var broken = Set<String>()
        // Warehouses a pull was to fill and did not, by the pull's address. A push from such a
        // warehouse would send numbers the plan never showed (and the stock check would call that
        // "stale"): the push depends on the pull as surely as on a `depends_on` entry.
        var unfilled: [String: String] = [:]
        let planID = plan.id
        var working = ProjectedState(current)
        let mover = InventoryMover(state: state, adapters: adapters)
        for (index, change) in plan.changes.enumerated() {
            if shouldStop() {
                report.notAttempted = Array(plan.changes[index...])
                break
            }
            let filler = Self.pushSource(change).flatMap { unfilled[$0] }
            if let blocker = change.dependsOn.first(where: broken.contains) ?? filler {
                broken.insert(change.address)
                if let warehouse = Self.pullTarget(change) { unfilled[warehouse] = change.address }
                report.steps.append(step(change, .skipped, "skipped: \(blocker) did not apply"))
                continue
            }
            if PlanGuard.isAlreadyApplied(change, in: current) {
                report.steps.append(step(change, .alreadyApplied, nil))
                continue
            }
            if delayPerChange > .zero { try? await Task.sleep(for: delayPerChange) }
            do {
                let entry = HistoryEntry(
                    time: clock(), planID: planID, address: change.address, action: change.action, before: change.before, after: change.after)
                var mutations = Self.mutations(for: change)
                if let impact = change.impact, case .connection(let record)? = change.after {
                    mutations = try await mover.carryOut(change, record: record, impact: impact, working: working.current(), planID: planID)
                }
                try await state.commit(mutations, history: entry)
                working.project(mutations)
                report.steps.append(step(change, .applied, nil))
            } catch {
                broken.insert(change.address)
                if let warehouse = Self.pullTarget(change) { unfilled[warehouse] = change.address }
                report.steps.append(step(change, .failed, "\(error)"))
            }
        }
        return report
    }

    /// The warehouse a change fills from a location (a store-master link), if it does.
    static func pullTarget(_ change: Change) -> String? {
        guard change.impact?.overwritten == .warehouse, case .connection(let record)? = change.after else { return nil }
        return record.warehouse
    }

    /// The warehouse whose numbers a change pushes to a location (a stockyard-master link), if it does.
    static func pushSource(_ change: Change) -> String? {
        guard change.impact?.overwritten == .location, case .connection(let record)? = change.after else { return nil }
        return record.warehouse
    }

    private func step(_ change: Change, _ outcome: Outcome, _ message: String?) -> Step {
        let s = Step(change: change, outcome: outcome, message: message)
        onStep?(s)
        return s
    }

    /// Resolves pushes a crash left in the journal; run before applying or syncing.
    public func recoverInterruptedPushes() async throws -> [String] {
        try await InventoryMover.recover(state: state, adapters: adapters)
    }

    /// The state writes of one change.
    public static func mutations(for change: Change) -> [StateMutation] {
        switch (change.action, change.before, change.after) {
        case (.move, .warehouse(let old)?, .warehouse(let new)?):
            return [.renameWarehouse(from: old.key, to: new.key), .putWarehouse(new)]
        case (_, _, .store(let r)?): return [.putStore(r)]
        case (_, _, .warehouse(let r)?): return [.putWarehouse(r)]
        case (_, _, .connection(let r)?): return [.putConnection(r)]
        case (.delete, .store(let r)?, nil): return [.deleteStore(key: r.key)]
        case (.delete, .warehouse(let r)?, nil): return [.deleteWarehouse(key: r.key)]
        case (.delete, .connection(let r)?, nil): return [.deleteConnection(r.id)]
        default: return []
        }
    }
}
