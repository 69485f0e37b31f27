import Foundation

extension Synchronizer {
    /// What sync knows of one location after reading it, and the bookkeeping the read leaves.
    struct SyncRead {
        /// Units per SKU the location holds: what was read, and for a read of changes only, the
        /// sync mark of every level not read (the warehouse's number, for a store-master link).
        var view: [String: Int]
        /// The location's new read mark, and the marks of SKUs a full read showed it no longer stocks.
        var mutations: [StateMutation]
    }

    /// Reads one linked location: its changes since its read mark, or in full when it was never read,
    /// a push to it went unresolved (`inFull`), or its last full read is `fullEvery` old.
    func readForSync(_ c: ConnectionRecord, inFull forced: Bool, working: WorkingState, report: inout Report) async throws -> SyncRead {
        let adapter = try adapter(for: c)
        let mark = working.readMark(of: c.id)
        let marks = working.syncMarks(of: c.id)
        // What a level not read is taken to hold.
        let known = c.master == .store ? working.stock(of: c.warehouse) : marks
        let startedAt = clock()
        var since: Date?
        if let mark, !forced, !(c.master == .stockyard && marks.isEmpty),
            startedAt.timeIntervalSince(mark.fullReadAt) < Self.seconds(fullEvery)
        {
            since = mark.readThrough.addingTimeInterval(-Self.seconds(overlap))
        }
        let reading: LevelReading
        do {
            reading = try await adapter.levels(at: c.locationID, changedSince: since)
        } catch {
            throw SyncFailure(store: c.store, message: "\(c.displayName): could not read the store: \(describeStoreError(error, store: c.store))")
        }
        var mutations: [StateMutation] = []
        var view: [String: Int]
        if reading.isComplete {
            view = reading.quantities
            report.fullReads += 1
            if since == nil, let mark { reportMissed(c, reading: reading, known: known, mark: mark, report: &report) }
            if c.master == .stockyard {
                let gone = marks.keys.filter { reading.quantities[$0] == nil }.sorted()
                if !gone.isEmpty { mutations.append(.removeSyncMarks(c.id, skus: gone)) }
            }
        } else {
            view = known
            view.merge(reading.quantities) { $1 }
            report.incrementalReads += 1
        }
        let fullReadAt = reading.isComplete ? startedAt : (mark?.fullReadAt ?? startedAt)
        mutations.append(.setReadMark(ReadMark(store: c.store, locationID: c.locationID, readThrough: startedAt, fullReadAt: fullReadAt)))
        return SyncRead(view: view, mutations: mutations)
    }

    /// A full reconciliation's check of the reads before it: a level whose number differs from
    /// what sync believed, stamped early enough that an incremental read should have returned it,
    /// was missed (a store that did not stamp the change, or a clock further off than the overlap).
    /// It is synced now like any change; the report says so, so that the overlap can be widened.
    private func reportMissed(_ c: ConnectionRecord, reading: LevelReading, known: [String: Int], mark: ReadMark, report: inout Report) {
        let horizon = mark.readThrough.addingTimeInterval(-Self.seconds(overlap))
        var missed: [String] = []
        for sku in reading.quantities.keys.sorted() {
            guard let believed = known[sku], let now = reading.quantities[sku], believed != now,
                // A whole second clear of the horizon: stores stamp to the second.
                let stamp = reading.changedAt[sku], stamp.addingTimeInterval(1) <= horizon
            else { continue }
            missed.append("\(sku) \(believed) -> \(now) (changed \(UTCTimestamp.string(from: stamp)))")
        }
        guard !missed.isEmpty else { return }
        let listed = missed.prefix(10).joined(separator: ", ") + (missed.count > 10 ? ", …" : "")
        let message =
            "full reconciliation of \(c.displayName) found \(missed.count) change\(missed.count == 1 ? "" : "s") the incremental reads since \(UTCTimestamp.string(from: horizon)) missed: \(listed); synced now"
        report.missedChanges.append(.init(store: c.store, message: message))
        report.notes.append(message)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
