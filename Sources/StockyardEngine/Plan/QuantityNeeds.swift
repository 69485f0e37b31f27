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
        var byID: [String: StoreLocation] = [:]
        var byName: [String: [StoreLocation]] = [:]
        for location in locations {
            byID[location.id] = location
            byName[location.name, default: []].append(location)
        }
        var wanted = Set<String>()
        for connection in store.connections {
            let candidates = connection.locationID.map { byID[$0].map { [$0] } ?? [] } ?? byName[connection.locationName] ?? []
            for location in candidates {
                guard let before = state.connections[ConnectionRecord.ID(store: store.key, locationID: location.id)] else {
                    wanted.insert(location.id)
                    continue
                }
                let warehouse = renames[before.warehouse] ?? before.warehouse
                if before.master != connection.master || warehouse != connection.warehouseKey { wanted.insert(location.id) }
            }
        }
        return wanted
    }
}
