import Foundation
import GRDB
import StockyardEngine

/// The hub's state in one SQLite file: the embedded default, so that trying Stockyard needs no server.
///
/// The file is opened in WAL mode, so a `plan` can read while an `apply` writes, and each commit is
/// one short IMMEDIATE transaction, so a crash or kill between changes leaves a consistent state.
/// Every error that leaves this type is a ``StateError`` whose message names the file, never a secret.
public final class SQLiteStateStore: StateStore {
    /// The file this store reads and writes, as given.
    public let path: String
    /// `nil` when the file did not exist and the store was opened without `create`: an empty hub
    /// that must not leave a file behind (a `plan` never writes).
    let pool: DatabasePool?

    /// Opens the state at `path`.
    ///
    /// When the file does not exist and `create` is false, the store is an empty, read-only hub and
    /// nothing is written to disk; when `create` is true, the parent directory and the database are
    /// created. An existing file written by an older Stockyard is migrated; one written by a newer
    /// Stockyard, or a file that is not a Stockyard state, is refused.
    public init(path: String, create: Bool) throws(StateError) {
        self.path = path
        self.pool = try Self.open(path: path, create: create)
    }

    private static func open(path: String, create: Bool) throws(StateError) -> DatabasePool? {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: path, isDirectory: &isDirectory) {
            if isDirectory.boolValue {
                throw StateError("the state at \(path) is a directory, not a Stockyard state database")
            }
        } else {
            guard create else { return nil }
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            do {
                try files.createDirectory(at: parent, withIntermediateDirectories: true)
            } catch {
                throw StateError("could not create the directory for the state at \(path): \(error.localizedDescription)")
            }
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.label = "stockyard-state"
        configuration.prepareDatabase { db in
            // WAL + NORMAL: a commit survives a process crash; only an OS crash may lose the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        // Two processes opening one new file at once race for the switch to WAL and the first
        // migration, and SQLite answers the loser "database is locked" without waiting: retry.
        let deadline = Date().addingTimeInterval(10)
        while true {
            do throws(StateError) {
                let pool: DatabasePool
                do {
                    pool = try DatabasePool(path: path, configuration: configuration)
                } catch {
                    throw StateErrors.map(error, path: path, doing: "opening")
                }
                try Schema.prepare(pool, path: path)
                return pool
            } catch {
                guard error.isBusy, Date() < deadline else { throw error }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    /// Runs `body`, turning whatever it throws into a ``StateError`` about this file.
    func perform<T>(_ doing: String, _ body: () throws -> T) throws(StateError) -> T {
        do {
            return try body()
        } catch {
            throw StateErrors.map(error, path: path, doing: doing)
        }
    }

    /// The error for a write to a state that was opened without `create` and does not exist.
    var readOnlyError: StateError {
        StateError("state is read-only here: \(path) does not exist and was opened without create")
    }
}
