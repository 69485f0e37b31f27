import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore {
    /// Takes the apply lock, or returns who holds it.
    ///
    /// Read and insert happen in one IMMEDIATE transaction, so two applies starting together cannot
    /// both win. A holder that already holds the lock is told so (it gets its own `LockInfo` back):
    /// the lock is not re-entrant, because holder names need not be unique across processes.
    public func acquireLock(_ info: LockInfo) throws(StateError) -> LockInfo? {
        guard let pool else { throw readOnlyError }
        return try perform("locking") {
            try pool.writeWithoutTransaction { db in
                var holder: LockInfo?
                try db.inTransaction(.immediate) {
                    holder = try Self.readLock(db)
                    if holder == nil {
                        try db.execute(
                            sql: "INSERT INTO lock (id, holder, host, pid, since, command) VALUES (1, ?, ?, ?, ?, ?)",
                            arguments: [info.holder, info.host, info.pid, info.since, info.command]
                        )
                    }
                    return .commit
                }
                return holder
            }
        }
    }

    /// Releases the lock if `holder` holds it; any lock when `holder` is nil (`state unlock`).
    /// Releasing a lock nobody holds, or someone else holds, does nothing.
    public func releaseLock(holder: String?) throws(StateError) {
        guard let pool else { return }
        try perform("unlocking") {
            // One statement: atomic on its own, no transaction needed.
            try pool.writeWithoutTransaction { db in
                if let holder {
                    try db.execute(sql: "DELETE FROM lock WHERE holder = ?", arguments: [holder])
                } else {
                    try db.execute(sql: "DELETE FROM lock")
                }
            }
        }
    }

    /// Who holds the apply lock, if anyone.
    public func currentLock() throws(StateError) -> LockInfo? {
        guard let reader else { return nil }
        return try perform("reading the lock of") {
            try reader.read(Self.readLock)
        }
    }

    private static func readLock(_ db: Database) throws -> LockInfo? {
        guard let row = try Row.fetchOne(db, sql: "SELECT holder, host, pid, since, command FROM lock WHERE id = 1")
        else { return nil }
        return LockInfo(holder: row[0], host: row[1], pid: row[2], since: row[3], command: row[4])
    }
}
