import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// The sync property of `SyncTests` again, but over real HTTP to two emulated Shopify shops with
/// their faults switched on: sales land in both shops between syncs and during them (between the
/// hub's read and its compare-and-set write), while the shops throttle, answer 429 and 5xx, lose
/// the answer to writes they carried out, and answer late. Syncs may fail; the next one retries.
/// Syncs read each location's changes since its read mark (`updated_at`), in full every half hour
/// of a clock that moves a minute a round; one run reads a page at a time with no overlap, so every
/// sale during a sync is stamped exactly at the read mark, the other reads through bulk operations
/// (some of which fail midway) while the shops' clocks run behind the hub's, at times by more than
/// the overlap, and some sales go unstamped.
/// At the end, with the faults off, the shared warehouse holds its starting stock less every
/// sale, both locations show it, and no push is left in the journal: nothing lost, nothing
/// counted twice. The adapter's own retries and `@idempotent` keys, the sync's journal and its
/// compare-and-set loop are all exercised against each other here, which the in-memory fake cannot do.
@Suite struct ShopifySyncPropertyTests {
    static let skus = ["S1", "S2", "S3"]
    /// Large enough that no location runs out over the run: a sale is always a plain drop.
    static let start = ["S1": 3000, "S2": 2500, "S3": 2000]

    /// The standard policy's shape (4 tries, a budget of throttle waits) in milliseconds, so that a
    /// thousand rounds of faults take seconds; the request timeout sits well above loopback round
    /// trips and below the long `slow` fault, so that fault times out and is retried like a lost answer.
    static let retry = ShopifyRetryPolicy(
        maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .milliseconds(40), requestTimeout: .milliseconds(600),
        maxThrottleWaits: 10, maxRetryAfter: .seconds(1))

    /// One emulated shop, its only location (linked to warehouse `w`) and its adapter.
    struct Shop: Sendable {
        var key: String
        var emulator: ShopifyEmulator
        var location: String
        var adapter: ShopifyStoreAdapter
    }

    /// How a run reads the shops, and how they stamp their changes.
    struct Variant: Sendable, CustomStringConvertible {
        var seed: UInt64
        var overlap: TimeInterval
        /// A page size of 2 makes every read of more than two levels a bulk operation.
        var pageSize: Int
        var maxSkew: TimeInterval
        var unstamped: Double
        var bulkFailures: Bool

        var description: String { "seed \(seed)" }
    }

    static let variants = [
        Variant(seed: 3, overlap: 0, pageSize: 250, maxSkew: 0, unstamped: 0, bulkFailures: false),
        Variant(seed: 4, overlap: 120, pageSize: 2, maxSkew: 300, unstamped: 0.02, bulkFailures: true),
    ]

    static func startShop(_ key: String, pageSize: Int = 250) async throws -> Shop {
        let token = makeToken()
        // Plus limits: the bucket itself never throttles, so every Throttled answer is an injected one.
        let emulator = try await ShopifyEmulator.start(token: token, limits: .plus)
        let location = await emulator.shop.addLocation("\(key.uppercased()) warehouse")
        // Stocked when the run's clock starts.
        await emulator.shop.setClock(ManualClock().now)
        for sku in skus { await emulator.shop.setAvailable(start[sku]!, sku: sku, at: location) }
        let variable = "\(key.uppercased())_SHOPIFY_TOKEN"
        var settings = ShopifyStoreSettings(
            storeKey: key, shop: "\(key).myshopify.com", credentials: .environment(variable), endpoint: emulator.endpoint,
            trust: TrustPolicy(allowedEndpoints: [emulator.endpoint]), retry: retry, pageSize: pageSize, environment: [variable: token])
        settings.bulkPollInterval = .milliseconds(16)
        let adapter = ShopifyStoreAdapter(settings: settings)
        return Shop(key: key, emulator: emulator, location: location, adapter: adapter)
    }

    /// Both shops' locations on stockyard master into warehouse `w`, already in step with it.
    static func hub(_ shops: [Shop]) -> InMemoryStateStore {
        var hub = HubState(lineage: "shopify-sync-property")
        hub.warehouses = ["w": WarehouseRecord(key: "w", name: "W", kind: .own)]
        hub.stock = ["w": SKUNumbers(start)]
        for shop in shops {
            hub.stores[shop.key] = StoreRecord(key: shop.key, platform: .shopify, target: "\(shop.key).myshopify.com")
            let link = ConnectionRecord(
                store: shop.key, locationID: shop.location, locationName: "\(shop.key.uppercased()) warehouse", warehouse: "w", master: .stockyard)
            hub.connections[link.id] = link
            hub.syncMarks[link.id] = start
        }
        return InMemoryStateStore(hub)
    }

