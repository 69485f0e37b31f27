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
    /// The state's warehouses the plan may delete (not in the config, nor renamed), sorted: the
    /// plan says how many units each would lose, so their stock is read whatever the stores say.
    /// Known from the config and the state alone, their stock can be read while the stores are.
    public let deletableWarehouses: [String]
    private let deletable: Set<String>
    /// Keys in the config of warehouses the state has under a former key (`formerly`), with those keys.
    let formerKeys: [String: [String]]

    public init(config: DesiredConfig, state: HubState) {
        self.state = state
        let renames = PlanContext.warehouseRenames(config: config, state: state)
        self.renames = renames
        let desired = Set(config.warehouses.map(\.key))
        deletableWarehouses = state.warehouses.keys.filter { !desired.contains($0) && renames[$0] == nil }.sorted()
        deletable = Set(deletableWarehouses)
        var formerKeys: [String: [String]] = [:]
        for (old, new) in renames { formerKeys[new, default: []].append(old) }
        self.formerKeys = formerKeys
    }

    /// The ids of `locations` (one store's) whose quantities the plan needs.
    public func locationIDs(store: StoreSpec, locations: [StoreLocation]) -> Set<String> {
        needs(store: store, locations: locations).locationIDs
    }

    /// ``locationIDs(store:locations:)`` and ``linkedWarehouses(store:locations:)`` in one pass
    /// over the store's locations: at 10,000 small stores, each pass was a tenth of their reading.
    public func needs(store: StoreSpec, locations: [StoreLocation]) -> (locationIDs: Set<String>, linkedWarehouses: Set<String>) {
        // Room for every connection's, made once: grown as they came, the tables were rehashed
        // over and over (a fifth of their reading for a store of 1,000 new links).
        var wanted = Set<String>(minimumCapacity: store.connections.count)
        var linked = Set<String>(minimumCapacity: linksStock ? store.connections.count : 0)
        forEachNeed(store: store, locations: locations) { id, connection in
            wanted.insert(id)
            if linksStock { linked.insert(store.connections[connection].warehouseKey) }
        }
        return (wanted, linked)
    }

    /// The state's warehouses whose stock the plan reads, once the stores' locations are known
    /// (`readings`, of the stores planned): those that a connection moving numbers links to (under
    /// their key in the state and in the config, as a rename moves the stock with the warehouse),
    /// and those the plan may delete (it says how many units would be lost). The same rule as
    /// ``locationIDs(store:locations:)``: where a name could match several locations, each counts.
    public func warehouses(stores: [StoreSpec], readings: [String: StoreReading]) -> [String] {
        var linked = Set<String>()
        for store in stores {
            guard case .read(let facts)? = readings[store.key] else { continue }
            linked.formUnion(linkedWarehouses(store: store, locations: facts.locations))
        }
        return warehouses(linkedTo: linked)
    }

    /// The warehouses (config keys) that `store`'s connections moving numbers link to, given its
    /// `locations`: one store's part of ``warehouses(stores:readings:)``, worked out while the
    /// stores are read (on the reading threads, not after them). None when the state has no
    /// warehouse, whose stock could be read.
    public func linkedWarehouses(store: StoreSpec, locations: [StoreLocation]) -> Set<String> {
        var linked = Set<String>()
        guard linksStock else { return linked }
        forEachNeed(store: store, locations: locations) { _, connection in
            linked.insert(store.connections[connection].warehouseKey)
        }
        return linked
    }

    /// ``warehouses(stores:readings:)`` from the stores' ``linkedWarehouses(store:locations:)`` together.
    public func warehouses(linkedTo linked: Set<String>) -> [String] {
        (linkedOnly(linked) + deletableWarehouses).sorted()
    }

    /// ``warehouses(linkedTo:)`` but for the ``deletableWarehouses``, sorted: what is left to read
    /// once the stores are read, when the deletable ones' stock was read meanwhile.
    public func undeletableWarehouses(linkedTo linked: Set<String>) -> [String] {
        linkedOnly(linked).sorted()
    }

    /// Whether a link can lead to stock to read: not when the state has no warehouse (a first
    /// plan), where ``linkedOnly(_:)`` keeps none of them, so none are collected (100,000 keys
    /// hashed for nothing at 100,000 new links).
    private var linksStock: Bool { !state.warehouses.isEmpty }

    /// The state's warehouses among `linked`, and their former keys, that are not deletable.
    private func linkedOnly(_ linked: Set<String>) -> [String] {
        var wanted = linked
        for key in linked { wanted.formUnion(formerKeys[key] ?? []) }
        return wanted.filter { state.warehouses[$0] != nil && !deletable.contains($0) }
    }

    /// Up to this many locations, a store's are searched one by one rather than put in tables.
    public static let searchedLocations = 16

    /// Calls `body` with the id of each of `locations` whose quantities the plan needs, and the
    /// position of the connection in `store.connections` that needs them.
    private func forEachNeed(store: StoreSpec, locations: [StoreLocation], _ body: (String, Int) -> Void) {
        // Positions, not copies of the locations; the locations of one name chained through
        // `sameName` rather than an array per name. A store of a few locations is searched
        // instead: at 10,000 stores of ten, making two tables a store cost more than the search.
        let searched = locations.count <= Self.searchedLocations
        var byID: [String: Int] = [:]
        var byName: [String: Int] = [:]
        var sameName: [Int] = []
        if !searched {
            byName.reserveCapacity(locations.count)
            sameName = [Int](repeating: -1, count: locations.count)
            // Locations by id only for a store whose connections name one (most name the location).
            if store.connections.contains(where: { $0.locationID != nil }) {
                byID.reserveCapacity(locations.count)
                for index in locations.indices { byID[locations[index].id] = index }
            }
            for index in locations.indices.reversed() {
                if let next = byName.updateValue(index, forKey: locations[index].name) { sameName[index] = next }
            }
        }
        /// The location of `name` after `index` (the first one for -1), as `byName` and `sameName` chain them; -1 for none.
        func nextNamed(_ name: String, after index: Int) -> Int {
            guard searched else { return index < 0 ? byName[name] ?? -1 : sameName[index] }
            var next = index + 1
            while next < locations.count, locations[next].name != name { next += 1 }
            return next < locations.count ? next : -1
        }
        // The connection's fields read where they are: a copy of each spec (a dozen strings and
        // positions) cost more than the lookups.
        let connections = store.connections
        for c in connections.indices {
            let locationID = connections[c].locationID
            var candidate: Int
            if let id = locationID {
                // The last location of an id, as `byID` keeps it.
                guard let found = searched ? locations.lastIndex(where: { $0.id == id }) : byID[id] else { continue }
                candidate = found
            } else {
                candidate = nextNamed(connections[c].locationName, after: -1)
            }
            while candidate >= 0 {
                let id = locations[candidate].id
                // A state with no connections (a first plan) is not searched for each.
                if !state.connections.isEmpty, let before = state.connections[ConnectionRecord.ID(store: store.key, locationID: id)] {
                    let warehouse = renames[before.warehouse] ?? before.warehouse
                    if before.master != connections[c].master || warehouse != connections[c].warehouseKey { body(id, c) }
                } else {
                    body(id, c)
                }
                candidate = locationID == nil ? nextNamed(connections[c].locationName, after: candidate) : -1
            }
        }
    }
}
