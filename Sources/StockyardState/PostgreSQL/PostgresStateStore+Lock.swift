import Foundation
import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore {
    /// Takes the apply lock, or returns who holds it.
    ///
    /// The lock is `pg_try_advisory_lock` on a connection this store keeps open until
    /// ``releaseLock(holder:)``: the server decides, so two applies starting together cannot both
    /// win, and a holder that died (its session gone) no longer holds it. The `lock` row says who
    /// holds it, for the others' error message; a dead holder's row is overwritten.
    public func acquireLock(_ info: LockInfo) async throws(StateError) -> LockInfo? {
        guard try await ready() else { throw readOnlyError }
        let session = lockSession
        return try await perform("locking") { try await session.acquire(info) }
    }

    /// Releases the lock if `holder` holds it; any lock when `holder` is nil (`state unlock`).
    ///
    /// This store's own lock is released on its connection; otherwise only the row can be cleared
    /// (another session's advisory lock is that session's to release, and goes when it ends).
    public func releaseLock(holder: String?) async throws(StateError) {
        let session = lockSession
        if try await perform("unlocking", { try await session.release(holder: holder) }) { return }
        let logger = self.logger
        _ = try await withReadyConnection("unlocking") { connection in
            if let holder {
                try await connection.query("DELETE FROM lock WHERE holder = \(holder)", logger: logger)
            } else {
                try await connection.query("DELETE FROM lock", logger: logger)
            }
        }
    }

    /// Who holds the apply lock, if anyone.
    ///
    /// The row alone could be stale: a holder killed mid-apply leaves it behind, but its advisory
    /// lock went with its session and the next apply will proceed. So a row counts only while some
    /// session holds the advisory lock, and a lock held without a row (its row cleared by
    /// `state unlock --force` while it ran) is still reported.
    public func currentLock() async throws(StateError) -> LockInfo? {
        let logger = self.logger
        let result = try await withReadyConnection("reading the lock of") { connection -> LockStatus in
            let held = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT EXISTS (\(Self.advisoryLockHeldSQL))"), logger: logger
            )
            var isHeld = false
            for try await value in held.decode(Bool.self) { isHeld = value }
            return LockStatus(row: try await LockSession.readRow(connection, logger: logger), isHeld: isHeld)
        }
        guard let result, result.isHeld else { return nil }
        return result.row
            ?? LockInfo(
                holder: "unknown", host: "unknown", pid: 0, since: "unknown",
                command: "a Stockyard session whose lock record was removed (state unlock while it ran)"
            )
    }
}

extension PostgresStateStore {
    /// Removes the lock row a holder left when it died, and returns it; `nil` when there is none,
    /// or when a live session holds the lock (then the row is its, and stays).
    ///
    /// `state unlock` calls this when ``currentLock()`` reports no lock: the dead holder's lock is
    /// already free, and this tidies what it left. One statement, so an apply taking the lock at
    /// that moment keeps its row.
    public func clearStaleLock() async throws(StateError) -> LockInfo? {
        let logger = self.logger
        return try await withReadyConnection("unlocking") { connection -> LockInfo? in
            let rows = try await connection.query(
                PostgresQuery(
                    unsafeSQL: """
                        DELETE FROM lock WHERE NOT EXISTS (\(Self.advisoryLockHeldSQL))
                        RETURNING holder, host, pid, since, command
                        """
                ),
                logger: logger
            )
            var removed: LockInfo?
            for try await (holder, host, pid, since, command) in rows.decode((String, String, Int32, String, String).self) {
                removed = LockInfo(holder: holder, host: host, pid: pid, since: since, command: command)
            }
            return removed
        } ?? nil
    }

    /// A query with a row when some session holds this state's advisory lock.
    static let advisoryLockHeldSQL = """
        SELECT 1 FROM pg_catalog.pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())
          AND (classid::bigint, objid::bigint) = (\(LockSession.keySQL))
        """
}

private struct LockStatus: Sendable {
    var row: LockInfo?
    var isHeld: Bool
}
