import Foundation
import StockyardEngine

/// A store kept in a local JSON file. It behaves like a real store: reads, compare-and-set writes,
/// and atomic replacement of the file so a reader never sees half of it.
public struct FileStoreAdapter: StoreAdapter {
    public let path: String
    /// How messages name the file: the path as written in the config.
    public let displayPath: String
    private let cache = StoreFileCache()

    public init(path: String, displayPath: String? = nil) {
        self.path = path
        self.displayPath = displayPath ?? path
    }

    func read() throws(FileStoreError) -> FileStoreDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw FileStoreError(message: exists ? "\(displayPath): cannot read the store file" : "\(displayPath): no store file here (the path is relative to the config file's folder)")
        }
        if let document = cache.document(ifBytes: data) { return document }
        let document = try FileStoreDocument.decode(data, file: displayPath)
        cache.remember(document, bytes: data)
        return document
    }

    public func locations() async throws -> [StoreLocation] {
        try read().storeLocations
    }

    /// One parse of the file for both locations and quantities.
    public func readFacts(storeKey: String, quantitiesFor wanted: @Sendable (StoreLocation) -> Bool) async throws -> StoreFacts {
        let document = try read()
        let locations = document.storeLocations
        let all = document.quantities ?? [:]
        var quantities: [String: [String: Int]] = [:]
        for location in locations where wanted(location) { quantities[location.id] = all[location.id] ?? [:] }
        return StoreFacts(storeKey: storeKey, locations: locations, quantities: quantities)
    }

    public func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]] {
        let all = try read().quantities ?? [:]
        var out: [String: [String: Int]] = [:]
        for id in locationIDs { out[id] = all[id] ?? [:] }
        return out
    }

    public func setQuantities(_ writes: [QuantityWrite], idempotencyKey: String) async throws -> [QuantityWrite] {
        try withExclusiveAccess {
            var document = try read()
            if let answered = document.requests?.first(where: { $0.key == idempotencyKey }) {
                return answered.refused
            }
            var quantities = document.quantities ?? [:]
            let known = Set(document.locations.map(\.id))
            var refused: [QuantityWrite] = []
            for write in writes {
                guard known.contains(write.locationID) else {
                    throw FileStoreError(message: "\(displayPath): no location has id '\(write.locationID)'")
                }
                let current = quantities[write.locationID]?[write.sku] ?? 0
                if let expected = write.expected, expected != current {
                    refused.append(write)
                    continue
                }
                quantities[write.locationID, default: [:]][write.sku] = write.quantity
            }
            document.quantities = quantities
            var requests = document.requests ?? []
            requests.append(.init(key: idempotencyKey, refused: refused))
            document.requests = Array(requests.suffix(FileStoreDocument.keptRequests))
            try write(document)
            return refused
        }
    }

    /// Changes a store file as a whole, with the file's folder locked (`flock`) so that two writers,
    /// in this process or another, never interleave a read and a write.
    public func withExclusiveAccess<T>(_ body: () throws -> T) throws -> T {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let fd = open(folder, O_RDONLY)
        guard fd >= 0 else { throw FileStoreError(message: "\(displayPath): cannot open the store file's folder") }
        defer { close(fd) }
        guard flock(fd, LOCK_EX) == 0 else { throw FileStoreError(message: "\(displayPath): cannot lock the store file's folder") }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Writes a temporary file beside the target and renames it over: all or nothing.
    func write(_ document: FileStoreDocument) throws {
        var data = cache.encode(document)
        data.append(0x0A)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileStoreError(message: "\(displayPath): cannot write the store file: \(error.localizedDescription)")
        }
        cache.remember(document, bytes: data)
    }
}

/// What the adapter last read from or wrote to its file.
///
/// Apply reads a store file before every pull and push and rewrites it after every push; parsing
/// and rendering all of it each time made an apply quadratic in the store's size. A read whose
/// bytes are exactly the remembered ones reuses the parse: keyed by the whole content, not a
/// modification time, so an edit made in between, by anyone, is always seen. Writes reuse the
/// rendered locations while they are unchanged.
private final class StoreFileCache: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: Data?
    private var document: FileStoreDocument?
    private var renderedLocations: FileStoreDocument.RenderedLocations?

    func encode(_ document: FileStoreDocument) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return document.encodedJSON(reusing: &renderedLocations)
    }

    func document(ifBytes data: Data) -> FileStoreDocument? {
        lock.lock()
        defer { lock.unlock() }
        return bytes == data ? document : nil
    }

    func remember(_ document: FileStoreDocument, bytes data: Data) {
        lock.lock()
        defer { lock.unlock() }
        self.bytes = data
        self.document = document
    }
}