    /// What happened over a run, for the checks that the faults were really exercised.
    struct Tally {
        var rounds = 0
        var syncs = 0
        var thrown = 0
        var failures = 0
        var conflicts = 0
        var recoveries = 0
        var missed = 0
        var fullReads = 0
        var changeReads = 0
        var sold: [String: Int] = [:]
    }

    /// Schedules one fault on `shop`, at a modest overall rate, weighted towards the faults that
    /// test the sync's bookkeeping (lost write answers, sales during a push) over the ones that only
    /// test the client's waiting. Bursts of `maxAttempts` outlast the client's retries, so that a
    /// sync fails part-way and the next one must replay its journal.
    static func injectFault(on shop: Shop, bulk: Bool, rng: inout SeededGenerator) async {
        let emulated = shop.emulator.shop
        let write = FaultTarget.operation(.inventorySetQuantities)
        if bulk && Int.random(in: 0..<100, using: &rng) < 15 {
            // The next bulk read starts, then fails before it is done: nothing of it may be used.
            await emulated.endNextBulkOperations([.failed(errorCode: "INTERNAL_SERVER_ERROR")])
            return
        }
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<8: await emulated.inject(.throttled)
        case 8..<18: await emulated.inject(.tooManyRequests(retryAfter: "0.02"))
        case 18..<30: await emulated.inject(.serverError([500, 502, 503, 504].randomElement(using: &rng)!))
        case 30..<50: await emulated.inject(.lostResponse([502, 503].randomElement(using: &rng)!), on: write)
        case 50..<60: await emulated.inject(.slow(.milliseconds(Int64.random(in: 5...60, using: &rng))))
        // Past the request timeout: on a write, the write lands and the client never hears of it.
        case 60..<63: await emulated.inject(.slow(.milliseconds(800)), on: write)
        case 63..<68: await emulated.inject(.malformedJSON)
        case 68..<90:
            let sale = ShopifyFault.concurrentSale(units: Int.random(in: 1...3, using: &rng), sku: skus.randomElement(using: &rng)!, at: shop.location)
            await emulated.inject(sale, on: write)
        case 90..<95: await emulated.inject(.lostResponse(503), on: write, times: retry.maxAttempts)
        default: await emulated.inject(.serverError(503), times: retry.maxAttempts)
        }
    }

    /// Units sold at both shops by `concurrentSale` faults that landed, per SKU.
    static func concurrentSales(_ shops: [Shop]) async -> [String: Int] {
        var out: [String: Int] = [:]
        for shop in shops {
            for (sku, units) in await shop.emulator.shop.statistics.concurrentSales { out[sku, default: 0] += units }
        }
        return out
    }

    /// Two runs side by side: the run mostly waits (backoffs, Retry-After, slow answers), so a second
    /// costs little; eight seeds (1–8) all passed when this was written.
    @Test(arguments: variants)
    func salesAreNeverLostOrCountedTwiceThroughShopifyFaults(variant: Variant) async throws {
        let shops = [try await Self.startShop("a", pageSize: variant.pageSize), try await Self.startShop("b", pageSize: variant.pageSize)]
        do {
            try await run(variant, shops: shops)
        } catch {
            for shop in shops { await shop.emulator.stop() }
            throw error
        }
        for shop in shops { await shop.emulator.stop() }
    }

    func run(_ variant: Variant, shops: [Shop]) async throws {
        let seed = variant.seed
        var rng = SeededGenerator(seed: seed)
        let state = Self.hub(shops)
        var sync = Synchronizer(state: state, adapters: Dictionary(uniqueKeysWithValues: shops.map { ($0.key, $0.adapter as any StoreAdapter) }))
        let clock = ManualClock()
        sync.clock = { clock.now }
        sync.overlap = .seconds(Int64(variant.overlap))
        sync.fullEvery = .seconds(30 * 60)
        var tally = Tally()
        var overcount: String?
        let wall = ContinuousClock()
        let began = wall.now
        for _ in 0..<1_000 {
            tally.rounds += 1
            // A minute a round; the shops' clocks stand still with the hub's, some way behind it.
            clock.advance(by: 60)
            let behind = (variant.maxSkew * Double.random(in: 0..<1, using: &rng)).rounded()
            for shop in shops { await shop.emulator.shop.setClock(clock.now.addingTimeInterval(-behind)) }
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                let shop = shops.randomElement(using: &rng)!
                let sku = Self.skus.randomElement(using: &rng)!
                let units = Int.random(in: 1...4, using: &rng)
                let stamped = Double.random(in: 0..<1, using: &rng) >= variant.unstamped
                await shop.emulator.shop.sell(units, sku: sku, at: shop.location, stamped: stamped)
                tally.sold[sku, default: 0] += units
            }
            if Double.random(in: 0..<1, using: &rng) < 0.3 {
                await Self.injectFault(on: shops.randomElement(using: &rng)!, bulk: variant.pageSize < Self.skus.count, rng: &rng)
            }
            if Double.random(in: 0..<1, using: &rng) < 0.5 {
                tally.syncs += 1
                do {
                    let report = try await sync.syncOnce()
                    tally.failures += report.failures.count
                    tally.conflicts += report.conflicts
                    tally.recoveries += report.notes.filter { !$0.hasPrefix("full reconciliation") }.count
                    tally.missed += report.missedChanges.count
                    tally.fullReads += report.fullReads
                    tally.changeReads += report.incrementalReads
                } catch {
                    // Replaying the journal met a fault the client's retries did not outlast: the journal
                    // keeps the push, and the next sync replays it again.
                    tally.thrown += 1
                }
                // Checked after every sync, not only at the end: the hub never takes off more than was sold.
                let stock = try state.load().stock["w"] ?? [:]
                let landed = await Self.concurrentSales(shops)
                for sku in Self.skus where overcount == nil {
                    let sold = tally.sold[sku, default: 0] + landed[sku, default: 0]
                    if (stock[sku] ?? 0) < Self.start[sku]! - sold {
                        overcount = "round \(tally.rounds): the warehouse holds \(stock[sku] ?? 0) \(sku), but only \(sold) of \(Self.start[sku]!) were sold"
                    }
                }
            }
        }
        // The first round a sale was counted twice, if any (a count once wrong stays wrong, so only the first says anything).
        #expect(overcount == nil, "\(overcount ?? "")")

        // Faults off, every location read in full: sync until a run finds nothing to do.
        for shop in shops { await shop.emulator.shop.clearFaults() }
        sync.fullEvery = .zero
        var settled = false
        for _ in 0..<5 {
            clock.advance(by: 60)
            let report = try await sync.syncOnce()
            tally.missed += report.missedChanges.count
            #expect(report.failures.isEmpty, "\(report.failures)")
            if report.failures.isEmpty && report.soldUnits == 0 && report.pushes == 0 && report.notes.isEmpty && report.conflicts == 0 {
                settled = true
                break
            }
        }
        #expect(settled, "sync kept finding work with the faults off")

        let final = try state.load()
        #expect(final.pendingPushes.isEmpty, "\(final.pendingPushes)")
        let landed = await Self.concurrentSales(shops)
        for sku in Self.skus {
            let expected = Self.start[sku]! - tally.sold[sku, default: 0] - landed[sku, default: 0]
            #expect(final.stock["w"]?[sku] == expected, "\(sku): warehouse \(final.stock["w"]?[sku] ?? -1), expected \(expected)")
            for shop in shops {
                #expect(await shop.emulator.shop.available(sku: sku, at: shop.location) == expected, "\(sku) at shop \(shop.key)")
            }
        }

        // The run exercised what it claims to: sales both ways, every kind of fault, syncs that failed.
        var stats: [EmulatorStats] = []
        for shop in shops { stats.append(await shop.emulator.shop.statistics) }
        let injected = stats.map(\.injectedFaults).reduce(0, +)
        let replays = stats.map(\.idempotentReplays).reduce(0, +)
        let requests = stats.map(\.totalRequests).reduce(0, +)
        #expect(tally.sold.values.reduce(0, +) > 1_000)
        #expect(landed.values.reduce(0, +) > 20, "sales between read and write")
        #expect(tally.syncs > 400)
        #expect(injected > 150)
        #expect(replays > 20, "writes answered from Shopify's idempotency record")
        #expect(tally.conflicts > 5, "compare-and-set refusals")
        #expect(tally.failures + tally.thrown > 5, "syncs that failed part-way")
        #expect(tally.recoveries > 5, "journal replays")
        #expect(tally.changeReads > 5 * tally.fullReads, "most reads are of changes only: \(tally.changeReads), \(tally.fullReads) full")
        if variant.maxSkew > variant.overlap {
            #expect(tally.missed > 0, "changes stamped further back than the overlap, found by a full reconciliation")
        } else if variant.unstamped == 0 {
            #expect(tally.missed == 0, "every sale during a sync, stamped at the read mark, was read by the next round")
        }
        if variant.bulkFailures {
            let failedBulk = stats.map { $0.count(.bulkOperationRunQuery) }.reduce(0, +)
            #expect(failedBulk > 20, "reads went through bulk operations")
        }
        print(
            """
            ShopifySyncPropertyTests seed \(String(seed)): \(tally.rounds) rounds, \(tally.syncs) syncs, \(requests) requests, \
            \(injected) faults, \(landed.values.reduce(0, +)) units sold between read and write, \(replays) idempotent replays, \(tally.conflicts) conflicts, \(tally.failures) failed and \
            \(tally.thrown) thrown syncs, \(tally.recoveries) journal replays, \(tally.changeReads) reads of changes and \(tally.fullReads) full, \
            \(tally.missed) changes missed by reads of changes and found by a full one, in \(wall.now - began)
            """)
    }
}

