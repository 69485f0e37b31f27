/// Planning the links: each desired connection against the state's, and what each link does to
/// the stock numbers.
extension PlanContext {
    /// The state's record of a connection says what its spec says (a rename of its warehouse
    /// taken into account). Both borrowed where they are: copied, each a dozen strings, they were
    /// a tenth of this probe. `definedWarehouse`: the spec's warehouse is one of the config's, so
    /// no rename is from its key (a rename's former key is none of the config's) and the state's
    /// record, naming the same key, needs no lookup of it.
    private static func isUnchanged(
        _ before: borrowing ConnectionRecord, _ spec: borrowing ConnectionSpec, id: ConnectionRecord.ID, definedWarehouse: Bool,
        renames: borrowing [String: String]
    ) -> Bool {
        guard
            before.store == id.store && before.locationID == id.locationID && before.master == spec.master
                && before.locationName == spec.locationName && before.protect == (spec.protect ?? before.protect)
        else { return false }
        if definedWarehouse, before.warehouse == spec.warehouseKey { return true }
        return (renames[before.warehouse] ?? before.warehouse) == spec.warehouseKey
    }

    /// A changed desired link as the ordered pass found it: where the state has it, its
    /// ``Resolution``, and which impact shows its numbers. Held for every changed link until its
    /// change is made (in a first plan, every connection), so by position: with its records and
    /// spec copied in, each was 390 bytes, not 40; they are made again from these where needed.
    struct Linked {
        var found: Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index?
        /// By position in `resolved`.
        var resolution: Int
        var movesNumbers: Bool
        /// Stockyard master: the link pushes the warehouse's numbers.
        var pushes: Bool
        /// Its warehouse's slot (``PlanContext/seededBy``).
        var warehouse: Int
        var impact: Int?
    }

    /// A desired link's records: the state's (`found`; nil for a new link), it with its
    /// warehouse's rename applied, and the record the config wants.
    private func records(
        found: Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index?, _ r: Resolution
    ) -> (before: ConnectionRecord?, moved: ConnectionRecord?, after: ConnectionRecord) {
        let before = found.map { state.connections[$0].value }
        let connection = config.stores[r.store].connections[r.connection]
        let after = ConnectionRecord(
            store: connection.storeKey, locationID: locationID(r), locationName: connection.locationName, warehouse: connection.warehouseKey,
            master: connection.master, protect: connection.protect ?? before?.protect ?? false)
        var moved = before
        moved?.warehouse = before.map { renames[$0.warehouse] ?? $0.warehouse } ?? ""
        return (before, moved, after)
    }

