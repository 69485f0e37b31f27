/// The part of the topology a plan changes.
extension Topology {
    /// Every warehouse the plan touches and every connection into them: the changed ones marked
    /// (added, removed, master switch, changed; `overwrites` where the change overwrites stock
    /// numbers), the unchanged ones from the plan's neighbourhood as context. A connection moved to
    /// another warehouse is drawn as a removed edge and an added one. Stores are the clusters of
    /// the locations those connections link.
    public static func changes(of plan: Plan) -> Topology {
        var warehouses: [String: Warehouse] = [:]
        var renamed: [String: String] = [:]
        var storeMarks: [String: (mark: Mark, platform: String)] = [:]
        for change in plan.changes {
            switch (change.before, change.after) {
            case (.warehouse(let old)?, .warehouse(let new)?):
                if old.key != new.key { renamed[old.key] = new.key }
                warehouses[new.key] = Warehouse(key: new.key, name: new.name, code: new.code, kind: new.kind, mark: .changed)
            case (nil, .warehouse(let new)?):
                warehouses[new.key] = Warehouse(key: new.key, name: new.name, code: new.code, kind: new.kind, mark: .added)
            case (.warehouse(let old)?, nil):
                warehouses[old.key] = Warehouse(key: old.key, name: old.name, code: old.code, kind: old.kind, mark: .removed)
            case (nil, .store(let new)?): storeMarks[new.key] = (.added, new.platform.rawValue)
            case (.store(let old)?, nil): storeMarks[old.key] = (.removed, old.platform.rawValue)
            case (_, .store(let new)?): storeMarks[new.key] = (.changed, new.platform.rawValue)
            default: break
            }
        }
        for w in plan.neighbourhood.warehouses where warehouses[w.key] == nil {
            warehouses[w.key] = Warehouse(key: w.key, name: w.name, code: w.code, kind: w.kind)
        }

        // Edges before they are placed: the connection, the warehouse key, the mark.
        var edges: [(record: ConnectionRecord, warehouse: String, mark: Mark?, overwrites: Bool)] = []
        for change in plan.changes {
            let overwrites = change.risk == .inventoryOverwrite
            switch (change.before, change.after) {
            case (nil, .connection(let new)?):
                edges.append((new, new.warehouse, .added, overwrites))
            case (.connection(let old)?, nil):
                edges.append((old, renamed[old.warehouse] ?? old.warehouse, .removed, false))
            case (.connection(let old)?, .connection(let new)?):
                let from = renamed[old.warehouse] ?? old.warehouse
                if from != new.warehouse {
                    edges.append((old, from, .removed, false))
                    edges.append((new, new.warehouse, .added, overwrites))
                } else {
                    edges.append((new, new.warehouse, old.master != new.master ? .masterSwitch : .changed, overwrites))
                }
            default: break
            }
        }
        for c in plan.neighbourhood.connections { edges.append((c, c.warehouse, nil, false)) }

        var topology = Topology()
        var warehouseIndex: [String: Int] = [:]
        for e in edges where warehouses[e.warehouse] == nil { warehouses[e.warehouse] = Warehouse(key: e.warehouse) }
        for key in warehouses.keys.sorted() {
            warehouseIndex[key] = topology.warehouses.count
            topology.warehouses.append(warehouses[key]!)
        }
        // Stores and their locations, by key and by (name, id); a location's name from its newest record.
        var names: [String: [String: String]] = [:]
        for e in edges where e.mark != .removed || names[e.record.store]?[e.record.locationID] == nil {
            names[e.record.store, default: [:]][e.record.locationID] = e.record.locationName
        }
        var refs: [String: [String: LocationRef]] = [:]
        for (s, key) in names.keys.sorted().enumerated() {
            // (name, id) pairs sorted as they are: a comparator looking names up cost a tenth of a
            // 10,000-change comment.
            let locations = names[key]!.map { (name: $0.value, id: $0.key) }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
            var store = Store(key: key, detail: storeMarks[key]?.platform ?? "", mark: storeMarks[key]?.mark)
            var positions: [String: LocationRef] = [:]
            positions.reserveCapacity(locations.count)
            for (l, location) in locations.enumerated() {
                store.locations.append(Location(name: location.name))
                positions[location.id] = LocationRef(store: s, location: l)
            }
            refs[key] = positions
            topology.stores.append(store)
        }
        for e in edges {
            topology.links.append(
                Link(
                    location: refs[e.record.store]![e.record.locationID]!, warehouse: warehouseIndex[e.warehouse]!, master: e.record.master,
                    mark: e.mark, overwrites: e.overwrites))
        }
        topology.links.sort { ($0.location, $0.warehouse, $0.mark == .removed ? 0 : 1) < ($1.location, $1.warehouse, $1.mark == .removed ? 0 : 1) }
        return topology
    }

    /// The topology of only the given warehouses (positions), the links into them and the stores'
    /// locations those links need; address hints are left out.
    public func keeping(warehouses kept: [Int]) -> Topology {
        let keptSet = Set(kept)
        var newWarehouse: [Int: Int] = [:]
        var out = Topology()
        for w in kept.sorted() {
            newWarehouse[w] = out.warehouses.count
            out.warehouses.append(warehouses[w])
        }
        let links = self.links.filter { keptSet.contains($0.warehouse) }
        let used = Set(links.map(\.location))
        var newRef: [LocationRef: LocationRef] = [:]
        for (s, store) in stores.enumerated() {
            var copy = store
            copy.locations = []
            for (l, location) in store.locations.enumerated() where used.contains(LocationRef(store: s, location: l)) {
                newRef[LocationRef(store: s, location: l)] = LocationRef(store: out.stores.count, location: copy.locations.count)
                copy.locations.append(location)
            }
            if !copy.locations.isEmpty { out.stores.append(copy) }
        }
        out.links = links.map { link in
            var link = link
            link.location = newRef[link.location]!
            link.warehouse = newWarehouse[link.warehouse]!
            return link
        }
        return out
    }
}
