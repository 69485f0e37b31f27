import Foundation
import Logging
import PostgresNIO
import StockyardEngine

/// The hub's state in a PostgreSQL database: for teams, whose pipelines and laptops share one hub.
///
/// Same tables and meaning as ``SQLiteStateStore``; each commit is one transaction; the apply lock
/// is a session advisory lock (which the server drops when the holder's session dies) plus a row
/// naming the holder. Opening is lazy and cannot fail on the network: the CLI opens the state
/// before it knows whether it will read it, and the first operation reports a clear ``StateError``.
///
/// Queries go through a `PostgresClient` pool whose `run()` lives in a task this object owns (the
/// CLI opens the state synchronously). ``close()`` ends it
/// and waits; `deinit` cancels it. Either way nothing keeps a finished CLI process alive, and a
/// killed one loses its connections, and so its lock, with its sockets.
/// Every error names host, port, database and user, never the password.
public final class PostgresStateStore: StateStore {
    /// Where the state is; its `description` carries no password.
    public let location: PostgresLocation
    /// Whether the first write may create the schema's tables (`apply`), or the state is read-only
    /// while it has none (`plan`, which never writes).
    let create: Bool
    let client: PostgresClient
    /// For the connections this store opens itself: the first one (so that a wrong password or an
    /// unreachable host fails at once, with the server's own reason), and the lock's.
    let connectionConfiguration: PostgresConnection.Configuration
    let logger: Logger
    let readiness = SchemaReadiness()
    let lockSession: LockSession
    private let runner: Task<Void, Never>

    /// Prepares a store for `location`; connects on first use.
    public init(location: PostgresLocation, create: Bool) throws(StateError) {
        self.location = location
        self.create = create
        // Nothing logs: postgres-nio's messages may carry query text, and the CLI is the only place
        // that prints.
        let logger = Logger(label: "stockyard.state.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        self.logger = logger
        let settings = try PostgresSettings(location)
        self.connectionConfiguration = settings.connection
        self.client = PostgresClient(configuration: settings.client, backgroundLogger: logger)
        self.lockSession = LockSession(configuration: settings.connection, logger: logger)
        let client = self.client
        self.runner = Task { await client.run() }
    }

    deinit {
        runner.cancel()
    }

    /// Closes the lock's connection (the server then drops any lock it still held) and stops the
    /// pool. Call it when done; the store cannot be used after.
    public func close() async {
        await lockSession.close()
        runner.cancel()
        await runner.value
    }

    /// Runs `body` on a pooled connection, once the schema is known to be ready.
    ///
    /// Returns `nil` without connecting to the pool when the state has no tables and was opened
    /// without `create`: an empty hub, like a SQLite state whose file does not exist.
    func withReadyConnection<T: Sendable>(
        _ doing: String, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StateError) -> T? {
        guard try await ready() else { return nil }
        return try await perform(doing) {
            try await client.withConnection { connection in try await body(connection) }
        }
    }

    /// Runs `body` in one transaction: on the lock's connection while this store holds the apply
    /// lock (so a write can never outlive the lock: if that session died, the write fails with it),
    /// else on a pooled connection.
    func inWriteTransaction<T: Sendable>(
        _ doing: String, _ body: @Sendable (PostgresConnection) async throws -> T
    ) async throws(StateError) -> T {
        guard try await ready() else { throw readOnlyError }
        return try await perform(doing) {
            if let result = try await lockSession.withHeldConnection({ connection in
                try await Self.transaction(connection, logger: logger, body)
            }) {
                return result
            }
            return try await client.withConnection { connection in
                try await Self.transaction(connection, logger: logger, body)
            }
        }
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK when `body` throws, and the error of `body` is what surfaces
    /// (postgres-nio's own `withTransaction` wraps it, which would hide a ``StateError``'s message).
    static func transaction<T: Sendable>(
        _ connection: PostgresConnection, logger: Logger, isolation: String = "",
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await connection.query(PostgresQuery(unsafeSQL: "BEGIN \(isolation)"), logger: logger)
        do {
            let value = try await body(connection)
            try await connection.query("COMMIT", logger: logger)
            return value
        } catch {
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    /// Runs `body`, turning whatever it throws into a ``StateError`` about this state.
    func perform<T>(_ doing: String, _ body: () async throws -> T) async throws(StateError) -> T {
        do {
            return try await body()
        } catch {
            throw PostgresErrors.map(error, location: location, doing: doing)
        }
    }

    /// The error for a write to a state that has no tables and was opened without `create`.
    var readOnlyError: StateError {
        .emptyWithoutCreate(place: location.description)
    }
}
