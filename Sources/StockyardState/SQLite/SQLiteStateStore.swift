import Foundation
import GRDB
import StockyardEngine

/// The hub's state in one SQLite file: the embedded default, so that trying Stockyard needs no server.
///
/// The file is opened in WAL mode, so a `plan` can read while an `apply` writes, and each commit is
/// one short IMMEDIATE transaction, so a crash or kill between changes leaves a consistent state.
/// Every error that leaves this type is a ``StateError`` whose message names the file, never a secret.
public final class SQLiteStateStore: StateStore {
    /// What a command may do to the file.
    public enum Access: Sendable, Hashable {
        /// Read only: the file is opened read-only (it may be immutable, or in a folder the user
        /// cannot write), nothing is migrated, and a missing file is an empty hub that stays missing.
        case read
        /// Read and write an existing file (migrating an older one); a missing file is an empty hub.
        case write
        /// Like `write`, and a missing file is created, with its folder: whole or not at all.
        case create
    }

    /// The file this store reads and writes, as given.
    public let path: String
    let access: Access
    /// What reads go through; `nil` when there is no state to read (a missing file, or, read-only,
    /// a file that holds no schema yet): an empty hub.
    let reader: (any DatabaseReader)?
    /// What writes go through; `nil` when the store was opened to read, or the file did not exist and
    /// the store was opened without `create` (a `plan` never writes).
    let pool: DatabasePool?

    /// Nothing to end: SQLite holds no session, and GRDB closes the file's connections when the
    /// store goes; every commit is already on disk.
    public func close() async {}

    /// Opens the state at `path` for `access`.
    ///
    /// An existing file written by an older Stockyard is migrated (unless opened to read); one
    /// written by a newer Stockyard, or a file that is not a Stockyard state, is refused.
    public init(path: String, access: Access) throws(StateError) {
        self.path = path
        self.access = access
        switch access {
        case .read:
            self.pool = nil
            self.reader = try Self.openForReading(path: path)
        case .write, .create:
            let pool = try Self.open(path: path, create: access == .create)
            self.pool = pool
            self.reader = pool
        }
    }

    /// Opens the state at `path` to write it: `create` makes a missing file (``Access/create``),
    /// otherwise a missing file is an empty hub that nothing is written to (``Access/write``).
    public convenience init(path: String, create: Bool) throws(StateError) {
        try self.init(path: path, access: create ? .create : .write)
    }

    private static func open(path: String, create: Bool) throws(StateError) -> DatabasePool? {
        if try !exists(path) {
            guard create else { return nil }
            try createAtomically(at: path)
        }
        let configuration = self.configuration(readonly: false)
        // Two processes opening one new file at once race for the switch to WAL and the first
        // migration, and SQLite answers the loser "database is locked" without waiting: retry.
        let deadline = Date().addingTimeInterval(10)
        while true {
            do throws(StateError) {
                let pool: DatabasePool
                do {
                    pool = try DatabasePool(path: path, configuration: configuration)
                } catch {
                    throw SQLiteErrors.map(error, path: path, doing: "opening")
                }
                try Schema.prepare(pool, path: path)
                return pool
            } catch {
                guard error.isBusy, Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Whether there is a file at `path`; a directory there is an error.
    static func exists(_ path: String) throws(StateError) -> Bool {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return false }
        if isDirectory.boolValue {
            throw .isDirectory(path: path)
        }
        return true
    }

    static func configuration(readonly: Bool) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = readonly
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "stockyard-state"
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Runs `body`, turning whatever it throws into a ``StateError`` about this file.
    func perform<T>(_ doing: String, _ body: () throws -> T) throws(StateError) -> T {
        do {
            return try body()
        } catch {
            throw SQLiteErrors.map(error, path: path, doing: doing)
        }
    }

    /// The error for a write to a state that was opened to read, or without `create` and does not exist.
    var readOnlyError: StateError {
        if access == .read {
            return .openedToRead(place: path)
        }
        return .absentWithoutCreate(place: path)
    }
}
