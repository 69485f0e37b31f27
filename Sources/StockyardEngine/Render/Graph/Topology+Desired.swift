/// The topology the config describes, and what the hub holds.
extension Topology {
    /// The config's stores, warehouses and connections. Where `readings` has a store's locations,
    /// its locations the config leaves out are drawn too (greyed: unmanaged, or inactive; none for
    /// a store with `unmanaged_locations: ignore`), and so are the `shared-address` hints. A store
    /// without a reading is drawn from the config alone; one that failed says so in its title.
    /// `selected` limits the drawing to those stores and the warehouses they link to.
    public static func desired(_ config: DesiredConfig, readings: [String: StoreReading] = [:], selected: Set<String>? = nil) -> Topology {
        let specs = config.stores.filter { selected?.contains($0.key) ?? true }
        var warehouseSpecs = config.warehouses
        if selected != nil {
            let linked = Set(specs.flatMap { $0.connections.map(\.warehouseKey) })
            warehouseSpecs.removeAll { !linked.contains($0.key) }
        }
        var topology = Topology()
        var warehouseIndex: [String: Int] = [:]
        for spec in warehouseSpecs.sorted(by: { $0.key < $1.key }) where warehouseIndex[spec.key] == nil {
            warehouseIndex[spec.key] = topology.warehouses.count
            topology.warehouses.append(Warehouse(key: spec.key, name: spec.name, code: spec.code, kind: spec.kind))
        }

        // Per connection: where its location is drawn, its warehouse, and its store location's
        // address; by the store's position in the config, as the planner's check goes through them.
        var drawn: [(written: Int, ref: LocationRef, warehouse: String, address: String?)] = []
        let written = Dictionary(specs.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { a, _ in a })
        for (storeIndex, spec) in specs.sorted(by: { $0.key < $1.key }).enumerated() {
            var detail = spec.platform.rawValue
            var facts: StoreFacts?
            switch readings[spec.key] {
            case .read(let f)?: facts = f
            case .failed?: detail += " · could not be read"
            case nil: break
            }
            let lookup = facts.map { LocationLookup($0.locations) }
            var resolved: [StoreLocation?] = []
            var nodes: [(location: Location, id: String, connection: Int?)] = []
            var claimed = Set<String>()
            for (connectionIndex, connection) in spec.connections.enumerated() {
                let found = lookup?.resolve(connection)
                resolved.append(found)
                if let found { claimed.insert(found.id) }
                let status: LocationStatus = found?.isActive == false ? .inactive : .linked
                nodes.append((Location(name: connection.locationName, status: status), found?.id ?? connection.locationID ?? "", connectionIndex))
            }
            if let facts, spec.unmanagedLocations != .ignore {
                for location in facts.locations where !claimed.contains(location.id) {
                    nodes.append((Location(name: location.name, status: location.isActive ? .unmanaged : .inactive), location.id, nil))
                }
            }
            // By name, then id: the order a reader scans, and the same whatever order the store answered in.
            let order = nodes.indices.sorted { a, b in
                (nodes[a].location.name, nodes[a].id, nodes[a].connection ?? Int.max) < (nodes[b].location.name, nodes[b].id, nodes[b].connection ?? Int.max)
            }
            var positionOfConnection: [Int: Int] = [:]
            var store = Store(key: spec.key, detail: detail)
            for index in order {
                if let c = nodes[index].connection { positionOfConnection[c] = store.locations.count }
                store.locations.append(nodes[index].location)
            }
            topology.stores.append(store)
            for (connectionIndex, connection) in spec.connections.enumerated() {
                let ref = LocationRef(store: storeIndex, location: positionOfConnection[connectionIndex]!)
                if let w = warehouseIndex[connection.warehouseKey] {
                    topology.links.append(Link(location: ref, warehouse: w, master: connection.master))
                }
                let address = resolved[connectionIndex].flatMap { $0.isActive ? $0.address?.matchKey : nil }
                drawn.append((written[spec.key]!, ref, connection.warehouseKey, address))
            }
        }
        topology.links.sort { ($0.location, $0.warehouse) < ($1.location, $1.warehouse) }
        // A stable sort: within a store, the connections stay in the order written.
        let inConfigOrder = drawn.enumerated().sorted { ($0.element.written, $0.offset) < ($1.element.written, $1.offset) }.map(\.element)
        topology.sameAddress = sameAddressHints(inConfigOrder.map { ($0.ref, $0.warehouse, $0.address) })
        return topology
    }

    /// Finds the store location a connection names, as the planner does: by its pinned id, else by
    /// name, an active location before an inactive one of the same name.
    struct LocationLookup {
        var byID: [String: StoreLocation] = [:]
        var byName: [String: StoreLocation] = [:]

        init(_ locations: [StoreLocation]) {
            for location in locations {
                if byID[location.id] == nil { byID[location.id] = location }
                if let other = byName[location.name], other.isActive || !location.isActive { continue }
                byName[location.name] = location
            }
        }

        func resolve(_ connection: ConnectionSpec) -> StoreLocation? {
            connection.locationID.map { byID[$0] } ?? byName[connection.locationName]
        }
    }

    /// The pairs the `shared-address` check warns about: a connection at the same address as the
    /// first connection seen there, in another store and linked to another warehouse.
    static func sameAddressHints(_ drawn: [(ref: LocationRef, warehouse: String, address: String?)]) -> [SameAddress] {
        var first: [String: Int] = [:]
        var hints: [SameAddress] = []
        for (index, item) in drawn.enumerated() {
            guard let key = item.address else { continue }
            guard let other = first[key] else {
                first[key] = index
                continue
            }
            let o = drawn[other]
            if o.ref.store != item.ref.store, o.warehouse != item.warehouse {
                hints.append(SameAddress(min(o.ref, item.ref), max(o.ref, item.ref)))
            }
        }
        return hints.sorted { ($0.first, $0.second) < ($1.first, $1.second) }
    }

    /// What the hub's state holds: its stores, warehouses and connections (no store is read, so no
    /// greyed locations and no address hints). `selected` as in `desired`.
    public static func held(_ state: HubState, selected: Set<String>? = nil) -> Topology {
        let connections = state.connections.values.filter { selected?.contains($0.store) ?? true }
        var storeKeys = Set(connections.map(\.store))
        for key in state.stores.keys where selected?.contains(key) ?? true { storeKeys.insert(key) }
        var warehouseKeys = Set(connections.map(\.warehouse))
        if selected == nil { warehouseKeys.formUnion(state.warehouses.keys) }

        var topology = Topology()
        var warehouseIndex: [String: Int] = [:]
        for key in warehouseKeys.sorted() {
            warehouseIndex[key] = topology.warehouses.count
            let record = state.warehouses[key]
            topology.warehouses.append(Warehouse(key: key, name: record?.name, code: record?.code, kind: record?.kind))
        }
        let byStore = Dictionary(grouping: connections, by: \.store)
        for (storeIndex, key) in storeKeys.sorted().enumerated() {
            let records = (byStore[key] ?? []).sorted { ($0.locationName, $0.locationID) < ($1.locationName, $1.locationID) }
            var store = Store(key: key, detail: state.stores[key]?.platform.rawValue ?? "not registered")
            for (position, record) in records.enumerated() {
                store.locations.append(Location(name: record.locationName))
                topology.links.append(
                    Link(location: LocationRef(store: storeIndex, location: position), warehouse: warehouseIndex[record.warehouse]!, master: record.master))
            }
            topology.stores.append(store)
        }
        return topology
    }
}
