import AsyncHTTPClient
import Foundation

/// The HTTP client of one Shopify adapter: made on the first request, ended by the adapter's
/// `close()`.
///
/// An adapter that is dropped without being closed still ends its client, without blocking, when
/// the last copy goes: a client left running is a leak, and a crash in debug builds.
/// (`HTTPClient.shared` is never shut down at all.)
final class ShopifyHTTPClient: @unchecked Sendable {
    private let lock = NSLock()
    private var client: HTTPClient?

    /// The client, started if need be.
    func get() -> HTTPClient {
        lock.withLock {
            if let client { return client }
            var pool = HTTPClient.Configuration.ConnectionPool()
            // Otherwise a refused connection is retried silently until the request's deadline; the
            // client's own retry policy (a few tries, backing off) should see it and decide.
            pool.retryConnectionEstablishment = false
            let made = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup,
                configuration: HTTPClient.Configuration(
                    // A redirect could carry the token header to another host: Shopify never redirects the API.
                    redirectConfiguration: .disallow,
                    timeout: .init(connect: .seconds(10)),
                    connectionPool: pool))
            client = made
            return made
        }
    }

    /// Whether a client is running: for tests that check nothing is left behind.
    var isRunning: Bool { lock.withLock { client != nil } }

    /// Ends the client and waits for it; requests still under way fail. A later request starts another.
    func close() async {
        guard
            let client = lock.withLock({ () -> HTTPClient? in
                defer { self.client = nil }
                return self.client
            })
        else { return }
        try? await client.shutdown()
    }

    deinit {
        // The callback form does not block, so it is safe wherever the last reference goes.
        client?.shutdown(queue: .global()) { _ in }
    }
}
