import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// The sync property of `SyncTests`, with stores that are read for their changes only: sales,
/// crashes around pushes and sales during pushes as there, plus sales stamped exactly at a read
/// mark (the clock stands still during a sync, so every sale during one is), store clocks running
/// behind the hub's by less and by more than the overlap, and sales the store fails to stamp. At
/// the end, after a full reconciliation, nothing is lost and nothing counted twice; the changes the
/// incremental reads could not see were caught by a full reconciliation, which said so.
@Suite struct IncrementalSyncTests {
    struct Variant: Sendable, CustomStringConvertible {
        var seed: UInt64
        var overlap: TimeInterval
        /// Each sale's stamp is up to this many seconds behind the hub's clock.
        var maxSkew: TimeInterval
        /// The share of sales the store does not stamp.
        var unstamped: Double

        var description: String { "seed \(seed), overlap \(Int(overlap)) s, skew ≤ \(Int(maxSkew)) s, \(Int(unstamped * 100))% unstamped" }
        /// Whether the full reconciliations must have found changes the reads of changes missed: a
        /// stamp further behind than the overlap surely escapes; an unstamped sale is mostly found
        /// first by a push to its level, which the store refuses (so no claim either way); with
        /// neither, nothing may escape.
        var mustMiss: Bool? { maxSkew > overlap ? true : unstamped > 0 ? nil : false }
    }

    /// How far the stores' clocks run behind the hub's, for the stamps of the next sales.
    final class Skew: @unchecked Sendable {
        var seconds: TimeInterval = 0
    }

    static let variants = [
        // No overlap and no skew: only the `>=` at the read mark keeps the sales of a sync's own instant.
        Variant(seed: 1, overlap: 0, maxSkew: 0, unstamped: 0),
        Variant(seed: 2, overlap: 120, maxSkew: 90, unstamped: 0),
        Variant(seed: 3, overlap: 120, maxSkew: 400, unstamped: 0),
        Variant(seed: 4, overlap: 120, maxSkew: 0, unstamped: 0.03),
    ]

    @Test(arguments: variants)
    func salesAreNeverLostOrCountedTwiceWithReadsOfChanges(variant: Variant) async throws {
        let counter = SyncTests.Counter(seed: variant.seed)
        let (state, a, b) = try SyncTests.hub(counter)
        let clock = ManualClock()
        let skew = Skew()
        for store in [a, b] { store.clock = { clock.now.addingTimeInterval(-skew.seconds) } }
        var sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        sync.clock = { clock.now }
        sync.overlap = .milliseconds(Int64(variant.overlap * 1000))
        sync.fullEvery = .seconds(30 * 60)
        counter.inFlightSaleRate = 0.3
        counter.crashRate = 0.1
        var syncs = 0
        var missed = 0
        var incremental = 0
        var full = 0
        for _ in 0..<1_000 {
            clock.advance(by: 60)
            skew.seconds = (variant.maxSkew * counter.roll()).rounded()
            for _ in 0..<counter.int(0...2) {
                let (store, id) = counter.pick([(a, "a1"), (b, "b1")])
                let sku = counter.pick(SyncTests.skus)
                counter.add(sku, store.sell(sku, counter.int(1...4), at: id, stamped: counter.roll() >= variant.unstamped))
            }
            if counter.roll() < 0.5 {
                syncs += 1
                if let report = try? await sync.syncOnce() {
                    missed += report.missedChanges.count
                    incremental += report.incrementalReads
                    full += report.fullReads
                }
            }
        }
        // A full reconciliation last: whatever the reads of changes could not see is found now.
        counter.crashRate = 0
        counter.inFlightSaleRate = 0
        sync.fullEvery = .zero
        for _ in 0..<3 {
            clock.advance(by: 60)
            missed += try await sync.syncOnce().missedChanges.count
        }
        let final = try state.load()
        #expect(final.pendingPushes.isEmpty)
        for sku in SyncTests.skus {
            let expected = SyncTests.start[sku]! - counter.sold[sku, default: 0]
            #expect(final.stock["w"]?[sku] == expected, "\(sku): warehouse \(final.stock["w"]?[sku] ?? -1), expected \(expected)")
            #expect(a.quantity(sku, at: "a1") == expected)
            #expect(b.quantity(sku, at: "b1") == expected)
        }
        #expect(syncs > 400)
        #expect(incremental > 5 * full, "most reads are of changes only: \(incremental) of changes, \(full) full")
        switch variant.mustMiss {
        case true?: #expect(missed > 0, "the full reconciliations caught and reported what the reads of changes missed")
        case false?: #expect(missed == 0, "nothing escapes the reads of changes when the clocks agree within the overlap")
        case nil: break
        }
    }

