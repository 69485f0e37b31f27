import Foundation
import StockyardEngine
import StockyardTestSupport

@testable import StockyardAdapters

/// A token that looks like a real one, different per test, so a leak is easy to grep for.
func makeToken() -> String {
    "shpat_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
}

/// Retries that take milliseconds, not seconds. The request timeout is long: tests count requests,
/// and a busy machine running the whole suite (kill tests, a browser) can be slow to answer one; a
/// request timed out and sent again would be counted twice. Tests of timeouts set their own.
let fastRetries = ShopifyRetryPolicy(
    maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100), requestTimeout: .seconds(120),
    maxThrottleWaits: 4, maxRetryAfter: .seconds(5))

/// An adapter for store `acme` pointed at the emulator, its token in a private environment. It
/// reads every page (no bulk operations) unless `bulkAfterPages` says otherwise: these tests are
/// about paging, and `ShopifyBulkReadTests` about bulk reads.
func adapter(
    for emulator: ShopifyEmulator, token: String, apiVersion: String? = nil, retry: ShopifyRetryPolicy = fastRetries,
    readConcurrency: Int = 4, bulkAfterPages: Int = 1_000
) -> ShopifyStoreAdapter {
    var settings = ShopifyStoreSettings(
        storeKey: "acme", shop: "acme.myshopify.com", credentials: .environment("ACME_SHOPIFY_TOKEN"), apiVersion: apiVersion,
        endpoint: emulator.endpoint, trust: TrustPolicy(allowedEndpoints: [emulator.endpoint]), retry: retry,
        readConcurrency: readConcurrency, environment: ["ACME_SHOPIFY_TOKEN": token])
    settings.bulkAfterPages = bulkAfterPages
    return ShopifyStoreAdapter(settings: settings)
}

/// Runs `body` and returns the error it threw, or `nil`.
func thrownError<T>(_ body: () async throws -> T) async -> (any Error)? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
