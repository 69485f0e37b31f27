import StockyardEngine

/// Renderings of the state and its history.
enum StateReport {
    static func text(_ state: HubState, lock: LockInfo?, path: String) -> String {
        var out = "State: \(path)\nLineage: \(state.lineage ?? "(none: nothing applied yet)")\n"
        if let lock { out += "Locked by `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since))\n" }
        out += "\nStores (\(state.stores.count)):\n"
        for key in state.stores.keys.sorted() {
            let s = state.stores[key]!
            out += "  \(key)  \(s.platform.rawValue)  \(s.target)\n"
        }
        out += "\nWarehouses (\(state.warehouses.count)):\n"
        for key in state.warehouses.keys.sorted() {
            let w = state.warehouses[key]!
            out +=
                "  \(key)  \(w.kind.rawValue)  \(ConnectionAddress.quoted(w.name))\(w.code.map { "  code \($0)" } ?? "")\(w.protect ? "  protected" : "")  \(state.units(in: key)) units\n"
        }
        out += "\nConnections (\(state.connections.count)):\n"
        for id in state.connections.keys.sorted() {
            let c = state.connections[id]!
            out += "  \(c.displayName) -> \(c.warehouse)  \(c.master.rawValue) master\(c.protect ? "  protected" : "")\n"
        }
        return out
    }

    static func json(_ state: HubState, lock: LockInfo?) -> JSONValue {
        .object([
            ("lineage", .optional(state.lineage)),
            (
                "lock",
                lock.map { l in
                    .object([
                        ("holder", .string(l.holder)), ("host", .string(l.host)), ("pid", .int(Int(l.pid))), ("since", .string(l.since)),
                        ("command", .string(l.command)),
                    ])
                } ?? .null
            ),
            ("stores", .array(state.stores.keys.sorted().map { JSONPlanRenderer.record(.store(state.stores[$0]!)) })),
            (
                "warehouses",
                .array(
                    state.warehouses.keys.sorted().map { key in
                        var object = JSONPlanRenderer.record(.warehouse(state.warehouses[key]!))
                        if case .object(var pairs) = object {
                            pairs.append(("units", .int(state.units(in: key))))
                            object = .object(pairs)
                        }
                        return object
                    })
            ),
            ("connections", .array(state.connections.keys.sorted().map { JSONPlanRenderer.record(.connection(state.connections[$0]!)) })),
        ])
    }

    static func json(_ e: HistoryEntry) -> JSONValue {
        .object([
            ("time", .string(e.time)), ("plan_id", .string(e.planID)), ("address", .string(e.address)), ("action", .string(e.action.rawValue)),
            ("before", e.before.map(JSONPlanRenderer.record) ?? .null), ("after", e.after.map(JSONPlanRenderer.record) ?? .null),
        ])
    }
}
