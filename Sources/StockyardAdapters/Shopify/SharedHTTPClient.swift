import AsyncHTTPClient

/// One `HTTPClient` for every Shopify call under way in the process, shut down when the last
/// one ends.
///
/// `StoreAdapter` has no close method and the CLI drops adapters when it is done with them, so
/// an adapter cannot own a client (one left running is a leak, and a crash in debug builds);
/// `HTTPClient.shared` is never shut down at all. Leasing a client for the length of each call
/// gives both: stores read together share one connection pool, and nothing outlives the work.
actor SharedHTTPClient {
    static let shared = SharedHTTPClient()

    private var client: HTTPClient?
    private var users = 0
    private var shutdown: Task<Void, Never>?

    /// Runs `body` with the shared client, starting it if needed and shutting it down after the last user.
    static func with<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        let client = await shared.acquire()
        do {
            let value = try await body(client)
            await shared.release()
            return value
        } catch {
            await shared.release()
            throw error
        }
    }

    private func acquire() async -> HTTPClient {
        // A client being shut down cannot take new requests: wait for it to finish, then start another.
        while let pending = shutdown {
            await pending.value
            if shutdown == pending { shutdown = nil }
        }
        users += 1
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

    /// The last user waits for the shutdown, so that when an adapter call returns no client is left running.
    private func release() async {
        users -= 1
        guard users == 0, let client else { return }
        self.client = nil
        let task = Task { () -> Void in _ = try? await client.shutdown() }
        shutdown = task
        await task.value
        if shutdown == task { shutdown = nil }
    }

    /// Waits until no client is running: for tests that check nothing is left behind.
    static func drain() async {
        await shared.waitForShutdown()
    }

    private func waitForShutdown() async {
        while let pending = shutdown {
            await pending.value
            if shutdown == pending { shutdown = nil }
        }
    }

    static var isRunning: Bool {
        get async { await shared.client != nil }
    }
}
