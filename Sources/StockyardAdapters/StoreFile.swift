import Foundation

/// The file behind a `file` store, read and replaced as a file should be: through a symlink to
/// its target (the link stays a link), keeping the target's mode, owner and group, all or nothing
/// (a temporary file beside the target, renamed over it), and saying why when it cannot be read.
struct StoreFile: Sendable {
    /// The path as configured (it may be a symlink).
    let path: String
    /// How messages name it: the path as written in the config.
    let displayPath: String

    /// Temporary files are named `.NAME.stockyard-tmp-…` beside the target; one left by a process
    /// that was killed is removed by the next write, which holds the folder's lock.
    static let temporaryMarker = ".stockyard-tmp-"

    /// The file's bytes, or an error that says why not (missing, a folder, a FIFO, permissions).
    /// Read straight into the array: read into `Data` and then copied, a plan of store files of
    /// 200 SKUs a location spent a fifth of its reading there.
    func contents() throws(FileStoreError) -> [UInt8] {
        try Self.bytesAndIdentity(path, displayPath: displayPath).bytes
    }

    /// What identifies the version of the file at `path` now (through symlinks); nil when it
    /// cannot be found.
    static func identity(_ path: String) -> FileStoreReadAhead.Identity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return FileStoreReadAhead.Identity(info)
    }

    static func bytesAndIdentity(_ path: String, displayPath: String) throws(FileStoreError) -> (bytes: [UInt8], identity: FileStoreReadAhead.Identity) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                let file = StoreFile(path: path, displayPath: displayPath)
                throw file.isSymlink ? .danglingSymlink(file: displayPath, target: file.linkTarget ?? "?") : .missing(file: displayPath)
            }
            throw .unreadable(file: displayPath, reason: Self.describe(code))
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .isFolder(file: displayPath)
        case S_IFIFO: throw .isFIFO(file: displayPath)
        default: throw .isDeviceOrSocket(file: displayPath)
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(file: displayPath, reason: Self.describe(errno)) }
        defer { close(fd) }
        // The size `stat` gave (and a byte more, to see the end), then on to the end: the file
        // may have grown since.
        var failure: Int32 = 0
        var wanted = max(Int(info.st_size), 0) + 1
        var bytes = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, count in
            count = Self.readAll(fd, into: UnsafeMutableBufferPointer(rebasing: buffer[..<wanted]), failure: &failure, untilShort: true)
        }
        if failure != 0 { throw .unreadable(file: displayPath, reason: Self.describe(failure)) }
        guard fstat(fd, &info) == 0 else { throw .unreadable(file: displayPath, reason: Self.describe(errno)) }
        // A read that came short ended the file if the file is that long now (no read more to
        // see its end: at 10,000 small stores, that was a tenth of their system calls); else on
        // to the end.
        if bytes.count == wanted || Int(info.st_size) != bytes.count {
            var filled = true
            while failure == 0, filled {
                wanted = 1 << 16
                let more = [UInt8](unsafeUninitializedCapacity: wanted) { buffer, count in
                    count = Self.readAll(fd, into: UnsafeMutableBufferPointer(rebasing: buffer[..<wanted]), failure: &failure)
                }
                filled = more.count == wanted
                bytes += more
            }
            if failure != 0 { throw .unreadable(file: displayPath, reason: Self.describe(failure)) }
            guard fstat(fd, &info) == 0 else { throw .unreadable(file: displayPath, reason: Self.describe(errno)) }
        }
        return (bytes, FileStoreReadAhead.Identity(info))
    }

    /// The bytes of each of `ranges` (in ascending order, not overlapping), read from the file at
    /// `path` only if it is still the version `identity` names; nil when it is not, or it ends
    /// before one of them. The file is opened once and each range read where it is.
    static func pieces(_ path: String, ranges: [Range<Int>], ifStill identity: FileStoreReadAhead.Identity) -> [[UInt8]]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, FileStoreReadAhead.Identity(info) == identity else { return nil }
        var pieces: [[UInt8]] = []
        pieces.reserveCapacity(ranges.count)
        for range in ranges {
            var complete = false
            let piece = [UInt8](unsafeUninitializedCapacity: range.count) { buffer, count in
                var done = 0
                while done < range.count {
                    let n = pread(fd, buffer.baseAddress! + done, range.count - done, off_t(range.lowerBound + done))
                    if n < 0, errno == EINTR { continue }
                    if n <= 0 { break }
                    done += n
                }
                count = done
                complete = done == range.count
            }
            guard complete else { return nil }
            pieces.append(piece)
        }
        return pieces
    }

    /// Reads until `buffer` is full or the file ends, or with `untilShort` until a read gives
    /// fewer bytes than asked; how many bytes it read. `failure`: the error number of a read
    /// that failed.
    private static func readAll(
        _ fd: Int32, into buffer: UnsafeMutableBufferPointer<UInt8>, failure: inout Int32, untilShort: Bool = false
    ) -> Int {
        var done = 0
        while done < buffer.count {
            let n = read(fd, buffer.baseAddress! + done, buffer.count - done)
            if n < 0, errno == EINTR { continue }
            if n < 0 { failure = errno }
            if n <= 0 { break }
            done += n
            if untilShort, done < buffer.count { break }
        }
        return done
    }

    var isSymlink: Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    var linkTarget: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: path) }

    /// The file a write replaces: the symlink's final target, or the path itself.
    func target() -> String {
        guard isSymlink, let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Runs `body` with the target's folder locked (`flock`), so that two writers, in this process
    /// or another, never interleave a read and a write.
    func withFolderLocked<T>(_ body: () throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: target()).deletingLastPathComponent().path
        let fd = open(folder, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileStoreError.folderUnopenable(file: displayPath, reason: Self.describe(errno)) }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw FileStoreError.folderUnlockable(file: displayPath, reason: Self.describe(errno)) }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Replaces the target's content with `data`, all or nothing, keeping its mode, owner and group.
    /// Call with the folder locked.
    func replace(with data: Data) throws(FileStoreError) {
        let target = self.target()
        let url = URL(fileURLWithPath: target)
        let folder = url.deletingLastPathComponent().path
        let prefix = "." + url.lastPathComponent + Self.temporaryMarker
        removeLeftovers(in: folder, prefix: prefix)

        var info = stat()
        let existing = stat(target, &info) == 0
        let mode = existing ? info.st_mode & 0o7777 : 0o644
        let temporary = folder + "/" + prefix + UUID().uuidString.lowercased().prefix(12)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .unwritable(file: displayPath, reason: Self.describe(errno)) }
        var closed = false
        defer {
            if !closed { close(fd) }
        }
        func fail(_ error: (String) -> FileStoreError, _ code: Int32) -> FileStoreError {
            unlink(temporary)
            return error(Self.describe(code))
        }
        let unwritable = { FileStoreError.unwritable(file: displayPath, reason: $0) }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
        guard written else { throw fail(unwritable, errno) }
        // The umask may have narrowed the mode at creation.
        guard fchmod(fd, mode) == 0 else { throw fail({ .modeNotKept(file: displayPath, reason: $0) }, errno) }
        if existing, info.st_uid != geteuid() || info.st_gid != getegid() {
            guard fchown(fd, info.st_uid, info.st_gid) == 0 else {
                throw fail({ .ownerNotKept(file: displayPath, uid: info.st_uid, gid: info.st_gid, reason: $0) }, errno)
            }
        }
        guard fsync(fd) == 0 else { throw fail(unwritable, errno) }
        closed = true
        guard close(fd) == 0 else { throw fail(unwritable, errno) }
        guard rename(temporary, target) == 0 else { throw fail(unwritable, errno) }
    }

    /// Removes temporary files of this store file left by a process killed while writing. With the
    /// folder locked, no live writer has one open.
    private func removeLeftovers(in folder: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) { unlink(folder + "/" + name) }
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case EACCES, EPERM: return "permission denied"
        case ENOSPC: return "the disk is full"
        case EDQUOT: return "the disk quota is exceeded"
        case EROFS: return "the file system is read-only"
        case EISDIR: return "it is a folder"
        case ELOOP: return "too many levels of symlinks"
        default: return String(cString: strerror(code))
        }
    }
}
