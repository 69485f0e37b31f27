import Foundation
import StockyardEngine

/// `file` stores read and checked ahead of a plan, while the config is parsed.
///
/// A plan reads its stores once the config is parsed (a large config on two threads, libyaml's
/// and the one building the document, neither of them busy all the time). The state is read
/// beside it and names the stores the last apply wrote; their files can be read and
/// checked meanwhile, the way the plan reads them (`FileStoreDocument.readDeferringQuantities`).
/// The plan's own reading then takes what was checked instead of checking the file again, only
/// when it is the same file: the same path, and the same device, inode, size, modification and
/// change times now as when it was checked. A file changed in between (a rename
/// over it, a write in place) is read and checked anew, and one that failed its check here is
/// simply read as usual, so every error is the one the reading reports.
///
/// Only files the operator lets stores use are read here (the caller resolves them with the
/// ``TrustPolicy``), and nothing is written.
public final class FileStoreReadAhead: @unchecked Sendable {
    /// What identifies one version of a file.
    struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
        var modified: timespec
        var changed: timespec

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim
            changed = info.st_ctim
        }

        static func == (a: Identity, b: Identity) -> Bool {
            a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec
                && a.modified.tv_nsec == b.modified.tv_nsec && a.changed.tv_sec == b.changed.tv_sec && a.changed.tv_nsec == b.changed.tv_nsec
        }
    }

    /// One file as it was checked: the document without its numbers, and where each location's are.
    /// The bytes of a large file are not kept: held from here to the plan's own read, every store
    /// file would be in memory at once (424 MB at 100,000 connections of 200 SKUs). The plan takes
    /// the document once the file's identity (`stat`) shows it is the same file, and reads the file
    /// again, from the page cache, only where it wants some location's numbers: the pieces holding
    /// those locations' objects, once the file it opened is still the same (by its identity).
    /// A small file's bytes are kept, up to ``keptBytesBudget`` in all: opening it again to read
    /// a few hundred bytes cost more than its check (10,000 stores of ten locations, 38 MB in all).
    struct Checked {
        var identity: Identity
        var document: FileStoreDocument
        /// Location id -> the bytes of its numbers' object in the file.
        var quantityRanges: [String: Range<Int>]
        /// The file's bytes, kept when it is small.
        var bytes: [UInt8]?
    }

    /// A file up to this size keeps its bytes with its check, while the kept bytes not yet taken
    /// stay within ``keptBytesBudget``.
    static let smallFile = 64 << 10

    /// A file changed less than this many seconds ago may change again within the same tick of
    /// the file system's clock, keeping its times: it is not taken ahead (the reading checks it).
    let settled: Double

    private let lock = NSLock()
    private var checked: [String: Checked] = [:]
    private var stopped = false
    private var realPaths: [String: String] = [:]
    /// The bytes kept in ``checked``, in all.
    private var keptBytes = 0

    /// The most bytes of small files kept and not yet taken, in all.
    let keptBytesBudget: Int

    public init(settled: Double = 2, keptBytesBudget: Int = 32 << 20) {
        self.settled = settled
        self.keptBytesBudget = keptBytesBudget
    }

    /// Reads and checks the files at these real paths in turn, until ``stop()``.
    public func check(paths: [String]) {
        for path in paths {
            guard !isStopped else { return }
            if var found = check(path) {
                lock.withLock {
                    if let bytes = found.bytes {
                        if keptBytes + bytes.count <= keptBytesBudget {
                            keptBytes += bytes.count
                        } else {
                            found.bytes = nil
                        }
                    }
                    // The same file named twice (two stores of one file): the check before gives its room back.
                    keptBytes -= checked.updateValue(found, forKey: path)?.bytes?.count ?? 0
                }
            }
        }
    }

    /// Keeps the real paths the caller resolved for stores' `path:`s (as written, the config's
    /// folder the same) under the operator's ``TrustPolicy``, for the plan's own check of its
    /// stores' paths: each resolution looks at the file (`lstat`), and at 10,000 stores, doing it
    /// twice was a twentieth of a plan. Only paths the policy allows are given here.
    public func remember(realPaths: [String: String]) {
        lock.withLock { self.realPaths.merge(realPaths) { _, new in new } }
    }

    /// The real paths ``remember(realPaths:)`` kept, by the path as written.
    public var rememberedRealPaths: [String: String] { lock.withLock { realPaths } }

    /// Ends ``check(paths:)`` after the file it is reading.
    public func stop() {
        lock.withLock { stopped = true }
    }

    /// How many files are checked and not yet taken.
    public var count: Int { lock.withLock { checked.count } }

    private var isStopped: Bool { lock.withLock { stopped } }

    /// What was checked of the file at `path`, taken (a file is read once).
    func take(_ path: String) -> Checked? {
        lock.withLock {
            let taken = checked.removeValue(forKey: path)
            keptBytes -= taken?.bytes?.count ?? 0
            return taken
        }
    }

    // Small files too: a store of ten locations is still mostly its parse, not its opening, and
    // 10,000 of them were read only once the config was parsed, while this core had waited.
    private func check(_ path: String) -> Checked? {
        guard let (bytes, identity) = try? StoreFile.bytesAndIdentity(path, displayPath: path) else { return nil }
        let now = Date().timeIntervalSince1970
        let modified = Double(identity.modified.tv_sec) + Double(identity.modified.tv_nsec) / 1e9
        let changed = Double(identity.changed.tv_sec) + Double(identity.changed.tv_nsec) / 1e9
        guard now - max(modified, changed) >= settled else { return nil }
        guard let (document, deferred) = try? FileStoreDocument.readDeferringQuantities(bytes) else { return nil }
        var without = document
        without.quantities = nil
        return Checked(
            identity: identity, document: without, quantityRanges: deferred.ranges, bytes: bytes.count <= Self.smallFile ? bytes : nil)
    }
}
