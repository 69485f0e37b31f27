import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

@Suite struct ShopifyReadTests {
    @Test func locationsCarryWhatThePlanNeeds() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let leeds = await emulator.shop.addLocation(
                "Leeds warehouse", address: PostalAddress(address1: "1 Dock Street", city: "Leeds", zip: "LS1 1AA", countryCode: "GB"))
            let closed = await emulator.shop.addLocation("Old shop", active: false)
            let shipbob = await emulator.shop.addLocation("ShipBob", fulfillmentService: "ShipBob", legacy: true)
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.map(\.id) == [leeds, closed, shipbob])
            #expect(
                locations[0]
                    == StoreLocation(
                        id: leeds, name: "Leeds warehouse", isActive: true, isFulfillmentService: false,
                        address: PostalAddress(address1: "1 Dock Street", city: "Leeds", zip: "LS1 1AA", countryCode: "GB")))
            #expect(!locations[1].isActive, "inactive locations are read too (includeInactive)")
            #expect(locations[2].isFulfillmentService, "3PL app locations are read too (includeLegacy)")
            let stats = await emulator.shop.statistics
            #expect(stats.operationNames == ["StockyardLocations"])
        }
    }

    /// Some shops put `Location.fulfillmentService` behind a fulfillment scope and answer
    /// ACCESS_DENIED for it; asking for it failed the whole store read. `isFulfillmentService` is
    /// covered by `read_locations` and tells a 3PL app's location on its own.
    @Test func aShopThatDeniesTheFulfillmentServiceFieldIsReadAllTheSame() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            await emulator.shop.denyLocationFields(["fulfillmentService"])
            let leeds = await emulator.shop.addLocation("Leeds warehouse")
            let shipbob = await emulator.shop.addLocation("ShipBob", fulfillmentService: "ShipBob", legacy: true)
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.map(\.id) == [leeds, shipbob])
            #expect(locations.map(\.isFulfillmentService) == [false, true])
        }
    }

    @Test func aThousandLocationsTakeFourRequests() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let ids = await emulator.shop.addLocations(count: 1000)
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.map(\.id) == ids)
            let stats = await emulator.shop.statistics
            #expect(stats.count(.locations) == 4)
            #expect(stats.totalRequests == 4)
        }
    }

    @Test func pacingKeepsUnderTheCostLimit() async throws {
        // A page of 250 costs 752 points; a 1,000-point bucket refilling at 1,000 a second cannot
        // serve three pages back to back, so without pacing the second request would be throttled.
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: CostLimits(maximumAvailable: 1000, restoreRate: 1000)) { emulator in
            await emulator.shop.addLocations(count: 700)
            let clock = ContinuousClock()
            let started = clock.now
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.count == 700)
            let stats = await emulator.shop.statistics
            #expect(stats.throttledResponses == 0)
            #expect(stats.count(.locations) == 3)
            #expect(clock.now - started >= .milliseconds(900), "two waits of about half a second each")
        }
    }

    @Test func quantitiesAreAvailableUnitsBySKU() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            let b = await emulator.shop.addLocation("B")
            await emulator.shop.setAvailable(12, sku: "SKU-1", at: a)
            await emulator.shop.setAvailable(0, sku: "SKU-2", at: a)
            await emulator.shop.setAvailable(5, sku: "SKU-1", at: b)
            await emulator.shop.addItem(sku: nil, available: 9, at: b)
            for i in 0..<300 { await emulator.shop.setAvailable(i, sku: "BULK-\(i)", at: b) }
            let quantities = try await adapter(for: emulator, token: token).quantities(at: [a, b, a])
            #expect(quantities[a] == ["SKU-1": 12, "SKU-2": 0])
            #expect(quantities[b]?["SKU-1"] == 5)
            #expect(quantities[b]?.count == 301, "items without a SKU are left out; 302 levels over two pages")
            #expect(quantities[b]?["BULK-299"] == 299)
            #expect(await emulator.shop.statistics.count(.inventoryLevels) == 3)
        }
    }

    @Test func readsStayWithinThePerStoreConcurrencyLimit() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            await emulator.shop.setLatency(.milliseconds(40))
            let ids = await emulator.shop.addLocations(count: 8)
            for id in ids { await emulator.shop.setAvailable(1, sku: "S", at: id) }
            let store = adapter(for: emulator, token: token, readConcurrency: 2)
            let quantities = try await store.quantities(at: ids)
            #expect(quantities.count == 8)
            #expect(await store.peakConcurrentRequests == 2, "8 locations read 2 at a time, not 8 at once nor one by one")
            #expect(await emulator.shop.statistics.peakConcurrentRequests <= 2)
        }
    }

    @Test func anUnknownLocationIsAClearError() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let error = await thrownError { try await adapter(for: emulator, token: token).quantities(at: ["gid://shopify/Location/999"]) }
            #expect("\(error!)" == "acme: no location has id gid://shopify/Location/999")
        }
    }

    @Test func twoItemsUnderOneSKUAreNotGuessedBetween() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(1, sku: "DUP", at: a)
            await emulator.shop.addItem(sku: "DUP", available: 2, at: a)
            let error = await thrownError { try await adapter(for: emulator, token: token).quantities(at: [a]) }
            #expect("\(error!)".contains("SKU 'DUP' names two inventory items"))
        }
    }

    @Test func apiVersionDefaultsToThePinnedOneAndCanBeSet() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            await emulator.shop.addLocation("A")
            _ = try await adapter(for: emulator, token: token).locations()
            #expect(await emulator.shop.statistics.apiVersions == [ShopifyStoreSettings.defaultAPIVersion])
            #expect(ShopifyStoreSettings.defaultAPIVersion == "2026-10")
            await emulator.shop.resetStatistics()
            _ = try await adapter(for: emulator, token: token, apiVersion: "2026-07").locations()
            #expect(await emulator.shop.statistics.apiVersions == ["2026-07"])
        }
    }

    @Test func theDocumentsAreCompiledIn() throws {
        for operation in ShopifyOperation.allCases {
            let text = operation.document
            #expect(text.components(separatedBy: operation.operationName + "(").count == 2, "\(operation) is one named operation")
            #expect(!text.hasPrefix(" ") && !text.contains("\n        query"), "\(operation) keeps its indentation")
        }
        #expect(ShopifyOperation.locations.document.contains("includeInactive: true"))
        #expect(ShopifyOperation.setInventoryQuantities.document.contains("@idempotent(key: $idempotencyKey)"))
    }
}