    mutating func planConnections() {
        // What a link waits for: its store's change, its warehouse's creation or move. Kept by
        // position or key (the created warehouses are already): every warehouse's address made
        // and hashed here was a fiftieth of a first plan, on one core.
        let changedStores = Set(storeChanges.compactMap(\.store))
        prerequisiteStores = config.stores.map { changedStores.contains($0.key) }
        for change in warehouseChanges where change.action == .move { if let key = change.warehouse { movedWarehouses.insert(key) } }
        // Each link's warehouse by its slot: its position in the config (`warehouseSlots`), or
        // for a key the config does not give (an error the config's checks report), one past
        // them (`otherSlots`). Found once, on every core: the passes below read arrays by slot
        // where they hashed the key three or four times a link.
        var otherSlots: [String: Int] = [:]
        func slot(_ key: String) -> Int {
            if let slot = warehouseSlots[key] ?? otherSlots[key] { return slot }
            let slot = config.warehouses.count + otherSlots.count
            otherSlots[key] = slot
            return slot
        }
        var linkSlots = Parallel.map(resolved.count, chunk: 4096) { i in warehouseSlots[warehouseKey(resolved[i])] ?? -1 }
        for i in linkSlots.indices where linkSlots[i] < 0 { linkSlots[i] = slot(warehouseKey(resolved[i])) }
        // The state's stock by slot (a renamed warehouse's under its new key).
        let stock = state.stock.map { (slot: slot(renames[$0.key] ?? $0.key), skus: $0.value) }
        let slots = config.warehouses.count + otherSlots.count
        // The connections to plan, as (pushes, `resolved` index), sorted by (pulls before pushes,
        // id): small entries and integer ranks for the stores, so the sort moves and compares
        // little. A store's connections resolve to distinct locations (`claimed`): ids are distinct.
        let plannable = config.stores.map { plannableStores.contains($0.key) }
        var storeRank = [Int](repeating: 0, count: config.stores.count)
        for (rank, index) in config.stores.indices.sorted(by: { config.stores[$0].key < config.stores[$1].key }).enumerated() {
            storeRank[index] = rank
        }
        var order: [(pushes: Bool, resolved: Int)] = []
        order.reserveCapacity(resolved.count)
        seededBy = [Int](repeating: -1, count: slots)
        for (index, r) in resolved.enumerated() where plannable[r.store] {
            let pushes = master(r) == .stockyard
            order.append((pushes, index))
            // Pulls (store master) before pushes (stockyard master): a warehouse is seeded before
            // it is pushed. Its seeder is the store-master connection with the smallest display name.
            if !pushes {
                let warehouse = linkSlots[index]
                // The names read in place: a copy of each spec (a dozen strings) cost more than the names.
                if seededBy[warehouse] >= 0, displayName(resolved[seededBy[warehouse]]) <= displayName(r) { continue }
                seededBy[warehouse] = index
            }
        }
        order.sort { a, b in
            if a.pushes != b.pushes { return !a.pushes }
            let x = resolved[a.resolved]
            let y = resolved[b.resolved]
            if x.store != y.store, storeRank[x.store] != storeRank[y.store] { return storeRank[x.store] < storeRank[y.store] }
            return locationID(x) < locationID(y)
        }
        // The warehouses' stock as it will be while the plan's pulls are carried out in order, by
        // slot, so the pass in order hashes no key: the state's (`stateStock`), until a pull puts
        // a location's numbers there (`projected`: the position of that pull's probe, -1 for the
        // state's). Held by position, not as copies: the pass in order then counts no references
        // (copies of the numbers were a sixth of it, on one core).
        var stateStock = [SKUNumbers?](repeating: nil, count: slots)
        for (slot, skus) in stock { stateStock[slot] = skus }
        var projected = [Int32](repeating: -1, count: slots)
        var matched: [Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index] = []  // where the state has desired connections
        // First, in order, what each changed link is and which numbers its impact compares (a
        // pull changes the stock later links see); then every impact, on every core; then the
        // changes and warnings, in order. At 200 SKUs a location the impacts were half the planner.
        struct ImpactInput {
            var side: InventoryImpact.Side
            /// The warehouse's numbers: those of the probe at this position, or (-1) the state's in `slot`.
            var warehouse: Int32
            var slot: Int32
            /// The probe whose numbers are the location's.
            var location: Int32
        }
        var linked: [Linked] = []
        var inputs: [ImpactInput] = []
        // Where the state has each connection, whether it is unchanged (most are), and for a
        // change that moves numbers, the location's numbers, found on every core: a lookup of
        // the state's connections each (none in an empty state), reading the spec's fields where
        // they are. Then, in order, only the changed ones are looked at again.
        typealias Entry = Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index
        struct Probe {
            var found: Entry?
            var unchanged: Bool
            var here: SKUNumbers?
        }
        var probes: [Probe] = Parallel.map(order.count, chunk: 2048) { k in
            let r = resolved[order[k].resolved]
            var found: Entry?
            if !state.connections.isEmpty {
                let id = ConnectionRecord.ID(store: storeKey(r), locationID: locationID(r))
                found = state.connections.index(forKey: id)
                if let found,
                    Self.isUnchanged(
                        state.connections.values[found], config.stores[r.store].connections[r.connection], id: id,
                        definedWarehouse: linkSlots[order[k].resolved] < config.warehouses.count, renames: renames)
                {
                    return Probe(found: found, unchanged: true, here: nil)
                }
            }
            // Looked up whether or not the change moves numbers: it is decided in order below.
            return Probe(found: found, unchanged: false, here: resolvedFacts[r.facts].quantities[locationID(r)])
        }
        matched.reserveCapacity(order.count)
        // Room for every link that changes, made once: grown by doubling, the links were moved
        // over and over on one core (in a first plan, every connection is one).
        let changing = probes.reduce(0) { $0 + ($1.unchanged ? 0 : 1) }
        linked.reserveCapacity(changing)
        inputs.reserveCapacity(changing)
        for (k, (pushes, index)) in order.enumerated() {
            if let found = probes[k].found { matched.append(found) }
            if probes[k].unchanged { continue }
            let r = resolved[index]
            // A new link (in a first plan, every one) moves numbers: no records are made for it here.
            var movesNumbers = true
            if let found = probes[k].found {
                let (_, moved, after) = records(found: found, r)
                if let moved, moved == after { continue }
                movesNumbers = moved!.master != after.master || moved!.warehouse != after.warehouse
            }
            var impact: Int?
            let warehouse = linkSlots[index]
            if movesNumbers, probes[k].here != nil {
                impact = inputs.count
                inputs.append(
                    ImpactInput(side: pushes ? .location : .warehouse, warehouse: projected[warehouse], slot: Int32(warehouse), location: Int32(k)))
                if !pushes { projected[warehouse] = Int32(k) }
            }
            linked.append(
                Linked(found: probes[k].found, resolution: index, movesNumbers: movesNumbers, pushes: pushes, warehouse: warehouse, impact: impact))
        }
        (projected, linkSlots) = ([], [])
        let impacts = Parallel.map(inputs.count, chunk: 64) { i in
            let input = inputs[i]
            let warehouse = input.warehouse >= 0 ? probes[Int(input.warehouse)].here : stateStock[Int(input.slot)]
            return InventoryImpact.overwrite(input.side, warehouse: warehouse ?? [:], location: probes[Int(input.location)].here!)
        }
        (inputs, probes, stateStock) = ([], [], [])
        // The links' changes here, the unlinks beside them: neither needs the other. Each link's
        // change is made on every core too, in order; then the warnings, in the same order: with
        // few unlinks (many small stores) one core otherwise waited for the other here.
        let (planned, found) = (self, matched)
        let unlinked: [Change]
        (links, unlinked) = Parallel.both(
            { Parallel.map(linked.count, chunk: 256) { i in planned.linkChange(linked[i], impact: linked[i].impact.map { impacts[$0] }) } },
            { planned.unlinks(matched: found) })
        unlinks = unlinked
        for link in linked {
            if let warning = pushWarning(link, impact: link.impact.map { impacts[$0] }) { diagnostics.append(warning) }
        }
    }

