/// The checks of a config that need no store: references, uniqueness, and what each master means.
public enum ConfigChecks {
    /// Every problem in the config, unsorted. Warnings whose rule is in the config's `lint.ignore`
    /// are not built at all (callers drop them anyway; a config that silences a rule it breaks at
    /// every connection would otherwise pay for 100,000 messages nobody reads).
    /// `alsoDefined` names warehouses written in the file but dropped for errors of their own, so
    /// that a typo in one warehouse is reported once, not again at every connection to it.
    ///
    /// Specs are looked up by their position in `config`, never copied into dictionaries: a copy of
    /// a spec retains a dozen strings, and at 100,000 connections those copies were a third of the
    /// time of this function.
    public static func run(
        _ config: DesiredConfig, today: Day, alsoDefined: Set<String> = [], alsoLinked: Set<String> = []
    ) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let silenced = config.lintIgnore
        let warehouses = config.warehouses
        // The first warehouse written under each key.
        var warehouseIndex: [String: Int] = [:]
        warehouseIndex.reserveCapacity(warehouses.count)
        // Loops here go by index and read single fields: `for spec in` copies each spec, a dozen
        // retains and releases, which was a third of validate's own time at 100,000 connections.
        // `first[w]`: the index `warehouseIndex` gives warehouse w's key, found with one hash each.
        var first = [Int](repeating: 0, count: warehouses.count)
        for index in warehouses.indices {
            first[index] = Self.value(of: &warehouseIndex[warehouses[index].key, default: index])
        }

        checkCodes(warehouses, into: &out)
        checkRenames(warehouses, keys: warehouseIndex, into: &out)
        // Each connection's warehouse by its index (-1: not defined), store by store, found on
        // every core: the passes below, in order, then hash no key (alone on one core, they were
        // a tenth of a validate at 100,000 connections).
        let keys = warehouseIndex
        let warehouseOf = Parallel.map(config.stores.count, chunk: 1) { store in
            config.stores[store].connections.map { keys[$0.warehouseKey] ?? -1 }
        }

        // By warehouse index: linked at all, and the first store-master connection into it.
        var suggestions = Suggestions.Budget { warehouses.map(\.key) }
        var linked = [Bool](repeating: false, count: warehouses.count)
        var storeMaster = [ConnectionPosition?](repeating: nil, count: warehouses.count)
        for storeIndex in config.stores.indices {
            let connections = config.stores[storeIndex].connections
            var pinned: [String: Int] = [:]
            for connectionIndex in connections.indices {
                if let id = connections[connectionIndex].locationID {
                    let connection = connections[connectionIndex]
                    if let firstIndex = pinned[id] {
                        let first = connections[firstIndex]
                        out.append(
                            .error(
                                .duplicateLocation,
                                "location id '\(id)' is already used by \(first.displayName) at line \(first.location.line); one store location can link to one warehouse only",
                                at: connection.idLocation ?? connection.location))
                    } else {
                        pinned[id] = connectionIndex
                    }
                }
                let index = warehouseOf[storeIndex][connectionIndex]
                guard index >= 0 else {
                    let connection = connections[connectionIndex]
                    if alsoDefined.contains(connection.warehouseKey) { continue }
                    out.append(
                        .error(
                            .undefinedWarehouse,
                            "warehouse '\(connection.warehouseKey)' is not defined under `warehouses:`"
                                + suggestions.didYouMean(connection.warehouseKey),
                            at: connection.warehouseLocation))
                    continue
                }
                linked[index] = true
                // The kind and key, not a copy of the whole spec for every connection.
                checkMaster(
                    connections, connectionIndex, kind: warehouses[index].kind, warehouses: warehouses, index, today: today, silenced: silenced, into: &out)
                if connections[connectionIndex].master == .store {
                    if let first = storeMaster[index] {
                        let connection = connections[connectionIndex]
                        let firstConnection = config.stores[first.store].connections[first.connection]
                        out.append(
                            .error(
                                .twoStoreMasters,
                                "\(firstConnection.displayName) and \(connection.displayName) are both on store master into warehouse '\(warehouses[index].key)': two sources of truth for the same stock; keep one on store master and put the other on stockyard master, or link it to its own warehouse",
                                at: connection.masterLocation ?? connection.location))
                    } else {
                        storeMaster[index] = ConnectionPosition(store: storeIndex, connection: connectionIndex)
                    }
                }
            }
        }

        // A store master owns the count: stockyard-master locations on the same warehouse only mirror it.
        if !silenced.contains(.storeMasterShared) {
            for store in config.stores.indices {
                let connections = config.stores[store].connections
                for c in connections.indices where connections[c].master == .stockyard {
                    let index = warehouseOf[store][c]
                    guard index >= 0, let position = storeMaster[index] else { continue }
                    let connection = connections[c]
                    let source = config.stores[position.store].connections[position.connection]
                    out.append(
                        .warning(
                            .storeMasterShared,
                            "warehouse '\(connection.warehouseKey)' is on store master from \(source.displayName), so \(connection.displayName) only mirrors its numbers: sales there are not taken off the count until \(source.displayName) switches to `master: stockyard` (sync across stores needs stockyard master on every location)",
                            at: connection.masterLocation ?? connection.location))
                }
            }
        }

