import Foundation
import GRDB
import StockyardEngine

extension SQLiteStateStore {
    // MARK: - Creating

    /// Builds a new state in a draft file beside `path` and links it into place once it is whole.
    ///
    /// Migrating the target in place is not atomic: GRDB creates its bookkeeping table before the
    /// first migration's transaction, so a kill in between left a file that was neither new nor a
    /// state. A crash here leaves no state (and a draft that the next creation removes), never half
    /// of one. `link` rather than `rename`, so that when two processes create the same state at once
    /// the second finds the first's file and uses it instead of replacing it.
    ///
    /// The file is created 0600 and a folder this creates 0700: a state holds the business's stock
    /// and, with a `file` store, where its files are. SQLite gives the -wal and -shm files the
    /// database file's mode.
    static func createAtomically(at path: String) throws(StateError) {
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotCreateDirectory(path: path, reason: error.localizedDescription)
        }
        let draftPrefix = ".\(target.lastPathComponent)."
        removeAbandonedDrafts(in: folder, prefix: draftPrefix)
        let draft = folder.appendingPathComponent(
            "\(draftPrefix)\(getpid()).\(UUID().uuidString.prefix(8).lowercased())\(draftSuffix)"
        ).path
        defer {
            unlink(draft)
            unlink(draft + "-journal")
        }
        let fd = Foundation.open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        Foundation.close(fd)
        do {
            // A queue in SQLite's default rollback-journal mode: one file, complete once closed.
            // The first pool that opens it switches it to WAL.
            var configuration = self.configuration(readonly: false)
            configuration.label = "stockyard-state-draft"
            let queue = try DatabaseQueue(path: draft, configuration: configuration)
            try Schema.migrator.migrate(queue)
            try queue.close()
        } catch {
            throw SQLiteErrors.map(error, path: path, doing: "creating")
        }
        try syncToDisk(draft, path: path)
        if link(draft, path) != 0 {
            let failure = errno
            // EEXIST: another process created the state meanwhile; use theirs.
            if failure != EEXIST {
                // A file system without hard links: rename, which is atomic too.
                guard rename(draft, path) == 0 else {
                    throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
                }
            }
        }
        try syncToDisk(folder.path, path: path)
    }

    private static let draftSuffix = ".creating"

    /// Removes drafts whose creating process is gone (killed while creating).
    private static func removeAbandonedDrafts(in folder: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(draftSuffix) {
            let fields = name.dropFirst(prefix.count).split(separator: ".")
            guard let pid = fields.first.flatMap({ pid_t($0) }), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink(folder.appendingPathComponent(name).path)
            unlink(folder.appendingPathComponent(name + "-journal").path)
        }
    }

    /// `fsync`s a file or folder, so that what was written or linked survives a power cut.
    private static func syncToDisk(_ file: String, path: String) throws(StateError) {
        let fd = Foundation.open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw .cannotCreate(path: path, reason: String(cString: strerror(errno)))
        }
        defer { Foundation.close(fd) }
        // A folder that cannot be synced (some file systems refuse) is no reason to fail.
        _ = fsync(fd)
    }

    // MARK: - Reading only

    /// Opens an existing state read-only; `nil` (an empty hub) when there is none.
    ///
    /// `plan`, `state show` and `history` must work on a state they cannot write: an immutable file,
    /// one owned by someone else, or one in a read-only folder. SQLite reads a WAL-mode file
    /// read-only when it can open or create the -shm index beside it; in a read-only folder where
    /// there is none, the file is read as immutable instead, which is exact because nothing can
    /// write there either (a writer needs the -wal and -shm files).
    static func openForReading(path: String) throws(StateError) -> (any DatabaseReader)? {
        guard try exists(path) else { return nil }
        let configuration = self.configuration(readonly: true)
        let raw: (DatabaseQueue, Schema.Status)
        do {
            do {
                raw = try openReadOnly(path, configuration: configuration)
            } catch let error as DatabaseError where [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode) {
                raw = try openReadOnly(immutableURI(path), configuration: configuration)
            }
        } catch {
            throw SQLiteErrors.map(error, path: path, doing: "opening")
        }
        let (queue, status) = (raw.0, try Schema.refusingUnknown(raw.1, path: path))
        switch status {
        case .current, .older:
            // An older state lacks only tables a later schema added (schema 2: sync's read marks),
            // which reading commands take as empty: a plan in a pull request works on the state an
            // older Stockyard left, and the first apply or sync upgrades it.
            return queue
        case .fresh, .newer, .foreign:  // newer and foreign were refused above
            // A zero-byte file, or one whose creation a kill cut short: nothing applied yet.
            return nil
        }
    }

    private static func openReadOnly(_ filename: String, configuration: Configuration) throws -> (DatabaseQueue, Schema.Status) {
        let queue = try DatabaseQueue(path: filename, configuration: configuration)
        return (queue, try queue.read(Schema.inspect))
    }

    /// `file:PATH?immutable=1`, the path percent-encoded (SQLite reads URI file names).
    private static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(encoded)?immutable=1"
    }
}
