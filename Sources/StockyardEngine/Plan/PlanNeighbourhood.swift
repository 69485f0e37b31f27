/// What a plan leaves as it is around what it changes: every warehouse a change touches that no
/// change creates, updates or deletes, and every connection into a touched warehouse that no change
/// touches. A diagram of the plan draws them as context, so a reviewer sees a new link beside the
/// links already there; saved in the plan, so `show` draws the same diagram.
public struct PlanNeighbourhood: Sendable, Hashable {
    /// By key.
    public var warehouses: [WarehouseRecord]
    /// By store, then location id; `warehouse` is the key after the plan (a renamed warehouse's new key).
    public var connections: [ConnectionRecord]

    public init(warehouses: [WarehouseRecord] = [], connections: [ConnectionRecord] = []) {
        self.warehouses = warehouses
        self.connections = connections
    }
}

extension PlanContext {
    /// The neighbourhood of `changes`, from the state: an unchanged connection is the same before
    /// and after, and the state has it.
    func neighbourhood(of changes: [Change]) -> PlanNeighbourhood {
        // Nothing is left as it is where the state has nothing (a first plan): the sets of what
        // the changes touch are not made.
        guard !state.warehouses.isEmpty || !state.connections.isEmpty else { return PlanNeighbourhood() }
        var touched = Set<String>()
        var changedWarehouses = Set<String>()
        var changedConnections = Set<ConnectionRecord.ID>()
        func note(_ record: ObjectRecord?) {
            switch record {
            case .warehouse(let w)?:
                touched.insert(w.key)
                changedWarehouses.insert(w.key)
            case .connection(let c)?:
                touched.insert(renames[c.warehouse] ?? c.warehouse)
                changedConnections.insert(c.id)
            default: break
            }
        }
        // Each side in turn, not an array of the two per change.
        for change in changes {
            note(change.before)
            note(change.after)
        }
        guard !touched.isEmpty else { return PlanNeighbourhood() }
        // The state's connections in parts over the cores (their positions gathered first, which
        // hashes nothing); in each, the warehouse first: one string hashed where most connections
        // are not touched. Sorted after, so the parts' order does not matter.
        var entries: [Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index] = []
        entries.reserveCapacity(state.connections.count)
        var entry = state.connections.startIndex
        while entry != state.connections.endIndex {
            entries.append(entry)
            state.connections.formIndex(after: &entry)
        }
        let (near, changed) = (touched, changedConnections)
        let parts = max(1, min(Parallel.width * 8, entries.count / 4096))
        var connections = Parallel.map(parts, chunk: 1) { part in
            var found: [ConnectionRecord] = []
            for k in (entries.count * part / parts)..<(entries.count * (part + 1) / parts) {
                let (id, record) = state.connections[entries[k]]
                let warehouse = renames.isEmpty ? record.warehouse : renames[record.warehouse] ?? record.warehouse
                guard near.contains(warehouse), !changed.contains(id) else { continue }
                var moved = record
                moved.warehouse = warehouse
                found.append(moved)
            }
            return found
        }.flatMap { $0 }
        connections.sort { $0.id < $1.id }
        let warehouses = touched.subtracting(changedWarehouses).sorted().compactMap { state.warehouses[$0] }
        return PlanNeighbourhood(warehouses: warehouses, connections: connections)
    }
}
