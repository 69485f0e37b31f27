import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// `inventorySetQuantities` with `changeFromQuantity`: a sale that lands between read and write is never lost.
@Suite struct ShopifyWriteTests {
    @Test func writesLandWhenTheStoreHasNotMoved() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(10, sku: "SKU-1", at: a)
            await emulator.shop.setAvailable(4, sku: "SKU-2", at: a)
            let store = adapter(for: emulator, token: token)
            let writes = [
                QuantityWrite(locationID: a, sku: "SKU-1", expected: 10, quantity: 25),
                QuantityWrite(locationID: a, sku: "SKU-2", expected: 4, quantity: 0),
            ]
            let outcome = try await store.setQuantities(writes, idempotencyKey: UUID().uuidString)
            #expect(outcome == .all(writes))
            #expect(try await store.quantities(at: [a])[a] == ["SKU-1": 25, "SKU-2": 0])
            #expect(await emulator.shop.statistics.count(.inventorySetQuantities) == 1)
        }
    }

    @Test func aSaleBetweenReadAndWriteRefusesTheWholeRequest() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            let b = await emulator.shop.addLocation("B")
            await emulator.shop.setAvailable(10, sku: "SKU-1", at: a)
            await emulator.shop.setAvailable(7, sku: "SKU-2", at: a)
            await emulator.shop.setAvailable(3, sku: "SKU-1", at: b)
            let store = adapter(for: emulator, token: token)
            let seen = try await store.quantities(at: [a, b])
            await emulator.shop.sell(2, sku: "SKU-2", at: a)
            let sale = QuantityWrite(locationID: a, sku: "SKU-2", expected: seen[a]!["SKU-2"], quantity: 20)
            let outcome = try await store.setQuantities(
                [
                    QuantityWrite(locationID: a, sku: "SKU-1", expected: seen[a]!["SKU-1"], quantity: 20),
                    sale,
                    QuantityWrite(locationID: b, sku: "SKU-1", expected: seen[b]!["SKU-1"], quantity: 20),
                ], idempotencyKey: UUID().uuidString)
            #expect(outcome == WriteOutcome(written: [], refused: [sale]))
            #expect(await emulator.shop.available(sku: "SKU-2", at: a) == 5, "the sale is kept, not overwritten")
            #expect(await emulator.shop.available(sku: "SKU-1", at: a) == 10, "all or nothing: the other writes did not land either")
            #expect(await emulator.shop.available(sku: "SKU-1", at: b) == 3)
            #expect(await emulator.shop.statistics.count(.inventorySetQuantities) == 1, "refused whole, and not sent again in part")
        }
    }

    /// Location A holding 5 of each of 260 SKUs (a write of them all is two mutations), read once by
    /// the adapter returned, so that it knows their item ids.
    static func twoBatchesOfStock(_ emulator: ShopifyEmulator, token: String) async throws -> (String, [String], ShopifyStoreAdapter) {
        let a = await emulator.shop.addLocation("A")
        let skus = (0..<260).map { String(format: "SKU-%03d", $0) }
        for sku in skus { await emulator.shop.setAvailable(5, sku: sku, at: a) }
        let store = adapter(for: emulator, token: token)
        _ = try await store.quantities(at: [a])
        return (a, skus, store)
    }

    /// A refusal other than a stale quantity (here an item no longer stocked) leaves the mutation
    /// unapplied: with no batch before it, the push is known to have written nothing, so the hub can
    /// drop it from its journal instead of replaying it on every run. After a batch that landed, it
    /// cannot say that.
    @Test func aRefusedFirstBatchWroteNothingAndALaterOneMayHave() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let (a, skus, store) = try await Self.twoBatchesOfStock(emulator, token: token)
            await emulator.shop.unstock(sku: "SKU-003", at: a)
            let first = await thrownError {
                try await store.setQuantities([QuantityWrite(locationID: a, sku: "SKU-003", expected: 5, quantity: 9)], idempotencyKey: UUID().uuidString)
            }
            #expect((first as? ShopifyError)?.nothingWritten == true, "\(String(describing: first))")
            #expect("\(first!)".contains("ITEM_NOT_STOCKED_AT_LOCATION"))

            await emulator.shop.unstock(sku: "SKU-255", at: a)
            let writes = skus.filter { $0 != "SKU-003" }.map { QuantityWrite(locationID: a, sku: $0, expected: 5, quantity: 6) }
            let later = await thrownError { try await store.setQuantities(writes, idempotencyKey: UUID().uuidString) }
            #expect((later as? ShopifyError)?.nothingWritten == false, "the first 250 landed")
            #expect(await emulator.shop.available(sku: "SKU-000", at: a) == 6)
        }
    }

    /// A request over 250 quantities whose second mutation is refused at the door (a token revoked
    /// meanwhile) wrote its first 250: it must not say "nothing written", or the journal would drop
    /// it and the next sync would take the landed numbers for sales.
    @Test func anErrorAfterAnEarlierBatchLandedIsNotNothingWritten() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let (a, skus, store) = try await Self.twoBatchesOfStock(emulator, token: token)
            await emulator.shop.inject(.slow(.zero), on: .operation(.inventorySetQuantities))
            await emulator.shop.inject(.unauthorized, on: .operation(.inventorySetQuantities))
            let writes = skus.map { QuantityWrite(locationID: a, sku: $0, expected: 5, quantity: 6) }
            let error = await thrownError { try await store.setQuantities(writes, idempotencyKey: UUID().uuidString) }
            #expect((error as? ShopifyError)?.nothingWritten == false, "\(String(describing: error))")
            #expect("\(error!)".contains("HTTP 401"))
            #expect(await emulator.shop.available(sku: "SKU-000", at: a) == 6)
            #expect(await emulator.shop.available(sku: "SKU-255", at: a) == 5)
        }
    }

    @Test func noExpectedQuantityOptsOutOfTheCheck() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(10, sku: "SKU-1", at: a)
            await emulator.shop.sell(3, sku: "SKU-1", at: a)
            let outcome = try await adapter(for: emulator, token: token).setQuantities(
                [QuantityWrite(locationID: a, sku: "SKU-1", expected: nil, quantity: 50)], idempotencyKey: UUID().uuidString)
            #expect(outcome.refused.isEmpty && outcome.written.count == 1)
            #expect(await emulator.shop.available(sku: "SKU-1", at: a) == 50)
        }
    }

    @Test func aLostAnswerIsRetriedWithTheSameIdempotencyKey() async throws {
        // The write lands, the answer is lost, the client retries: Shopify answers from its record
        // instead of checking `changeFromQuantity` again (which would now look stale) or applying twice.
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(10, sku: "SKU-1", at: a)
            await emulator.shop.inject(.lostResponse(503), on: .operation(.inventorySetQuantities))
            let outcome = try await adapter(for: emulator, token: token).setQuantities(
                [QuantityWrite(locationID: a, sku: "SKU-1", expected: 10, quantity: 12)], idempotencyKey: UUID().uuidString)
            #expect(outcome.refused.isEmpty && outcome.written.count == 1)
            #expect(await emulator.shop.available(sku: "SKU-1", at: a) == 12)
            let stats = await emulator.shop.statistics
            #expect(stats.idempotentReplays == 1)
            #expect(stats.appliedWrites == 1)
        }
    }

    @Test func aReplayWithTheSameKeyAnswersWhatHappenedWithoutWritingAgain() async throws {
        // After a crash the hub replays a journalled write with its key to learn whether it landed.
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            await emulator.shop.setAvailable(10, sku: "SKU-1", at: a)
            await emulator.shop.setAvailable(10, sku: "SKU-2", at: a)
            await emulator.shop.sell(1, sku: "SKU-2", at: a)
            let store = adapter(for: emulator, token: token)
            let writes = [
                QuantityWrite(locationID: a, sku: "SKU-1", expected: 10, quantity: 15),
                QuantityWrite(locationID: a, sku: "SKU-2", expected: 10, quantity: 15),
            ]
            let first = try await store.setQuantities(writes, idempotencyKey: "journal-7")
            await emulator.shop.sell(2, sku: "SKU-1", at: a)
            let replay = try await store.setQuantities(writes, idempotencyKey: "journal-7")
            #expect(first == WriteOutcome(written: [], refused: [writes[1]]))
            #expect(replay == first)
            #expect(await emulator.shop.available(sku: "SKU-1", at: a) == 8, "nothing applied, and the later sale kept")
            #expect(await emulator.shop.statistics.idempotentReplays == 1, "the refused mutation was answered from the record")
        }
    }

    @Test func aPushAfterAReadTakesTheItemIdsFromThatRead() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            for i in 0..<300 { await emulator.shop.setAvailable(5, sku: "SKU-\(i)", at: a) }
            let store = adapter(for: emulator, token: token, retry: fastRetries)
            // Without a read first, the push looks its one SKU up by SKU: no read of the location's 300 levels.
            _ = try await store.setQuantities([QuantityWrite(locationID: a, sku: "SKU-1", expected: 5, quantity: 6)], idempotencyKey: UUID().uuidString)
            #expect(await emulator.shop.statistics.count(.inventoryLevels) == 0)
            #expect(await emulator.shop.statistics.count(.inventoryItems) == 1)
            #expect(await emulator.shop.available(sku: "SKU-1", at: a) == 6)
            // A read, then a push of what it read: no lookup at all.
            let seen = try await store.quantities(at: [a])[a]!
            #expect(await emulator.shop.statistics.count(.inventoryLevels) == 2)
            let outcome = try await store.setQuantities(
                [
                    QuantityWrite(locationID: a, sku: "SKU-299", expected: seen["SKU-299"], quantity: 1),
                    QuantityWrite(locationID: a, sku: "SKU-1", expected: 6, quantity: 2),
                ],
                idempotencyKey: UUID().uuidString)
            #expect(outcome.written.count == 2)
            #expect(await emulator.shop.statistics.count(.inventoryLevels) == 2, "the ids came from the read")
            #expect(await emulator.shop.statistics.count(.inventoryItems) == 1)
            #expect(await emulator.shop.available(sku: "SKU-299", at: a) == 1)
            // A SKU the read did not see is looked up, not guessed.
            await emulator.shop.setAvailable(0, sku: "NEW", at: a)
            _ = try await store.setQuantities([QuantityWrite(locationID: a, sku: "NEW", expected: 0, quantity: 3)], idempotencyKey: UUID().uuidString)
            #expect(await emulator.shop.statistics.count(.inventoryLevels) == 2)
            #expect(await emulator.shop.statistics.count(.inventoryItems) == 2)
            #expect(await emulator.shop.available(sku: "NEW", at: a) == 3)
        }
    }

    @Test func aSKUNotStockedAtTheLocationIsAnError() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let a = await emulator.shop.addLocation("A")
            let error = await thrownError {
                try await adapter(for: emulator, token: token).setQuantities(
                    [QuantityWrite(locationID: a, sku: "NOPE", expected: 0, quantity: 1)], idempotencyKey: UUID().uuidString)
            }
            #expect("\(error!)" == "acme: SKU 'NOPE' is not stocked at location \(a); stock it there in Shopify first")
            #expect(await emulator.shop.statistics.count(.inventorySetQuantities) == 0)
        }
    }

    @Test func manyWritesGoInBatchesOf250() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            for i in 0..<300 { await emulator.shop.setAvailable(0, sku: "SKU-\(i)", at: a) }
            let writes = (0..<300).map { QuantityWrite(locationID: a, sku: "SKU-\($0)", expected: 0, quantity: $0 + 1) }
            let outcome = try await adapter(for: emulator, token: token).setQuantities(writes, idempotencyKey: UUID().uuidString)
            #expect(outcome == .all(writes))
            let stats = await emulator.shop.statistics
            #expect(stats.count(.inventorySetQuantities) == 2)
            #expect(stats.appliedWrites == 300)
            #expect(await emulator.shop.available(sku: "SKU-299", at: a) == 300)
        }
    }

    @Test func aStaleSecondBatchStopsThePushAndTheOutcomeSaysWhatLanded() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let a = await emulator.shop.addLocation("A")
            for i in 0..<300 { await emulator.shop.setAvailable(5, sku: "SKU-\(String(format: "%03d", i))", at: a) }
            await emulator.shop.sell(1, sku: "SKU-280", at: a)
            let writes = (0..<300).map { QuantityWrite(locationID: a, sku: "SKU-\(String(format: "%03d", $0))", expected: 5, quantity: 9) }
            let outcome = try await adapter(for: emulator, token: token).setQuantities(writes, idempotencyKey: UUID().uuidString)
            #expect(outcome.written == Array(writes.prefix(250)), "the first mutation landed whole")
            #expect(outcome.refused == [writes[280]])
            #expect(await emulator.shop.available(sku: "SKU-249", at: a) == 9)
            #expect(await emulator.shop.available(sku: "SKU-250", at: a) == 5, "nothing of the refused mutation landed")
            #expect(await emulator.shop.available(sku: "SKU-280", at: a) == 4)
            #expect(await emulator.shop.statistics.count(.inventorySetQuantities) == 2)
        }
    }

    @Test func theMutationSendsWhat2026VersionsRequire() throws {
        let variables = SetQuantitiesVariables(
            input: .init(quantities: [
                .init(inventoryItemId: "gid://shopify/InventoryItem/1", locationId: "gid://shopify/Location/2", quantity: 5, changeFromQuantity: nil)
            ]),
            idempotencyKey: "k")
        let json = String(decoding: try JSONEncoder().encode(variables), as: UTF8.self)
        #expect(json.contains("\"changeFromQuantity\":null"), "an explicit null, never a missing key")
        #expect(json.contains("\"name\":\"available\""))
        #expect(json.contains("\"reason\":\"correction\""))
    }

    @Test func staleIndexesComeFromTheErrorField() {
        #expect(InventoryWriter.index(in: ["input", "quantities", "3", "changeFromQuantity"], count: 5) == 3)
        #expect(InventoryWriter.index(in: ["input", "quantities", "9"], count: 5) == nil)
        #expect(InventoryWriter.index(in: ["input"], count: 5) == nil)
        #expect(InventoryWriter.index(in: nil, count: 5) == nil)
    }
}
