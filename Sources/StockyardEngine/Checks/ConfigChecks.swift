/// The checks of a config that need no store: references, uniqueness, and what each master means.
public enum ConfigChecks {
    /// Every problem in the config, unsorted, before `lint.ignore` is applied.
    /// `alsoDefined` names warehouses written in the file but dropped for errors of their own, so
    /// that a typo in one warehouse is reported once, not again at every connection to it.
    public static func run(
        _ config: DesiredConfig, today: Day, alsoDefined: Set<String> = [], alsoLinked: Set<String> = []
    ) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let warehouses = Dictionary(config.warehouses.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let warehouseKeys = config.warehouses.map(\.key)

        checkCodes(config, into: &out)
        checkRenames(config, into: &out)

        var linked = Set<String>()
        var storeMasters: [String: ConnectionSpec] = [:]
        for store in config.stores {
            var pinned: [String: ConnectionSpec] = [:]
            for connection in store.connections {
                if let id = connection.locationID {
                    if let first = pinned[id] {
                        out.append(.error(
                            .duplicateLocation,
                            "location id '\(id)' is already used by \(first.displayName) at line \(first.location.line); one store location can link to one warehouse only",
                            at: connection.idLocation ?? connection.location))
                    } else {
                        pinned[id] = connection
                    }
                }
                guard let warehouse = warehouses[connection.warehouseKey] else {
                    if alsoDefined.contains(connection.warehouseKey) { continue }
                    out.append(.error(
                        .undefinedWarehouse,
                        "warehouse '\(connection.warehouseKey)' is not defined under `warehouses:`"
                            + Suggestions.didYouMean(connection.warehouseKey, in: warehouseKeys),
                        at: connection.warehouseLocation))
                    continue
                }
                linked.insert(warehouse.key)
                checkMaster(connection, warehouse, today: today, into: &out)
                if connection.master == .store {
                    if let first = storeMasters[warehouse.key] {
                        out.append(.error(
                            .twoStoreMasters,
                            "\(first.displayName) and \(connection.displayName) are both on store master into warehouse '\(warehouse.key)': two sources of truth for the same stock; keep one on store master and put the other on stockyard master, or link it to its own warehouse",
                            at: connection.masterLocation ?? connection.location))
                    } else {
                        storeMasters[warehouse.key] = connection
                    }
                }
            }
        }

        // A store master owns the count: stockyard-master locations on the same warehouse only mirror it.
        for connection in config.connections where connection.master == .stockyard {
            guard let source = storeMasters[connection.warehouseKey] else { continue }
            out.append(.warning(
                .storeMasterShared,
                "warehouse '\(connection.warehouseKey)' is on store master from \(source.displayName), so \(connection.displayName) only mirrors its numbers: sales there are not taken off the count until \(source.displayName) switches to `master: stockyard` (sync across stores needs stockyard master on every location)",
                at: connection.masterLocation ?? connection.location))
        }

        for warehouse in config.warehouses where !linked.contains(warehouse.key) && !alsoLinked.contains(warehouse.key) {
            out.append(.warning(
                .unusedWarehouse, "warehouse '\(warehouse.key)' is not linked to any store location", at: warehouse.location))
        }
        return out
    }

    private static func checkMaster(_ c: ConnectionSpec, _ w: WarehouseSpec, today: Day, into out: inout [Diagnostic]) {
        let at = c.masterLocation ?? c.location
        switch (c.master, w.kind) {
        case (.stockyard, .thirdParty):
            out.append(.warning(
                .thirdPartyOnStockyardMaster,
                "\(c.displayName) links 3PL warehouse '\(w.key)' on stockyard master: the 3PL updates stock in the store, and Stockyard would overwrite its numbers; use `master: store`",
                at: at))
        case (.store, .own):
            if let until = c.testingUntil {
                if until < today {
                    out.append(.warning(
                        .storeMasterTrialEnded,
                        "the store-master trial of \(c.displayName) ended on \(until): switch own warehouse '\(w.key)' to `master: stockyard`, or extend `testing_until`",
                        at: c.location))
                }
            } else {
                out.append(.warning(
                    .ownOnStoreMaster,
                    "\(c.displayName) keeps own warehouse '\(w.key)' on store master: that blocks adjustments, stocktakes, transfers and bundles; switch to `master: stockyard`, or mark a trial with `testing_until: YYYY-MM-DD`",
                    at: at))
            }
        default:
            break
        }
    }

    private static func checkCodes(_ config: DesiredConfig, into out: inout [Diagnostic]) {
        var seen: [String: WarehouseSpec] = [:]
        for warehouse in config.warehouses {
            guard let code = warehouse.code else { continue }
            let folded = code.uppercased()
            if let first = seen[folded] {
                out.append(.error(
                    .duplicateCode,
                    "code '\(code)' is already used by warehouse '\(first.key)' at line \((first.codeLocation ?? first.location).line); codes must be unique",
                    at: warehouse.codeLocation ?? warehouse.location))
            } else {
                seen[folded] = warehouse
            }
        }
    }

    private static func checkRenames(_ config: DesiredConfig, into out: inout [Diagnostic]) {
        let keys = Set(config.warehouses.map(\.key))
        var claimed: [String: String] = [:]
        for warehouse in config.warehouses {
            for (index, old) in warehouse.formerly.enumerated() {
                let at = index < warehouse.formerlyLocations.count ? warehouse.formerlyLocations[index] : warehouse.location
                if keys.contains(old) {
                    out.append(.error(
                        .renameConflict, "warehouse '\(warehouse.key)' was formerly '\(old)', but '\(old)' is still defined", at: at))
                } else if let other = claimed[old], other != warehouse.key {
                    out.append(.error(
                        .renameConflict, "'\(old)' is named in `formerly` of both '\(other)' and '\(warehouse.key)'", at: at))
                } else {
                    claimed[old] = warehouse.key
                }
            }
        }
    }
}
