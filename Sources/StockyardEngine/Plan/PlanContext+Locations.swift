/// Resolving the config's connections to store locations, and the checks that need the stores.
extension PlanContext {
    /// Resolves each connection to a store location and runs the checks that need the stores.
    ///
    /// Each store's connections are resolved against its locations on every core (a store needs
    /// nothing of another's), then taken in config order: positions, plannable stores and every
    /// diagnostic come out as one store after another gave them, and the few "nearest" lists a
    /// missing location gets are handed out in that order too.
    mutating func resolveConnections() {
        resolved.reserveCapacity(config.stores.reduce(0) { $0 + $1.connections.count })
        let read: [(store: Int, facts: StoreFacts)] = config.stores.indices.compactMap { index in
            guard isSelected(config.stores[index].key), case .read(let facts)? = readings[config.stores[index].key] else { return nil }
            return (index, facts)
        }
        let stores = config.stores
        let matched = Parallel.map(read.count, chunk: 4) { Self.match(stores[read[$0].store], facts: read[$0].facts) }
        var next = 0
        for (storeIndex, store) in config.stores.enumerated() where isSelected(store.key) {
            guard let reading = readings[store.key] else { continue }
            guard case .read(let facts) = reading else {
                if case .failed(let message, let at) = reading {
                    diagnostics.append(.error(.storeUnreadable, "store '\(store.key)' could not be read: \(message)", at: at ?? store.location))
                }
                continue
            }
            let match = matched[next]
            next += 1
            let factsIndex = resolvedFacts.count
            resolvedFacts.append(facts)
            for outcome in match.outcomes {
                switch outcome {
                case .found(let connection, let location):
                    resolved.append(Resolution(store: storeIndex, connection: connection, facts: factsIndex, location: location))
                case .notFound(let connection):
                    diagnostics.append(notFound(store.connections[connection], in: store, facts: facts))
                case .refused(let diagnostic):
                    diagnostics.append(diagnostic)
                }
            }
            if match.ok { plannableStores.insert(store.key) }
            if let unmanaged = match.unmanaged { diagnostics.append(unmanaged) }
        }
    }

    /// One store's connections against its locations, in connection order.
    struct StoreMatch {
        enum Outcome {
            case found(connection: Int, location: Int)
            /// No location of that id or name (its message may list the nearest names).
            case notFound(connection: Int)
            /// Inactive, or linked twice.
            case refused(Diagnostic)
        }
        var outcomes: [Outcome] = []
        var unmanaged: Diagnostic?
        /// Every connection found a location of its own.
        var ok: Bool {
            outcomes.allSatisfy {
                if case .found = $0 { return true }
                return false
            }
        }
    }

    static func match(_ store: StoreSpec, facts: StoreFacts) -> StoreMatch {
        var match = StoreMatch()
        match.outcomes.reserveCapacity(store.connections.count)
        // Positions in `facts.locations`, not copies of the locations.
        let locations = facts.locations
        var byID: [String: Int] = [:]
        var byName: [String: Int] = [:]
        // Fields read in place, by index: a copy of each location and connection (a dozen strings
        // each) cost more than the lookups at 10,000 stores. A store of a few locations is
        // searched instead of put in tables (``QuantityNeeds/searchedLocations``).
        let searched = locations.count <= QuantityNeeds.searchedLocations
        if !searched {
            // Locations by id only for a store whose connections name one (most name the location).
            let byIDNeeded = store.connections.contains { $0.locationID != nil }
            if byIDNeeded { byID.reserveCapacity(locations.count) }
            byName.reserveCapacity(locations.count)
            for index in locations.indices {
                if byIDNeeded, byID[locations[index].id] == nil { byID[locations[index].id] = index }
                if let other = byName[locations[index].name], locations[other].isActive || !locations[index].isActive { continue }
                byName[locations[index].name] = index
            }
        }
        /// The first location of the id; of the name, the first active one, else the first.
        func location(id: String?, name: String) -> Int? {
            guard searched else { return id.map { byID[$0] } ?? byName[name] }
            if let id { return locations.firstIndex { $0.id == id } }
            return locations.firstIndex { $0.name == name && $0.isActive } ?? locations.firstIndex { $0.name == name }
        }
        var claimed: [String: Int] = [:]
        claimed.reserveCapacity(store.connections.count)
        let connections = store.connections
        for connectionIndex in connections.indices {
            let found = location(id: connections[connectionIndex].locationID, name: connections[connectionIndex].locationName)
            guard let locationIndex = found else {
                match.outcomes.append(.notFound(connection: connectionIndex))
                continue
            }
            guard locations[locationIndex].isActive, claimed[locations[locationIndex].id] == nil else {
                match.outcomes.append(.refused(refusal(store, connection: connectionIndex, location: locations[locationIndex], claimed: claimed)))
                continue
            }
            claimed[locations[locationIndex].id] = connectionIndex
            match.outcomes.append(.found(connection: connectionIndex, location: locationIndex))
        }
        match.unmanaged = unmanaged(store, facts: facts, claimed: claimed)
        return match
    }