    /// The warning for a link whose first push would empty the location, if it is one.
    private func pushWarning(_ link: Linked, impact: InventoryImpact?) -> Diagnostic? {
        guard link.movesNumbers, link.pushes else { return nil }
        // The records are made only for a warning.
        let zeroes =
            impact.map(\.zeroesLocation)
            ?? (seededBy[link.warehouse] < 0
                && (isCreated(link.warehouse) || state.units(in: warehouseKey(resolved[link.resolution])) == 0))
        guard zeroes else { return nil }
        let after = records(found: link.found, resolved[link.resolution]).after
        let connection = spec(resolved[link.resolution])
        return .warning(
            .pushFromEmptyWarehouse,
            "\(after.displayName) links on stockyard master to warehouse '\(after.warehouse)', which holds no stock yet: the first push would set the location's stock to 0. Start on `master: store` (the first-time setup), or seed '\(after.warehouse)' from a store-master location",
            at: connection.masterLocation ?? connection.location)
    }

    /// Whether the plan creates the warehouse in `slot`.
    private func isCreated(_ slot: Int) -> Bool { slot < createdSlots.count && createdSlots[slot] }

    /// One desired link's change.
    private func linkChange(_ link: Linked, impact: InventoryImpact?) -> Change {
        let r = resolved[link.resolution]
        let (before, moved, after) = records(found: link.found, r)
        var change: Change
        if let before, let moved {
            change = relink(before: before, after: after, renamedWarehouse: moved.warehouse, store: r.store, warehouse: link.warehouse)
        } else {
            change = self.link(after, store: r.store, warehouse: link.warehouse)
        }
        if let impact {
            change.impact = impact
            let emptyWarehouse = impact.overwritten == .warehouse && impact.changes.allSatisfy { $0.from == 0 }
            change.risk = impact.changes.isEmpty || emptyWarehouse ? .safe : .inventoryOverwrite
            change.noteImpactSummary()
        }
        return change
    }

    /// The state's connections no longer desired, as deletes (`matched`: where the state has the
    /// desired ones).
    func unlinks(matched: [Dictionary<ConnectionRecord.ID, ConnectionRecord>.Index]) -> [Change] {
        // None when the plan matched all of them.
        guard matched.count < state.connections.count else { return [] }
        var matched = matched
        // The state's other connections: its entries walked in order beside the sorted positions
        // of those matched, which costs no hashing of their ids.
        matched.sort()
        var undesired: [ConnectionRecord.ID] = []
        var next = 0
        var entry = state.connections.startIndex
        while entry != state.connections.endIndex {
            while next < matched.count, matched[next] < entry { next += 1 }
            if next < matched.count, matched[next] == entry {
                next += 1
            } else if isSelected(state.connections[entry].key.store) {
                undesired.append(state.connections[entry].key)
            }
            state.connections.formIndex(after: &entry)
        }
        // Each read store's location ids, built once per store that has unlinks: a search of the
        // store's locations per unlink was unlinks x locations, quadratic in a store's size.
        var locationIDs: [String: Set<String>] = [:]
        let storesInConfig = Set(config.stores.map(\.key))
        var unlinks: [Change] = []
        for id in undesired.sorted() {
            let before = state.connections[id]!
            // A store that could not be read, or whose config has errors, keeps its connections:
            // never delete because of what could not be seen.
            if storesInConfig.contains(id.store), !plannableStores.contains(id.store) { continue }
            var reason = ChangeReason.removed
            if storesInConfig.contains(id.store), case .read(let facts)? = readings[id.store] {
                if locationIDs[id.store] == nil { locationIDs[id.store] = Set(facts.locations.map(\.id)) }
                if !locationIDs[id.store]!.contains(id.locationID) { reason = .drift }
            }
            var notes = ["the location stops syncing with warehouse '\(before.warehouse)'"]
            if reason == .drift { notes.insert("the store no longer has this location", at: 0) }
            if before.protect { notes.append("it is protected: apply will refuse to delete it") }
            unlinks.append(
                change(
                    .connection, ConnectionAddress.address(store: before.store, location: before.locationName), .delete, reason, .destructive,
                    before: .connection(before), after: nil,
                    store: before.store, location: before.locationName, locationID: before.locationID, warehouse: before.warehouse, notes: notes))
        }
        return unlinks
    }

