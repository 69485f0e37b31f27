import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

/// Every fault the emulator can inject either recovers or ends in one clear error naming the store.
@Suite struct ShopifyFaultTests {
    static let recoverable: [ShopifyFault] = [
        .throttled, .tooManyRequests(retryAfter: "0.1"), .serverError(500), .serverError(502), .serverError(503),
        .serverError(504), .slow(.milliseconds(200)), .malformedJSON,
    ]

    @Test(arguments: recoverable)
    func aPassingFaultRecovers(fault: ShopifyFault) async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let ids = await emulator.shop.addLocations(count: 300)
            await emulator.shop.inject(fault)
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.map(\.id) == ids)
            let stats = await emulator.shop.statistics
            #expect(stats.injectedFaults == 1)
            // Two pages plus one retry; a slow answer may instead just arrive late (no retry), depending
            // on how busy the machine is.
            let expected = fault == .slow(.milliseconds(200)) ? 2...3 : 3...3
            #expect(expected.contains(stats.count(.locations)), "two pages, plus one retry unless the answer only came late")
        }
    }

    @Test(arguments: [
        (ShopifyFault.serverError(503), "acme: Shopify answered HTTP 503; gave up after 3 attempts"),
        (.malformedJSON, "acme: Shopify sent a response that is not valid JSON; gave up after 3 attempts"),
        (.slow(.seconds(2)), "acme: Shopify did not answer within 0.3 s; gave up after 3 attempts"),
        (.throttled, "acme: Shopify kept rate-limiting requests (Throttled) after 4 waits; try again later"),
        (.tooManyRequests(retryAfter: "0.05"), "acme: Shopify kept rate-limiting requests (HTTP 429) after 4 waits; try again later"),
        (.tooManyRequests(retryAfter: "3600"), "acme: Shopify asked to wait 3600 s before the next request (HTTP 429); try again later"),
        (.unauthorized, "acme: Shopify rejected the access token (HTTP 401)"),
    ])
    func aLastingFaultIsOneClearError(fault: ShopifyFault, message: String) async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            await emulator.shop.addLocations(count: 3)
            await emulator.shop.inject(fault, times: 1000)
            var retry = fastRetries
            // Only the slow-answer case needs a short timeout; the others keep a generous one, so a
            // busy machine cannot turn their fault into a timeout.
            if case .slow = fault { retry.requestTimeout = .milliseconds(300) }
            let error = await thrownError { try await adapter(for: emulator, token: token, retry: retry).locations() }
            #expect(error is ShopifyError)
            #expect("\(error!)" == message)
            #expect(!"\(error!)".contains(token))
        }
    }

    @Test func aRejectedTokenIsNotRetried() async throws {
        try await ShopifyEmulator.with(token: makeToken()) { emulator in
            let wrong = makeToken()
            let error = await thrownError { try await adapter(for: emulator, token: wrong).locations() }
            #expect((error as? ShopifyError)?.kind == .unauthorized)
            #expect("\(error!)" == "acme: Shopify rejected the access token (HTTP 401)")
            #expect(await emulator.shop.statistics.totalRequests == 1)
        }
    }

    @Test func aPageFailingMidPaginationIsRetriedNotRestarted() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            let ids = await emulator.shop.addLocations(count: 600)
            await emulator.shop.inject(.serverError(502), on: .continuationPage, times: 2)
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.map(\.id) == ids, "every location once, in order")
            #expect(await emulator.shop.statistics.count(.locations) == 5, "3 pages and 2 retries of the second: the first page is not read again")
        }
    }

    @Test func aPageThatKeepsFailingMidPaginationFailsTheWholeRead() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: .plus) { emulator in
            await emulator.shop.addLocations(count: 600)
            await emulator.shop.inject(.malformedJSON, on: .continuationPage, times: 1000)
            let store = adapter(for: emulator, token: token)
            let error = await thrownError { try await store.locations() }
            #expect("\(error!)" == "acme: Shopify sent a response that is not valid JSON; gave up after 3 attempts")
            // Once the fault is gone the same adapter reads everything: nothing half-read was kept.
            await emulator.shop.clearFaults()
            let again = try await store.locations()
            #expect(again.count == 600)
        }
    }

    @Test func aBurstThatOverrunsTheBucketIsThrottledThenPaced() async throws {
        // Six full pages read four at a time against a bucket that holds one: Shopify throttles the
        // first burst (the adapter has not seen the bucket yet); waits and pacing get every page read.
        let token = makeToken()
        try await ShopifyEmulator.with(token: token, limits: CostLimits(maximumAvailable: 800, restoreRate: 2000)) { emulator in
            let ids = await emulator.shop.addLocations(count: 6)
            for id in ids {
                for i in 0..<250 { await emulator.shop.setAvailable(i, sku: "SKU-\(i)", at: id) }
            }
            var retry = fastRetries
            retry.maxThrottleWaits = 30
            let quantities = try await adapter(for: emulator, token: token, retry: retry).quantities(at: ids)
            #expect(quantities.count == 6)
            #expect(quantities.values.allSatisfy { $0.count == 250 && $0["SKU-249"] == 249 })
            let stats = await emulator.shop.statistics
            // Whether the first burst is throttled depends on timing (a busy machine spreads it out,
            // and may slow an answer past the client's timeout, which is retried): every page is
            // asked for at least once per throttled answer, and each ends up read whole (above).
            #expect(stats.count(.inventoryLevels) >= 6 + stats.throttledResponses, "each page was read once it got through")
        }
    }

    @Test func retryAfterIsHonoured() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            await emulator.shop.addLocation("A")
            await emulator.shop.inject(.tooManyRequests(retryAfter: "0.3"))
            let clock = ContinuousClock()
            let started = clock.now
            let locations = try await adapter(for: emulator, token: token).locations()
            #expect(locations.count == 1)
            #expect(clock.now - started >= .milliseconds(300))
        }
    }

    @Test func backoffGrowsWithJitterUpToTheCap() {
        let policy = ShopifyRetryPolicy(baseDelay: .milliseconds(100), maxDelay: .milliseconds(500))
        #expect(policy.backoff(afterFailure: 1, random: 0) == .milliseconds(50))
        #expect(policy.backoff(afterFailure: 1, random: 1) == .milliseconds(100))
        #expect(policy.backoff(afterFailure: 3, random: 0) == .milliseconds(200))
        #expect(policy.backoff(afterFailure: 3, random: 1) == .milliseconds(400))
        #expect(policy.backoff(afterFailure: 10, random: 1) == .milliseconds(500))
        #expect(policy.backoff(afterFailure: 60, random: 0.5) == .milliseconds(375))
    }

    @Test func retryAfterParsesSecondsAndDates() {
        #expect(ShopifyClient.parseRetryAfter("2.0") == .seconds(2))
        #expect(ShopifyClient.parseRetryAfter("1") == .seconds(1))
        #expect(ShopifyClient.parseRetryAfter("soon") == nil)
        #expect(ShopifyClient.parseRetryAfter("Thu, 01 Jan 1970 00:00:00 GMT") == .zero)
    }
}