    /// Why a connection cannot have the location it names: inactive, or linked by another already.
    private static func refusal(_ store: StoreSpec, connection connectionIndex: Int, location: StoreLocation, claimed: [String: Int]) -> Diagnostic {
        let spec = store.connections[connectionIndex]
        guard location.isActive else {
            return .error(
                .locationInactive,
                "location '\(location.name)' (\(location.id)) of store '\(store.key)' is inactive; reactivate it in the store or remove it from the config",
                at: spec.location)
        }
        let first = claimed[location.id] ?? connectionIndex
        return .error(
            .duplicateLocation,
            "\(spec.displayName) and \(store.connections[first].displayName) are the same store location (\(location.id)); link it once",
            at: spec.location)
    }

    /// The first few missing locations get the nearest names (`Suggestions.Budget` says why only those).
    private mutating func notFound(_ spec: ConnectionSpec, in store: StoreSpec, facts: StoreFacts) -> Diagnostic {
        if let id = spec.locationID {
            return .error(.locationNotFound, "store '\(store.key)' has no location with id '\(id)'", at: spec.idLocation ?? spec.location)
        }
        guard locationSuggestionsLeft > 0 else {
            return .error(.locationNotFound, "store '\(store.key)' has no location named '\(spec.locationName)'", at: spec.location)
        }
        locationSuggestionsLeft -= 1
        let names = facts.locations.map(\.name)
        let near = Suggestions.nearest(to: spec.locationName, in: names)
        var message = "store '\(store.key)' has no location named '\(spec.locationName)'"
        if !near.isEmpty {
            message += "; nearest: " + near.map { "'\($0)'" }.joined(separator: ", ")
        } else if !names.isEmpty {
            message += "; it has: " + names.sorted().prefix(5).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 5 ? ", …" : "")
        }
        return .error(.locationNotFound, message, at: spec.location)
    }

    /// `claimed`: location id -> the connection (by position in the store) that links it.
    private static func unmanaged(_ store: StoreSpec, facts: StoreFacts, claimed: [String: Int]) -> Diagnostic? {
        guard store.unmanagedLocations != .ignore else { return nil }
        let severity: Severity = store.unmanagedLocations == .error ? .error : .warning
        let locations = facts.locations
        let names = locations.indices.filter { locations[$0].isActive && claimed[locations[$0].id] == nil }.map { locations[$0].name }.sorted()
        guard !names.isEmpty else { return nil }
        let shown = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
        return Diagnostic(
            severity, .unmanagedLocation,
            "store '\(store.key)' has \(names.count) active location\(names.count == 1 ? "" : "s") not in the config: \(shown); link \(names.count == 1 ? "it" : "them") or set `unmanaged_locations: ignore`",
            at: store.location)
    }

    /// Fulfillment-service locations on own warehouses, and one building mapped to different warehouses.
    /// After ``resolveConnections()``: it plans nothing, so it runs beside the connections' planning.
    mutating func checkStoreFacts() {
        // Warehouse kinds, only needed (and built) once a fulfillment-service location turns up.
        var kinds: [String: WarehouseKind]?
        // Address match key -> the first connection there, by position in `resolved`.
        var byAddress: [String: Int] = [:]
        byAddress.reserveCapacity(resolved.count)
        // Every linked location's address key, made on every core: a fifth of the planner's time.
        let (resolved, facts) = (resolved, resolvedFacts)
        let seen = Parallel.map(resolved.count) { index in
            // The two fields read in place: a copy of the whole location (a dozen strings) cost
            // as much as making the key.
            let (f, l) = (resolved[index].facts, resolved[index].location)
            return (addressKey: facts[f].locations[l].address?.matchKey, fulfillmentService: facts[f].locations[l].isFulfillmentService)
        }
        for (index, r) in resolved.enumerated() {
            let (addressKey, fulfillmentService) = seen[index]
            if fulfillmentService {
                kinds = kinds ?? Dictionary(config.warehouses.map { ($0.key, $0.kind) }, uniquingKeysWith: { a, _ in a })
            }
            if fulfillmentService, kinds?[warehouseKey(r)] == .own {
                let spec = spec(r)
                diagnostics.append(
                    .warning(
                        .fulfillmentServiceOnOwn,
                        "\(spec.displayName) is run by a fulfillment service (a 3PL app) but links to own warehouse '\(spec.warehouseKey)'; link it to a `kind: 3pl` warehouse on store master",
                        at: spec.warehouseLocation))
            }
            guard let key = addressKey else { continue }
            if let otherIndex = byAddress[key] {
                let o = resolved[otherIndex]
                if storeKey(o) != storeKey(r), warehouseKey(o) != warehouseKey(r) {
                    let spec = self.spec(r)
                    let other = self.spec(o)
                    diagnostics.append(
                        .warning(
                            .sharedAddress,
                            "\(spec.displayName) is at the same address as \(other.displayName) (\(location(r).address!.oneLine)), which links to warehouse '\(other.warehouseKey)'; if they are one building, link this location to '\(other.warehouseKey)' too",
                            at: spec.warehouseLocation))
                }
            } else {
                byAddress[key] = index
            }
        }
    }
}