/// Shopify can only set a quantity at a location that stocks the item, and a journaled push that
/// cannot land must not stop every later sync: the store says nothing was written, so the hub drops
/// it, reports it, and carries on.
extension ShopifySyncPropertyTests {
    @Test func aPushThatCanNeverLandDoesNotStopLaterSyncs() async throws {
        let a = try await Self.startShop("a")
        let b = try await Self.startShop("b")
        do {
            // A journaled push of a product shop b's location does not stock (it stopped stocking
            // it between the read and the write): it can never land.
            var hub = try Self.hub([a, b]).load()
            hub.pendingPushes = [
                PendingPush(
                    key: "stuck", store: "b", locationID: b.location,
                    writes: [QuantityWrite(locationID: b.location, sku: "A-ONLY", expected: 0, quantity: 10)])
            ]
            let state = InMemoryStateStore(hub)
            let sync = Synchronizer(state: state, adapters: ["a": a.adapter, "b": b.adapter])
            // A sale in shop a: the sync drops the stuck push, says so, and still counts the sale.
            await a.emulator.shop.sell(2, sku: "S1", at: a.location)
            let report = try await sync.syncOnce()
            #expect(
                report.notes == [
                    "dropped an interrupted push to b location \(b.location) that cannot land: SKU 'A-ONLY' is not stocked at location \(b.location); stock it there in Shopify first"
                ])
            #expect(report.failures.isEmpty)
            #expect(report.soldUnits == 2)
            #expect(try state.load().pendingPushes.isEmpty)
        } catch {
            await a.emulator.stop()
            await b.emulator.stop()
            throw error
        }
        await a.emulator.stop()
        await b.emulator.stop()
    }

    /// Shopify lists only the items a location stocks. When a merchant stops stocking an item at
    /// one store's location, that is no sale: the sync leaves the SKU out at that location and
    /// keeps the shared warehouse and the other store's number as they were.
    @Test func unstockingAnItemInOneStoreIsNotASale() async throws {
        let a = try await Self.startShop("a")
        let b = try await Self.startShop("b")
        do {
            let state = Self.hub([a, b])
            let sync = Synchronizer(state: state, adapters: ["a": a.adapter, "b": b.adapter])
            await b.emulator.shop.unstock(sku: "S2", at: b.location)
            let report = try await sync.syncOnce()
            let warehouse = try state.load().stock["w"]?["S2"]
            let atA = await a.emulator.shop.available(sku: "S2", at: a.location)
            #expect(report.soldUnits == 0)
            #expect(warehouse == Self.start["S2"])
            #expect(atA == Self.start["S2"], "shop a's S2 is left alone")
        } catch {
            await a.emulator.stop()
            await b.emulator.stop()
            throw error
        }
        await a.emulator.stop()
        await b.emulator.stop()
    }
}