        if !silenced.contains(.unusedWarehouse) {
            for w in warehouses.indices where !linked[first[w]] && !alsoLinked.contains(warehouses[w].key) {
                out.append(
                    .warning(
                        .unusedWarehouse, "warehouse '\(warehouses[w].key)' is not linked to any store location", at: warehouses[w].location))
            }
        }
        return out
    }

    /// The value behind `dictionary[key, default: value]`, which that access inserts when the key is new.
    private static func value(of entry: inout Int) -> Int { entry }

    /// Where a connection is written: `config.stores[store].connections[connection]`.
    private struct ConnectionPosition {
        var store: Int
        var connection: Int
    }

    /// Reads the connection and the warehouse key only when there is something to say.
    private static func checkMaster(
        _ connections: [ConnectionSpec], _ index: Int, kind: WarehouseKind, warehouses: [WarehouseSpec], _ warehouse: Int, today: Day,
        silenced: Set<RuleID>, into out: inout [Diagnostic]
    ) {
        switch (connections[index].master, kind) {
        case (.stockyard, .own), (.store, .thirdParty): return
        default: break
        }
        let c = connections[index]
        let key = warehouses[warehouse].key
        let at = c.masterLocation ?? c.location
        switch (c.master, kind) {
        case (.stockyard, .thirdParty):
            guard !silenced.contains(.thirdPartyOnStockyardMaster) else { return }
            out.append(
                .warning(
                    .thirdPartyOnStockyardMaster,
                    "\(c.displayName) links 3PL warehouse '\(key)' on stockyard master: the 3PL updates stock in the store, and Stockyard would overwrite its numbers; use `master: store`",
                    at: at))
        case (.store, .own):
            if let until = c.testingUntil {
                if until < today, !silenced.contains(.storeMasterTrialEnded) {
                    out.append(
                        .warning(
                            .storeMasterTrialEnded,
                            "the store-master trial of \(c.displayName) ended on \(until): switch own warehouse '\(key)' to `master: stockyard`, or extend `testing_until`",
                            at: c.location))
                }
            } else if !silenced.contains(.ownOnStoreMaster) {
                out.append(
                    .warning(
                        .ownOnStoreMaster,
                        "\(c.displayName) keeps own warehouse '\(key)' on store master: that blocks adjustments, stocktakes, transfers and bundles; switch to `master: stockyard`, or mark a trial with `testing_until: YYYY-MM-DD`",
                        at: at))
            }
        default:
            break
        }
    }

    private static func checkCodes(_ warehouses: [WarehouseSpec], into out: inout [Diagnostic]) {
        var seen: [String: Int] = [:]
        seen.reserveCapacity(warehouses.count)
        for index in warehouses.indices {
            guard let code = warehouses[index].code else { continue }
            let folded = uppercased(code)
            if let firstIndex = seen[folded] {
                let warehouse = warehouses[index]
                let first = warehouses[firstIndex]
                out.append(
                    .error(
                        .duplicateCode,
                        "code '\(code)' is already used by warehouse '\(first.key)' at line \((first.codeLocation ?? first.location).line); codes must be unique",
                        at: warehouse.codeLocation ?? warehouse.location))
            } else {
                seen[folded] = index
            }
        }
    }

    /// `code.uppercased()`, without the Unicode case mapping for the codes the config language
    /// allows (ASCII letters, digits, '-' and '_'): already upper case, they are returned as they are.
    static func uppercased(_ code: String) -> String {
        if code.utf8.allSatisfy({ $0 < 0x80 && !(0x61...0x7A).contains($0) }) { return code }
        return code.uppercased()
    }

    private static func checkRenames(_ warehouses: [WarehouseSpec], keys: [String: Int], into out: inout [Diagnostic]) {
        var claimed: [String: String] = [:]
        for w in warehouses.indices where !warehouses[w].formerly.isEmpty {
            let warehouse = warehouses[w]
            for (index, old) in warehouse.formerly.enumerated() {
                let at = index < warehouse.formerlyLocations.count ? warehouse.formerlyLocations[index] : warehouse.location
                if keys[old] != nil {
                    out.append(
                        .error(
                            .renameConflict, "warehouse '\(warehouse.key)' was formerly '\(old)', but '\(old)' is still defined", at: at))
                } else if let other = claimed[old], other != warehouse.key {
                    out.append(
                        .error(
                            .renameConflict, "'\(old)' is named in `formerly` of both '\(other)' and '\(warehouse.key)'", at: at))
                } else {
                    claimed[old] = warehouse.key
                }
            }
        }
    }
}
