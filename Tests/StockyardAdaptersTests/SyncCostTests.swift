import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// What sync costs a metered shop, in Shopify's cost points (the emulator charges as Shopify
/// documents: requested cost to run, actual cost charged). 2 shops × 5 locations × `skus` SKUs,
/// every location on stockyard master into its own warehouse, both shops already in step with the
/// hub. Measured: a first full sync read page by page and through bulk operations, then rounds
/// five minutes apart (`--interval 5m`, the default two-minute overlap) in which 1% of each shop's
/// levels sold since the last one, read for their changes only. A round reads the sales of its
/// interval, the part of the one before that the overlap covers, and the levels the round before
/// pushed (a push lands after its round's read began, so the next round reads it again).
///
/// 2,000 SKUs by default; `STOCKYARD_COST_SKUS=20000 swift test --filter SyncCostTests` gives the
/// full-size figures in the README (the output names the machine).
@Suite struct SyncCostTests {
    struct Fleet {
        var emulators: [ShopifyEmulator]
        var locations: [[String]]
        var start: [String: Int]

        func points() async -> Double {
            var total = 0.0
            for e in emulators { total += await e.shop.statistics.pointsConsumed }
            return total
        }

        func adapters(bulk: Bool) -> [String: any StoreAdapter] {
            var out: [String: any StoreAdapter] = [:]
            for (i, e) in emulators.enumerated() {
                let key = "s\(i + 1)"
                var settings = ShopifyStoreSettings(
                    storeKey: key, shop: "\(key).myshopify.com", credentials: .environment("COST_SHOPIFY_TOKEN"), endpoint: e.endpoint,
                    trust: TrustPolicy(allowedEndpoints: [e.endpoint]), retry: fastRetries, environment: ["COST_SHOPIFY_TOKEN": SyncCostTests.token])
                settings.bulkAfterPages = bulk ? 1 : Int.max
                settings.bulkPollInterval = .milliseconds(50)
                out[key] = ShopifyStoreAdapter(settings: settings)
            }
            return out
        }

        /// The hub, in step with both shops, never synced (no read marks).
        func hub() -> InMemoryStateStore {
            var hub = HubState(lineage: "sync-cost")
            for s in 1...2 { hub.stores["s\(s)"] = StoreRecord(key: "s\(s)", platform: .shopify, target: "s\(s).myshopify.com") }
            for l in 0..<5 {
                hub.warehouses["w\(l)"] = WarehouseRecord(key: "w\(l)", name: "W\(l)", kind: .own)
                hub.stock["w\(l)"] = SKUNumbers(start)
                for s in 0..<2 {
                    let c = ConnectionRecord(store: "s\(s + 1)", locationID: locations[s][l], locationName: "L\(l)", warehouse: "w\(l)", master: .stockyard)
                    hub.connections[c.id] = c
                    hub.syncMarks[c.id] = start
                }
            }
            return InMemoryStateStore(hub)
        }

        func stop() async {
            for e in emulators { await e.stop() }
        }
    }

    static let token = "shpat_" + String(repeating: "c0", count: 16)
    static let clockStart = ManualClock().now

    /// The hub's clock and both shops' clocks, at `instant`.
    static func setClocks(_ fleet: Fleet, _ instant: Date) async {
        for e in fleet.emulators { await e.shop.setClock(instant) }
    }

    static func fleet(skus: Int) async throws -> Fleet {
        var start: [String: Int] = [:]
        for i in 0..<skus { start["SKU-\(i)"] = 1_000 + i % 50 }
        var emulators: [ShopifyEmulator] = []
        var locations: [[String]] = []
        for _ in 0..<2 {
            // A bucket too big to wait on: the points are counted all the same.
            let e = try await ShopifyEmulator.start(token: token, limits: CostLimits(maximumAvailable: 10_000_000, restoreRate: 10_000_000))
            // Stocked an hour before the first sync.
            await e.shop.setClock(SyncCostTests.clockStart.addingTimeInterval(-3600))
            var ids: [String] = []
            for l in 0..<5 {
                let id = await e.shop.addLocation("L\(l)")
                await e.shop.setAvailable(start, at: id)
                ids.append(id)
            }
            emulators.append(e)
            locations.append(ids)
        }
        return Fleet(emulators: emulators, locations: locations, start: start)
    }

    struct Measure: CustomStringConvertible {
        var what: String
        var points: Double
        var seconds: Double

        var description: String {
            "\(what): \(Int(points)) points (\(String(format: "%.0f", points / 100)) s at Standard's 100/s, \(String(format: "%.1f", points / 1000)) s at Plus's 1,000/s), \(String(format: "%.2f", seconds)) s on the emulator"
        }
    }

