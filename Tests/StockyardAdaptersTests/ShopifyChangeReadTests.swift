import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// Sync reads a location's changes only: `inventoryLevels(query: "updated_at:>='…'")`, paged or in
/// bulk, each level with its `updatedAt`; and it looks SKUs up with `inventoryItems(query: "sku:…")`
/// instead of reading a whole location, for the pushes of levels it did not read and the re-reads
/// after a refused write.
@Suite struct ShopifyChangeReadTests {
    static let start = Date(timeIntervalSince1970: 1_795_000_000)

    /// Ten SKUs stocked at `start`; SKU-3 sold 100 s later, SKU-5 200 s later.
    static func stockAndSell(_ emulator: ShopifyEmulator) async -> String {
        let a = await emulator.shop.addLocation("A")
        await emulator.shop.setClock(start)
        for i in 0..<10 { await emulator.shop.setAvailable(20, sku: "SKU-\(i)", at: a) }
        await emulator.shop.setClock(start.addingTimeInterval(100))
        await emulator.shop.sell(1, sku: "SKU-3", at: a)
        await emulator.shop.setClock(start.addingTimeInterval(200))
        await emulator.shop.sell(2, sku: "SKU-5", at: a)
        return a
    }

    @Test func aReadOfChangesReturnsTheLevelsStampedAtOrAfterTheInstant() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await Self.stockAndSell(emulator)
            let store = adapter(for: emulator, token: token)
            // Exactly at SKU-3's stamp: it is in (the filter is `>=`), and so is the later SKU-5.
            let changes = try await store.levels(at: a, changedSince: Self.start.addingTimeInterval(100))
            #expect(
                changes
                    == LevelReading(
                        quantities: ["SKU-3": 19, "SKU-5": 18],
                        changedAt: ["SKU-3": Self.start.addingTimeInterval(100), "SKU-5": Self.start.addingTimeInterval(200)], isComplete: false))
            // Part of a second after it: the filter starts at the whole second, so SKU-3 is still in.
            let late = try await store.levels(at: a, changedSince: Self.start.addingTimeInterval(100.7))
            #expect(Set(late.quantities.keys) == ["SKU-3", "SKU-5"])
            let after = try await store.levels(at: a, changedSince: Self.start.addingTimeInterval(101))
            #expect(after.quantities == ["SKU-5": 18])
            let full = try await store.levels(at: a, changedSince: nil)
            #expect(full.isComplete && full.quantities.count == 10 && full.changedAt["SKU-0"] == Self.start)
            // A page of two levels is charged for two levels, not for the 250 it could have held.
            let stats = await emulator.shop.statistics
            #expect(stats.count(.inventoryLevels) == 4)
            let charged: Double = 9 + 9 + 6 + 33  // 3 per request and 3 per level returned
            #expect(stats.points[.inventoryLevels] == charged)
        }
    }

    @Test func aBigReadOfChangesGoesThroughABulkOperationWithTheSameFilter() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await Self.stockAndSell(emulator)
            await emulator.shop.setClock(Self.start.addingTimeInterval(300))
            for i in [6, 7, 8] { await emulator.shop.sell(1, sku: "SKU-\(i)", at: a) }
            var settings = adapter(for: emulator, token: token).settings
            settings.pageSize = 2
            settings.bulkAfterPages = 1
            settings.bulkPollInterval = .milliseconds(10)
            let store = ShopifyStoreAdapter(settings: settings)
            let changes = try await store.levels(at: a, changedSince: Self.start.addingTimeInterval(200))
            #expect(changes.quantities == ["SKU-5": 18, "SKU-6": 19, "SKU-7": 19, "SKU-8": 19])
            #expect(changes.changedAt["SKU-8"] == Self.start.addingTimeInterval(300))
            #expect(await emulator.shop.statistics.bulkOperationsStarted == 1)
        }
    }

    /// Shopify's clock and the hub's differ: a change is stamped by the shop's clock.
    @Test func aShopClockBehindTheHubsStampsChangesInThePast() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(5, sku: "S", at: a)
            await emulator.shop.setClockSkew(-90)
            let before = Date()
            await emulator.shop.sell(1, sku: "S", at: a)
            let store = adapter(for: emulator, token: token)
            let recent = try await store.levels(at: a, changedSince: before.addingTimeInterval(-30))
            let older = try await store.levels(at: a, changedSince: before.addingTimeInterval(-120))
            #expect(recent.quantities.isEmpty, "stamped 90 s back")
            #expect(older.quantities == ["S": 4])
        }
    }

    @Test func aPushOfSKUsNoReadReturnedLooksThemUpBySKU() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            let b = await emulator.shop.addLocation("B")
            for i in 0..<300 { await emulator.shop.setAvailable(5, sku: "SKU-\(i)", at: a) }
            let odd = #"Tee "XL" : blue\navy"#
            await emulator.shop.setAvailable(7, sku: odd, at: a)
            await emulator.shop.setAvailable(9, sku: "ONLY-B", at: b)
            // A process that has read nothing yet, as after a restart between two sync rounds.
            let store = adapter(for: emulator, token: token)
            let outcome = try await store.setQuantities(
                [QuantityWrite(locationID: a, sku: "SKU-250", expected: 5, quantity: 4), QuantityWrite(locationID: a, sku: odd, expected: 7, quantity: 6)],
                idempotencyKey: UUID().uuidString)
            #expect(outcome.written.count == 2)
            #expect(await emulator.shop.available(sku: "SKU-250", at: a) == 4)
            #expect(await emulator.shop.available(sku: odd, at: a) == 6)
            let stats = await emulator.shop.statistics
            #expect(stats.count(.inventoryLevels) == 0, "the location's 301 levels are not read")
            #expect(stats.count(.inventoryItems) == 1)
            // An item stocked elsewhere only is not stocked here.
            let looked = try await store.quantities(of: ["SKU-1", "ONLY-B", "NOPE"], at: a)
            #expect(looked == ["SKU-1": 5])
            let error = await thrownError {
                try await store.setQuantities([QuantityWrite(locationID: a, sku: "ONLY-B", expected: 0, quantity: 1)], idempotencyKey: UUID().uuidString)
            }
            #expect("\(error!)" == "acme: SKU 'ONLY-B' is not stocked at location \(a); stock it there in Shopify first")
        }
    }

    @Test func searchValuesAreQuotedAndEscaped() {
        #expect(ShopifyStoreAdapter.quoted(#"Tee "XL" : blue\navy"#) == #""Tee \"XL\" : blue\\navy""#)
        #expect(ShopifyTimestamp.changedSinceFilter(Date(timeIntervalSince1970: 1_795_000_000.9)) == "updated_at:>='2026-11-18T11:06:40Z'")
        #expect(ShopifyTimestamp.parse("2026-11-18T11:06:40Z") == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(ShopifyTimestamp.parse("2026-11-18T12:06:40.250+01:00") == Date(timeIntervalSince1970: 1_795_000_000.25))
        #expect(ShopifyTimestamp.parse("2026-11-18 11:06:40") == nil)
    }
}
