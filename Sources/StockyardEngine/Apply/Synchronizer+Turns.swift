import Foundation

extension Synchronizer {
    /// A warehouse between its rounds: the writes its last round left to push, and its report so far.
    struct WarehouseTurn: Sendable {
        var index: Int
        var warehouse: String
        var followers: [ConnectionRecord]
        var countSales: Bool
        var rounds = 1
        /// By store, in the order the round computed them.
        var writes: [String: [QuantityWrite]]
        var report: Report
    }

    /// Pushes the warehouses' writes, and gives those with writes a store refused their next
    /// rounds (and pushes those) until every warehouse is done: in step, failed, or out of rounds.
    /// Returns every warehouse's turn with its report.
    func finish(_ started: [WarehouseTurn], working: WorkingState) async throws -> [WarehouseTurn] {
        var turns = started
        var finished: [WarehouseTurn] = []
        while !turns.isEmpty {
            turns.sort { $0.index < $1.index }
            let deliveries = try await push(turns, working: working)
            var again: [(WarehouseTurn, [String: [QuantityWrite]])] = []
            for (pushed, delivery) in zip(turns, deliveries) {
                var turn = pushed
                for (store, count) in delivery.pushed {
                    turn.report.pushes += count
                    turn.report.stores[store, default: StoreTally()].pushed += count
                }
                if let failure = delivery.failure {
                    turn.report.failures.append(.init(store: failure.store, message: failure.message))
                } else if !delivery.unlanded.isEmpty {
                    var refusedAt = Set<ConnectionRecord.ID>()
                    for (store, writes) in delivery.reRead {
                        for w in writes { refusedAt.insert(ConnectionRecord.ID(store: store, locationID: w.locationID)) }
                    }
                    turn.report.conflicts += refusedAt.count
                    if turn.rounds < maxRounds {
                        again.append((turn, delivery.reRead))
                        continue
                    }
                    turn.report.failures.append(
                        .init(
                            store: turn.followers[0].store,
                            message: "warehouse '\(turn.warehouse)': sales kept landing during \(maxRounds) pushes in a row; try again"))
                }
                finished.append(turn)
            }
            turns = []
            try await withThrowingTaskGroup(of: (WarehouseTurn, Bool).self) { group in
                var next = 0
                func launch() {
                    guard next < again.count else { return }
                    let (refused, reRead) = again[next]
                    next += 1
                    group.addTask {
                        var turn = refused
                        do {
                            turn.writes = try await nextRound(&turn, reRead: reRead, working: working)
                            return (turn, !turn.writes.isEmpty)
                        } catch let failure as SyncFailure {
                            turn.report.failures.append(.init(store: failure.store, message: failure.message))
                            return (turn, false)
                        }
                    }
                }
                for _ in 0..<max(1, warehouseConcurrency) { launch() }
                while let (turn, pushing) = try await group.next() {
                    if pushing { turns.append(turn) } else { finished.append(turn) }
                    launch()
                }
            }
        }
        return finished
    }

    /// A warehouse's next round after some of its writes did not land: the levels the store
    /// refused are read again (only those), every other level is taken to hold its mark (which the
    /// round before set to what was read or written), and the round is computed and committed anew.
    /// Writes turned away only because another write of their request was refused come out the same.
    func nextRound(_ turn: inout WarehouseTurn, reRead: [String: [QuantityWrite]], working: WorkingState) async throws -> [String: [QuantityWrite]] {
        var views: [ConnectionRecord.ID: [String: Int]] = [:]
        for c in turn.followers { views[c.id] = working.syncMarks(of: c.id) }
        for (store, writes) in reRead.sorted(by: { $0.key < $1.key }) {
            var skus: [String: [String]] = [:]
            for w in writes { skus[w.locationID, default: []].append(w.sku) }
            for (locationID, wanted) in skus.sorted(by: { $0.key < $1.key }) {
                guard let c = turn.followers.first(where: { $0.store == store && $0.locationID == locationID }) else { continue }
                let fresh: [String: Int]
                do {
                    fresh = try await adapter(for: c).quantities(of: wanted, at: c.locationID)
                } catch let failure as SyncFailure {
                    throw failure
                } catch {
                    throw SyncFailure(store: c.store, message: "\(c.displayName): could not read the store: \(describeStoreError(error, store: c.store))")
                }
                for sku in wanted { views[c.id]?[sku] = fresh[sku] }
            }
        }
        turn.rounds += 1
        return try await round(
            warehouse: turn.warehouse, followers: turn.followers, countSales: turn.countSales, views: views, bookkeeping: [], working: working,
            report: &turn.report)
    }
}
