/// Which store locations a plan needs the quantities of: only those whose connection change moves
/// numbers — a link created, moved to another warehouse, or switched to the other master. Reading a
/// location's inventory is what a metered store charges for (a page of 250 levels costs Shopify
/// about 750 points), so an unchanged connection costs nothing beyond the store's location list.
///
/// The same rule the planner uses for an impact (`movesNumbers` in `Planner.planConnections`), in a
/// form that runs before the planner, on the locations as the store lists them. Where a name could
/// match several locations, all of them are read: a plan must stay truthful, never cheaper by guessing.
public struct QuantityNeeds: Sendable {
    let state: HubState
    /// A renamed warehouse (`formerly`) is the same warehouse: a rename moves no numbers.
    let renames: [String: String]

    public init(config: DesiredConfig, state: HubState) {
        self.state = state
        renames = PlanContext.warehouseRenames(config: config, state: state)
    }

    /// The ids of `locations` (one store's) whose quantities the plan needs.
    public func locationIDs(store: StoreSpec, locations: [StoreLocation]) -> Set<String> {
        // Positions, not copies of the locations; the locations of one name chained through
        // `sameName` rather than an array per name.
        var byID: [String: Int] = [:], byName: [String: Int] = [:]
        byID.reserveCapacity(locations.count)
        byName.reserveCapacity(locations.count)
        var sameName = [Int](repeating: -1, count: locations.count)
        for index in locations.indices { byID[locations[index].id] = index }
        for index in locations.indices.reversed() {
            if let next = byName.updateValue(index, forKey: locations[index].name) { sameName[index] = next }
        }
        var wanted = Set<String>()
        for c in store.connections.indices {
            let connection = store.connections[c]
            var candidate: Int
            if let id = connection.locationID {
                guard let found = byID[id] else { continue }
                candidate = found
            } else {
                guard let found = byName[connection.locationName] else { continue }
                candidate = found
            }
            while candidate >= 0 {
                let id = locations[candidate].id
                if let before = state.connections[ConnectionRecord.ID(store: store.key, locationID: id)] {
                    let warehouse = renames[before.warehouse] ?? before.warehouse
                    if before.master != connection.master || warehouse != connection.warehouseKey { wanted.insert(id) }
                } else {
                    wanted.insert(id)
                }
                candidate = connection.locationID == nil ? sameName[candidate] : -1
            }
        }
        return wanted
    }
}