    /// `store`: the link's store's position in the config; `warehouse`: its warehouse's slot.
    private func link(_ after: ConnectionRecord, store: Int, warehouse slot: Int) -> Change {
        let created = isCreated(slot)
        let (risk, effect) = linkEffect(master: after.master, warehouse: after.warehouse, slot: slot, created: created)
        var change = change(
            .connection, ConnectionAddress.address(store: after.store, location: after.locationName), .create, .added, risk, before: nil,
            after: .connection(after),
            store: after.store, location: after.locationName, locationID: after.locationID, warehouse: after.warehouse)
        change.setLinkNote(effect)
        let (store, warehouse) = dependencies(after, store: store, created: created)
        change.setLinkPrerequisites(store: store, warehouse: warehouse)
        return change
    }

    private func relink(before: ConnectionRecord, after: ConnectionRecord, renamedWarehouse: String, store: Int, warehouse slot: Int) -> Change {
        let created = isCreated(slot)
        var notes: [String] = []
        var risk = Risk.safe
        if renamedWarehouse != after.warehouse || before.master != after.master {
            risk = .inventoryOverwrite
            if renamedWarehouse != after.warehouse { notes.append("relinked from warehouse '\(renamedWarehouse)' to '\(after.warehouse)'") }
            if before.master != after.master { notes.append("master switches from \(before.master.rawValue) to \(after.master.rawValue)") }
            notes.append(linkEffect(master: after.master, warehouse: after.warehouse, slot: slot, created: created).effect.text)
        }
        if before.locationName != after.locationName { notes.append("renamed from '\(before.locationName)'") }
        if before.protect != after.protect { notes.append(after.protect ? "protected from deletion" : "protection lifted") }
        var change = change(
            .connection, ConnectionAddress.address(store: after.store, location: after.locationName), .update, .changed, risk, before: .connection(before),
            after: .connection(after),
            store: after.store, location: after.locationName, locationID: after.locationID, warehouse: after.warehouse, notes: notes)
        let (store, warehouse) = dependencies(after, store: store, created: created)
        change.setLinkPrerequisites(store: store, warehouse: warehouse)
        return change
    }

    /// What linking on a master does to the numbers, and how risky that is.
    /// `slot`: the warehouse's (``seededBy``); `created`: whether the plan creates it.
    private func linkEffect(master: Master, warehouse: String, slot: Int, created: Bool) -> (risk: Risk, effect: LinkEffect) {
        switch master {
        case .store:
            if created { return (.safe, .copiedIntoNew(warehouse: warehouse)) }
            return (.inventoryOverwrite, .overwritesWarehouse(warehouse: warehouse))
        case .stockyard:
            guard created else { return (.inventoryOverwrite, .pushes(warehouse: warehouse)) }
            let seed = seededBy[slot]
            guard seed >= 0 else { return (.inventoryOverwrite, .pushesFromNew(warehouse: warehouse)) }
            // The seed's two fields where they are: its whole spec copied was a dozen retains.
            let r = resolved[seed]
            let (store, location) = (config.stores[r.store].connections[r.connection].storeKey, config.stores[r.store].connections[r.connection].locationName)
            return (.inventoryOverwrite, .pushesFromNewFilled(warehouse: warehouse, seedStore: store, seedLocation: location))
        }
    }

    /// The store and the warehouse the link `after` waits for, of these: each when its change is in
    /// the plan. `store`: its store's position in the config; `created`: whether the plan creates
    /// the warehouse (found by the caller).
    private func dependencies(_ after: ConnectionRecord, store: Int, created: Bool) -> (store: String?, warehouse: String?) {
        (
            prerequisiteStores[store] ? after.store : nil,
            created || (!movedWarehouses.isEmpty && movedWarehouses.contains(after.warehouse)) ? after.warehouse : nil
        )
    }
}