    static func measure(_ what: String, _ fleet: Fleet, _ body: () async throws -> Void) async rethrows -> Measure {
        let before = await fleet.points()
        let clock = ContinuousClock()
        let began = clock.now
        try await body()
        let elapsed = clock.now - began
        return Measure(
            what: what, points: await fleet.points() - before, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// 1% of each shop's levels sell `units` each, spread over its five locations.
    static func sellOnePercent(_ fleet: Fleet, skus: Int, round: Int, sold: inout [String: Int]) async {
        let perLocation = max(1, skus / 100)
        for (s, e) in fleet.emulators.enumerated() {
            for l in 0..<5 {
                for k in 0..<perLocation {
                    // A different stretch of SKUs per shop, location and round.
                    let sku = "SKU-\((k * 97 + l * 13 + s * 7 + round * 31) % skus)"
                    await e.shop.sell(1, sku: sku, at: fleet.locations[s][l])
                    sold["\(l)|\(sku)", default: 0] += 1
                }
            }
        }
    }

    @Test func aRoundOfOnePercentChangedCostsAtMostFivePercentOfAFullRead() async throws {
        let skus = Int(ProcessInfo.processInfo.environment["STOCKYARD_COST_SKUS"] ?? "") ?? 2_000
        let fleet = try await Self.fleet(skus: skus)
        let clock = ManualClock()
        func synchronizer(_ state: InMemoryStateStore, _ adapters: [String: any StoreAdapter]) -> Synchronizer {
            var sync = Synchronizer(state: state, adapters: adapters)
            sync.clock = { clock.now }
            return sync
        }
        do {
            await Self.setClocks(fleet, clock.now)
            // A first full sync, page by page, then (a new hub) through bulk operations.
            let pagedState = fleet.hub()
            let paged = try await Self.measure("first full sync, paged", fleet) {
                let report = try await synchronizer(pagedState, fleet.adapters(bulk: false)).syncOnce()
                #expect(report.failures.isEmpty, "\(report.failures)")
                #expect(report.fullReads == 10)
            }
            let state = fleet.hub()
            let adapters = fleet.adapters(bulk: true)
            let bulk = try await Self.measure("first full sync, bulk", fleet) {
                let report = try await synchronizer(state, adapters).syncOnce()
                #expect(report.failures.isEmpty, "\(report.failures)")
                #expect(report.fullReads == 10)
            }
            // Rounds of 1% sold: the first reads the sales; the second also the levels the first pushed.
            var sold: [String: Int] = [:]
            var rounds: [Measure] = []
            for round in 1...3 {
                // The sales of the interval, stamped in its middle; the round at its end.
                clock.advance(by: 300)
                await Self.setClocks(fleet, clock.now.addingTimeInterval(-150))
                await Self.sellOnePercent(fleet, skus: skus, round: round, sold: &sold)
                await Self.setClocks(fleet, clock.now)
                rounds.append(
                    try await Self.measure("round \(round), 1% of levels sold", fleet) {
                        let report = try await synchronizer(state, adapters).syncOnce()
                        #expect(report.incrementalReads == 10 && report.fullReads == 0 && report.failures.isEmpty, "\(report.failures)")
                    })
            }
            // The same in a new process (`sync --once` from cron): no item ids known, so pushes look SKUs up.
            clock.advance(by: 300)
            await Self.setClocks(fleet, clock.now.addingTimeInterval(-150))
            await Self.sellOnePercent(fleet, skus: skus, round: 4, sold: &sold)
            await Self.setClocks(fleet, clock.now)
            let cold = try await Self.measure("round 4, 1% of levels sold, new process", fleet) {
                let report = try await synchronizer(state, fleet.adapters(bulk: true)).syncOnce()
                #expect(report.incrementalReads == 10 && report.failures.isEmpty, "\(report.failures)")
            }
            // Every sale counted once, and both shops show the warehouse's number.
            let hub = try state.load()
            for (key, units) in sold.sorted(by: { $0.key < $1.key }).prefix(50) {
                let parts = key.split(separator: "|")
                let (l, sku) = (Int(parts[0])!, String(parts[1]))
                #expect(hub.stock["w\(l)"]?[sku] == fleet.start[sku]! - units, "w\(l) \(sku)")
                for s in 0..<2 {
                    #expect(await fleet.emulators[s].shop.available(sku: sku, at: fleet.locations[s][l]) == fleet.start[sku]! - units)
                }
            }
            for round in rounds + [cold] {
                #expect(round.points <= paged.points * 0.05, "\(round) against a full read of \(Int(paged.points))")
            }
            #expect(bulk.points * 5 < paged.points)
            let machine = ProcessInfo.processInfo
            print(
                """
                sync cost, 2 shops × 5 locations × \(skus) SKUs (\(machine.activeProcessorCount) cores, \(machine.physicalMemory >> 30) GiB):
                  \(paged)
                  \(bulk)
                \(rounds.map { "  \($0) = \(String(format: "%.1f", 100 * $0.points / paged.points))% of a full paged read" }.joined(separator: "\n"))
                  \(cold) = \(String(format: "%.1f", 100 * cold.points / paged.points))% of a full paged read
                """)
        } catch {
            await fleet.stop()
            throw error
        }
        await fleet.stop()
    }
}
