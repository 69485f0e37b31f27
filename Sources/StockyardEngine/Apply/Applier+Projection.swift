/// The applier's view of the state while it commits: the state it started from, kept in step with
/// every committed change by the rules the store applied (``HubState/applyAccepted(_:)``), except
/// that the connections of a renamed warehouse are re-pointed in one pass when the view is next
/// read, not in one pass over every connection per rename. A plan renaming 5,000 warehouses of a
/// 100,000-connection hub walked half a billion connections that way.
struct ProjectedState {
    private(set) var hub: HubState
    /// Where the connections of each original warehouse key now belong, after every rename so far.
    private var target: [String: String] = [:]
    /// The inverse: which original keys' connections sit at a key now.
    private var origins: [String: [String]] = [:]
    /// Passes made over all connections: what a test holds to one per read, not one per rename.
    private(set) var connectionPasses = 0

    init(_ hub: HubState) { self.hub = hub }

    /// The state as the store has it now.
    mutating func current() -> HubState {
        if !target.isEmpty {
            connectionPasses += 1
            for (id, connection) in hub.connections {
                if let now = target[connection.warehouse], now != connection.warehouse { hub.connections[id]?.warehouse = now }
            }
            target = [:]
            origins = [:]
        }
        return hub
    }

    mutating func project(_ mutations: [StateMutation]) {
        for mutation in mutations {
            guard case .renameWarehouse(let from, let to) = mutation else {
                // Anything else may read or write connections: bring them up to date first.
                if !target.isEmpty, !Self.leavesConnectionsAlone(mutation) { _ = current() }
                hub.applyAccepted([mutation])
                continue
            }
            guard from != to, var warehouse = hub.warehouses.removeValue(forKey: from) else { continue }
            warehouse.key = to
            hub.warehouses[to] = warehouse
            hub.stock[to] = hub.stock.removeValue(forKey: from)
            // The connections now at `from`: those moved there by earlier renames, and its own
            // unless an earlier rename already took them elsewhere.
            var moving = origins.removeValue(forKey: from) ?? []
            if target[from] == nil { moving.append(from) }
            for original in moving { target[original] = to }
            origins[to, default: []] += moving
        }
    }

    private static func leavesConnectionsAlone(_ mutation: StateMutation) -> Bool {
        switch mutation {
        case .putStore, .putWarehouse, .setStock: true
        default: false
        }
    }
}
