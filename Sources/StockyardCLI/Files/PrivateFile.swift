import Foundation

/// Files only their owner may read (0600), written whole or not at all: a plan names stores,
/// locations and stock numbers, and is written where a pipeline keeps its artifacts.
enum PrivateFile {
    /// Writes `data` to a new 0600 file beside `path`, flushes it, and renames it over `path`.
    /// The mode is set when the file is created, so there is no moment when others could read it.
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(code: errno) }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            // The umask cannot widen 0600; set it again for a file system that ignores the mode at creation.
            guard fchmod(fd, 0o600) == 0 else { throw Failure(code: errno) }
            try handle.write(contentsOf: data)
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, path) == 0 else { throw Failure(code: errno) }
        } catch {
            try? handle.close()
            unlink(temporary)
            throw error
        }
    }

    struct Failure: Error, LocalizedError {
        var code: Int32
        var errorDescription: String? { String(cString: strerror(code)) }
    }
}
