import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// Big locations are read through bulk operations: the same numbers for a fraction of the points.
@Suite struct ShopifyBulkReadTests {
    static func bulkAdapter(_ emulator: ShopifyEmulator, token: String, afterPages: Int = 2, apiVersion: String? = nil) -> ShopifyStoreAdapter {
        var settings = ShopifyStoreSettings(
            storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("ACME_SHOPIFY_TOKEN"), apiVersion: apiVersion,
            endpoint: emulator.endpoint, trust: TrustPolicy(allowedEndpoints: [emulator.endpoint]), retry: fastRetries,
            environment: ["ACME_SHOPIFY_TOKEN": token])
        settings.bulkAfterPages = afterPages
        settings.bulkPollInterval = .milliseconds(10)
        return ShopifyStoreAdapter(settings: settings)
    }

    static func stock(_ emulator: ShopifyEmulator, skus: Int, at location: String) async {
        for i in 0..<skus { await emulator.shop.setAvailable(i % 97, sku: "SKU-\(i)", at: location) }
    }

    @Test func aBigLocationIsReadInBulkWithTheSameNumbersForFewerPoints() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            await Self.stock(emulator, skus: 2_000, at: a)
            // Paged, every page: the reference.
            let paged = try await Self.bulkAdapter(emulator, token: token, afterPages: 1_000).quantities(at: [a])[a]!
            let pagedStats = await emulator.shop.statistics
            #expect(pagedStats.count(.inventoryLevels) == 8)
            #expect(pagedStats.bulkOperationsStarted == 0)
            // Two pages, then a bulk operation for the whole location.
            await emulator.shop.setBulkPollsToComplete(2)
            let bulk = try await Self.bulkAdapter(emulator, token: token).quantities(at: [a])[a]!
            let stats = await emulator.shop.statistics
            #expect(bulk == paged)
            #expect(bulk.count == 2_000 && bulk["SKU-1999"] == 1999 % 97)
            #expect(stats.bulkOperationsStarted == 1)
            #expect(stats.count(.inventoryLevels) == 8 + 2)
            let pagedPoints = pagedStats.points[.inventoryLevels] ?? 0
            let bulkPoints = stats.pointsConsumed - pagedStats.pointsConsumed
            #expect(bulkPoints * 3 < pagedPoints, "bulk \(bulkPoints) points, paged \(pagedPoints)")
            #expect(stats.points[.bulkOperationRunQuery] == 10)
        }
    }

    @Test func aPushAfterABulkReadUsesItsItemIds() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            await Self.stock(emulator, skus: 600, at: a)
            let store = Self.bulkAdapter(emulator, token: token, afterPages: 1)
            let seen = try await store.quantities(at: [a])[a]!
            let outcome = try await store.setQuantities(
                [QuantityWrite(locationID: a, sku: "SKU-599", expected: seen["SKU-599"], quantity: 5)], idempotencyKey: UUID().uuidString)
            #expect(outcome.written.count == 1)
            #expect(await emulator.shop.available(sku: "SKU-599", at: a) == 5)
            #expect(await emulator.shop.statistics.bulkOperationsStarted == 1, "no second read for the push")
        }
    }

    @Test(arguments: [
        (EmulatedShop.BulkOperation.Ending.failed(errorCode: "INTERNAL_SERVER_ERROR"), "failed (INTERNAL_SERVER_ERROR); nothing of it was used"),
        (.canceled, "was cancelled; nothing of it was used"),
    ])
    func aBulkOperationThatDoesNotCompleteIsAClearError(ending: EmulatedShop.BulkOperation.Ending, message: String) async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            await Self.stock(emulator, skus: 600, at: a)
            await emulator.shop.endNextBulkOperations([ending])
            let error = await thrownError { try await Self.bulkAdapter(emulator, token: token, afterPages: 1).quantities(at: [a]) }
            #expect("\(error!)" == "acme: Shopify's bulk read of location \(a) \(message)")
        }
    }

    @Test(arguments: [("2026-10", 5), ("2025-10", 1)])
    func bulkReadsStayWithinTheShopsConcurrencyLimit(apiVersion: String, limit: Int) async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            var ids: [String] = []
            for i in 0..<8 {
                let id = await emulator.shop.addLocation("L\(i)")
                await Self.stock(emulator, skus: 260, at: id)
                ids.append(id)
            }
            await emulator.shop.setBulkPollsToComplete(3)
            var settings = Self.bulkAdapter(emulator, token: token, afterPages: 1, apiVersion: apiVersion).settings
            settings.readConcurrency = 8
            let store = ShopifyStoreAdapter(settings: settings)
            let read = try await store.quantities(at: ids)
            #expect(read.count == 8 && read.values.allSatisfy { $0.count == 260 })
            let stats = await emulator.shop.statistics
            #expect(stats.bulkOperationsStarted == 8)
            #expect(stats.peakRunningBulkOperations <= limit)
            #expect(stats.peakRunningBulkOperations >= 1)
        }
    }

    @Test func onlyALocationIdShopifyGaveIsWrittenIntoABulkQuery() {
        #expect(InventoryBulkReader.query(locationID: "gid://shopify/Location/42") != nil)
        for hostile in ["gid://shopify/Location/42\") { shop { name } } #", "gid://shopify/Location/", "gid://shopify/Product/1", "42"] {
            #expect(InventoryBulkReader.query(locationID: hostile) == nil, "\(hostile)")
        }
    }
}
