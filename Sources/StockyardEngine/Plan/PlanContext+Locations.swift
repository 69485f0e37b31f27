/// Resolving the config's connections to store locations, and the checks that need the stores.
extension PlanContext {
    /// Resolves each connection to a store location and runs the checks that need the stores.
    mutating func resolveConnections() {
        resolved.reserveCapacity(config.stores.reduce(0) { $0 + $1.connections.count })
        for (storeIndex, store) in config.stores.enumerated() where isSelected(store.key) {
            guard let reading = readings[store.key] else { continue }
            guard case .read(let facts) = reading else {
                if case .failed(let message, let at) = reading {
                    diagnostics.append(.error(.storeUnreadable, "store '\(store.key)' could not be read: \(message)", at: at ?? store.location))
                }
                continue
            }
            var ok = true
            let factsIndex = resolvedFacts.count
            resolvedFacts.append(facts)
            // Positions in `facts.locations`, not copies of the locations.
            let locations = facts.locations
            var byID: [String: Int] = [:]
            var byName: [String: Int] = [:]
            byID.reserveCapacity(locations.count)
            byName.reserveCapacity(locations.count)
            for (index, location) in locations.enumerated() {
                if byID[location.id] == nil { byID[location.id] = index }
                if let other = byName[location.name], locations[other].isActive || !location.isActive { continue }
                byName[location.name] = index
            }
            var claimed: [String: Int] = [:]
            claimed.reserveCapacity(store.connections.count)
            for (connectionIndex, spec) in store.connections.enumerated() {
                let found = spec.locationID.map { byID[$0] } ?? byName[spec.locationName]
                guard let locationIndex = found else {
                    ok = false
                    diagnostics.append(notFound(spec, in: store, facts: facts))
                    continue
                }
                let location = locations[locationIndex]
                if !location.isActive {
                    ok = false
                    diagnostics.append(
                        .error(
                            .locationInactive,
                            "location '\(location.name)' (\(location.id)) of store '\(store.key)' is inactive; reactivate it in the store or remove it from the config",
                            at: spec.location))
                    continue
                }
                if let first = claimed[location.id] {
                    ok = false
                    diagnostics.append(
                        .error(
                            .duplicateLocation,
                            "\(spec.displayName) and \(store.connections[first].displayName) are the same store location (\(location.id)); link it once",
                            at: spec.location))
                    continue
                }
                claimed[location.id] = connectionIndex
                resolved.append(Resolution(store: storeIndex, connection: connectionIndex, facts: factsIndex, location: locationIndex))
            }
            if ok { plannableStores.insert(store.key) }
            checkUnmanaged(store, facts: facts, claimed: claimed)
        }
        checkStoreFacts()
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
    private mutating func checkUnmanaged(_ store: StoreSpec, facts: StoreFacts, claimed: [String: Int]) {
        guard store.unmanagedLocations != .ignore else { return }
        let severity: Severity = store.unmanagedLocations == .error ? .error : .warning
        let names = facts.locations.filter { $0.isActive && claimed[$0.id] == nil }.map(\.name).sorted()
        guard !names.isEmpty else { return }
        let shown = names.prefix(10).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 10 ? " and \(names.count - 10) more" : "")
        diagnostics.append(
            Diagnostic(
                severity, .unmanagedLocation,
                "store '\(store.key)' has \(names.count) active location\(names.count == 1 ? "" : "s") not in the config: \(shown); link \(names.count == 1 ? "it" : "them") or set `unmanaged_locations: ignore`",
                at: store.location))
    }

    /// Fulfillment-service locations on own warehouses, and one building mapped to different warehouses.
    private mutating func checkStoreFacts() {
        // Warehouse kinds, only needed (and built) once a fulfillment-service location turns up.
        var kinds: [String: WarehouseKind]?
        // Address match key -> the first connection there, by position in `resolved`.
        var byAddress: [String: Int] = [:]
        byAddress.reserveCapacity(resolved.count)
        // Every linked location's address key, made on every core: a fifth of the planner's time.
        let (resolved, facts) = (resolved, resolvedFacts)
        let addressKeys = Parallel.map(resolved.count) { facts[resolved[$0].facts].locations[resolved[$0].location].address?.matchKey }
        for (index, r) in resolved.enumerated() {
            let location = location(r)
            if location.isFulfillmentService {
                kinds = kinds ?? Dictionary(config.warehouses.map { ($0.key, $0.kind) }, uniquingKeysWith: { a, _ in a })
            }
            if location.isFulfillmentService, kinds?[warehouseKey(r)] == .own {
                let spec = spec(r)
                diagnostics.append(
                    .warning(
                        .fulfillmentServiceOnOwn,
                        "\(spec.displayName) is run by a fulfillment service (a 3PL app) but links to own warehouse '\(spec.warehouseKey)'; link it to a `kind: 3pl` warehouse on store master",
                        at: spec.warehouseLocation))
            }
            guard let key = addressKeys[index] else { continue }
            if let otherIndex = byAddress[key] {
                let o = resolved[otherIndex]
                if storeKey(o) != storeKey(r), warehouseKey(o) != warehouseKey(r) {
                    let spec = self.spec(r)
                    let other = self.spec(o)
                    diagnostics.append(
                        .warning(
                            .sharedAddress,
                            "\(spec.displayName) is at the same address as \(other.displayName) (\(location.address!.oneLine)), which links to warehouse '\(other.warehouseKey)'; if they are one building, link this location to '\(other.warehouseKey)' too",
                            at: spec.warehouseLocation))
                }
            } else {
                byAddress[key] = index
            }
        }
    }
}
