import Foundation
import Logging
import PostgresNIO
import StockyardEngine

/// The connection that holds the apply lock, for as long as the lock is held.
///
/// A session advisory lock belongs to one server session, and the protocol takes and releases the
/// lock in separate calls, so this object keeps that session open in between. When the process
/// dies, the server ends the session and the lock with it: a crashed apply never blocks the next.
///
/// Every method runs exclusively (an actor alone interleaves at each `await`, and a connection
/// must not run two transactions at once).
actor LockSession {
    /// The lock's key, as SQL: a constant class and a hash of the schema, because advisory locks
    /// are per database and several states may share a database, each in its own schema.
    static let keySQL = "\(PostgresSchema.applyLockClass), (hashtext(current_schema()) & 2147483647)"

    private let configuration: PostgresConnection.Configuration
    private let logger: Logger
    /// Open after the first attempt; kept while waiting (`--lock-timeout` retries every 200 ms).
    private var connection: PostgresConnection?
    /// Who this session holds the lock for, when it holds it.
    private(set) var holder: String?
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(configuration: PostgresConnection.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    deinit {
        // A connection must be closed before it is released; the callback keeps it alive until then.
        if let connection {
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// Takes the lock for `info`, or returns who holds it.
    func acquire(_ info: LockInfo) async throws -> LockInfo? {
        try await exclusively {
            let connection = try await open()
            if holder != nil {
                // Not re-entrant, as in SQLite: holder names need not be unique across processes.
                return try await Self.readRow(connection, logger: logger) ?? info
            }
            let rows = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_try_advisory_lock(\(Self.keySQL))"), logger: logger
            )
            var won = false
            for try await value in rows.decode(Bool.self) { won = value }
            guard won else { return try await otherHolder(connection) }
            do {
                // A row left by a holder whose session is gone is simply replaced.
                try await connection.query(
                    """
                    INSERT INTO lock (id, holder, host, pid, since, command)
                    VALUES (1, \(info.holder), \(info.host), \(info.pid), \(info.since), \(info.command))
                    ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, host = excluded.host,
                        pid = excluded.pid, since = excluded.since, command = excluded.command
                    """,
                    logger: logger
                )
            } catch {
                dropConnection()
                throw error
            }
            holder = info.holder
            return nil
        }
    }

    /// Clears the row and releases the advisory lock when this session holds it for `holder` (any
    /// holder when `nil`). Returns whether it did; otherwise the caller clears the row elsewhere.
    func release(holder requested: String?) async throws -> Bool {
        try await exclusively {
            guard let held = holder, requested == nil || requested == held, let connection else { return false }
            holder = nil
            defer { dropConnection() }
            try await connection.query("DELETE FROM lock WHERE holder = \(held)", logger: logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT pg_advisory_unlock(\(Self.keySQL))"), logger: logger
            )
            return true
        }
    }

    /// Runs `body` on the lock's connection if this session holds the lock; `nil` if it does not.
    func withHeldConnection<T: Sendable>(_ body: @Sendable (PostgresConnection) async throws -> T) async throws -> T? {
        try await exclusively {
            guard holder != nil, let connection else { return nil }
            guard !connection.isClosed else {
                holder = nil
                dropConnection()
                throw StateError.lockLost
            }
            return try await body(connection)
        }
    }

    /// Closes the connection; the server releases whatever lock it held.
    func close() async {
        await enter()
        holder = nil
        if let connection {
            self.connection = nil
            try? await connection.close()
        }
        leave()
    }

    /// Who holds the lock, when this session could not take it. The winner writes its row just
    /// after taking the lock: a missing row is usually that moment, so look again briefly.
    private func otherHolder(_ connection: PostgresConnection) async throws -> LockInfo {
        for _ in 0..<10 {
            if let row = try await Self.readRow(connection, logger: logger) { return row }
            try await Task.sleep(for: .milliseconds(50))
        }
        return LockInfo(
            holder: "unknown", host: "unknown", pid: 0, since: "unknown",
            command: "a Stockyard session whose lock record was removed (state unlock while it ran)"
        )
    }

    static func readRow(_ connection: PostgresConnection, logger: Logger) async throws -> LockInfo? {
        let rows = try await connection.query("SELECT holder, host, pid, since, command FROM lock WHERE id = 1", logger: logger)
        var info: LockInfo?
        for try await (holder, host, pid, since, command) in rows.decode((String, String, Int32, String, String).self) {
            info = LockInfo(holder: holder, host: host, pid: pid, since: since, command: command)
        }
        return info
    }

    private func open() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        dropConnection()
        let connection = try await PostgresConnection.connect(
            configuration: configuration, id: PostgresStateStore.nextConnectionID(), logger: logger
        )
        self.connection = connection
        return connection
    }

    private func dropConnection() {
        guard let connection else { return }
        self.connection = nil
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    private func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await enter()
        do {
            let value = try await body()
            leave()
            return value
        } catch {
            leave()
            throw error
        }
    }

    private func enter() async {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
    }

    private func leave() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