    /// A sale the store does not stamp is invisible to reads of changes: the next full
    /// reconciliation finds it, counts it, and says which level and since when.
    @Test func aFullReconciliationCatchesAndReportsWhatTheReadsOfChangesMissed() async throws {
        let counter = SyncTests.Counter(seed: 7)
        let (state, a, b) = try SyncTests.hub(counter)
        let clock = ManualClock()
        for store in [a, b] { store.clock = { clock.now } }
        var sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        sync.clock = { clock.now }
        sync.fullEvery = .seconds(3600)
        // The levels were stamped an hour before the first sync.
        clock.advance(by: 3600)
        let first = try await sync.syncOnce()
        #expect(first.fullReads == 2 && first.incrementalReads == 0, "a first sync reads in full")

        clock.advance(by: 600)
        a.sell("S2", 5, at: "a1", stamped: false)
        let quiet = try await sync.syncOnce()
        #expect(quiet.incrementalReads == 2 && quiet.fullReads == 0)
        #expect(quiet.soldUnits == 0, "the unstamped sale is not seen by a read of changes")

        clock.advance(by: 3600)
        let reconciled = try await sync.syncOnce()
        #expect(reconciled.fullReads == 2)
        #expect(reconciled.soldUnits == 5)
        #expect(reconciled.missedChanges.count == 1)
        let note = try #require(reconciled.notes.first)
        #expect(note.hasPrefix("full reconciliation of a[\"A\"] found 1 change the incremental reads since "), "\(note)")
        #expect(note.hasSuffix("missed: S2 250 -> 245 (changed 2026-11-18T11:06:40Z); synced now"), "\(note)")
        #expect(b.quantity("S2", at: "b1") == 245)
    }

    /// A level sync did not read is taken to hold its mark; when the store holds another number, the
    /// compare-and-set write is refused, and only the levels that request wrote are read again.
    @Test func aRefusedWriteReadsAgainOnlyTheLevelsItWrote() async throws {
        let counter = SyncTests.Counter(seed: 8)
        let (state, a, b) = try SyncTests.hub(counter)
        let clock = ManualClock()
        for store in [a, b] { store.clock = { clock.now } }
        var sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        sync.clock = { clock.now }
        clock.advance(by: 3600)
        _ = try await sync.syncOnce()
        clock.advance(by: 600)
        // b sells S1 unstamped: the hub still believes b1 holds 400, and a sale at a moves S1.
        b.sell("S1", 2, at: "b1", stamped: false)
        a.sell("S1", 3, at: "a1")
        let report = try await sync.syncOnce()
        #expect(report.conflicts == 1, "the push to b1 met its unseen sale")
        #expect(b.skuReads == 1, "one read of the refused request's SKUs")
        #expect(report.soldUnits == 5)
        #expect(try state.load().stock["w"]?["S1"] == 395)
        #expect(a.quantity("S1", at: "a1") == 395 && b.quantity("S1", at: "b1") == 395)
    }

    /// A push that went unresolved leaves its location to be read in full next time: its marks
    /// may not be what the store holds.
    @Test func anUnresolvedPushMakesTheNextReadOfItsLocationAFullOne() async throws {
        let counter = SyncTests.Counter(seed: 9)
        let (state, a, b) = try SyncTests.hub(counter)
        let clock = ManualClock()
        for store in [a, b] { store.clock = { clock.now } }
        var sync = Synchronizer(state: state, adapters: ["a": a, "b": b])
        sync.clock = { clock.now }
        _ = try await sync.syncOnce()
        clock.advance(by: 60)
        a.sell("S3", 1, at: "a1")
        b.crash = { .afterWrite }
        let failed = try await sync.syncOnce()
        #expect(failed.failures.count == 1)
        b.crash = nil
        clock.advance(by: 60)
        let before = (a: a.fullReads, b: b.fullReads)
        let next = try await sync.syncOnce()
        #expect(next.failures.isEmpty, "\(next.failures)")
        #expect(b.fullReads == before.b + 1, "b1, which the unresolved push touched, is read in full")
        #expect(a.fullReads == before.a, "a1 is read for its changes only")
        #expect(b.quantity("S3", at: "b1") == 119)
    }
}
