/// What holds something open until it is closed: a state (a server's connections), a store
/// adapter (an HTTP client).
public protocol Closable: Sendable {
    /// Ends what is held open; a no-op where nothing is. Not used after.
    func close() async
}

extension Closable {
    /// Runs `body`, then closes this whether `body` threw or not: the one place a command closes
    /// what it opened.
    public func closing<T>(_ body: () async throws -> T) async rethrows -> T {
        try await closingAll([self], body)
    }
}

/// Runs `body`, then closes every one of `resources` whether `body` threw or not.
public func closingAll<T>(_ resources: [any Closable], _ body: () async throws -> T) async rethrows -> T {
    do {
        let value = try await body()
        for resource in resources { await resource.close() }
        return value
    } catch {
        for resource in resources { await resource.close() }
        throw error
    }
}
