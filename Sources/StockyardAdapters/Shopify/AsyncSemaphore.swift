/// At most `limit` holders at once; the rest wait in arrival order. Caps how many requests one
/// store has in flight, whichever adapter call they come from.
actor AsyncSemaphore {
    private let limit: Int
    private var holders = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    /// The most holders seen at once, for tests.
    private(set) var peak = 0

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    func withPermit<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        do {
            let value = try await body()
            release()
            return value
        } catch {
            release()
            throw error
        }
    }

    private func acquire() async {
        if holders < limit {
            holders += 1
            peak = max(peak, holders)
            return
        }
        // The releaser hands its permit straight to the first waiter, so `holders` stays the same.
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            holders -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }
}
