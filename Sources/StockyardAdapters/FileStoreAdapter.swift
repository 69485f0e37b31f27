import Foundation
import StockyardEngine

/// A store kept in a local JSON file. It behaves like a real store: reads, compare-and-set writes
/// (all or nothing), and atomic replacement of the file so a reader never sees half of it.
public struct FileStoreAdapter: StoreAdapter {
    public let path: String
    /// How messages name the file: the path as written in the config.
    public let displayPath: String
    private let cache = StoreFileCache()
    /// Files read and checked ahead of a plan (``FileStoreReadAhead``); its check of this file is
    /// taken when the file has not changed since.
    public let readAhead: FileStoreReadAhead?

    public init(path: String, displayPath: String? = nil, readAhead: FileStoreReadAhead? = nil) {
        self.path = path
        self.displayPath = displayPath ?? path
        self.readAhead = readAhead
    }

    var file: StoreFile { StoreFile(path: path, displayPath: displayPath) }

    func read() throws(FileStoreError) -> FileStoreDocument {
        let data = try file.contents()
        if let document = cache.document(ifBytes: data) { return document }
        let document = try FileStoreDocument.decode(data, file: displayPath)
        cache.remember(document, bytes: data)
        return document
    }

    public func locations() async throws -> [StoreLocation] {
        try read().storeLocations
    }

    /// One parse of the file for both locations and quantities.
    /// The quantities are read only for the wanted locations (the file is still checked whole).
    public func readFacts(storeKey: String, quantitiesFor wanted: @Sendable ([StoreLocation]) async -> Set<String>) async throws -> StoreFacts {
        do {
            return try await readFacts(storeKey: storeKey, ahead: readAhead?.take(path), quantitiesFor: wanted)
        } catch is ChangedSinceChecked {
            // Replaced or written between its check ahead and the reading of its numbers: read whole, as it is now.
            return try await readFacts(storeKey: storeKey, ahead: nil, quantitiesFor: wanted)
        }
    }

    /// The numbers of these locations, by id (none for one the file has none for); throws
    /// ``FileStoreError`` or ``ChangedSinceChecked``.
    private typealias QuantitiesReader = (Set<String>) throws -> [String: SKUNumbers]

    /// The file was replaced or written since it was checked ahead of a plan and before its numbers
    /// were read: ``readFacts(storeKey:quantitiesFor:)`` reads it again, whole, as it is now.
    private struct ChangedSinceChecked: Error {}

    private func readFacts(
        storeKey: String, ahead: FileStoreReadAhead.Checked?, quantitiesFor wanted: @Sendable ([StoreLocation]) async -> Set<String>
    ) async throws -> StoreFacts {
        let (locations, quantitiesOf) = try readDeferred(ahead: ahead)
        let quantities = try quantitiesOf(await wanted(locations))
        return StoreFacts(storeKey: storeKey, locations: locations, quantities: quantities)
    }

    /// The locations, and a reader of one location's numbers. Synchronous, so that the file's
    /// `Data` and the parsed document are gone before the caller waits for its choice of locations.
    ///
    /// A file checked ahead and still the same file (by ``FileStoreReadAhead/Identity``, from
    /// `stat`) is not read again for its locations: only the pieces holding the wanted locations'
    /// numbers are, and only from that same file, or ``ChangedSinceChecked`` says to read it anew.
    /// Most stores of a plan usually have no change that moves numbers: their files are then opened
    /// and read once, by the read-ahead; and a change moves the numbers of a few locations of a store.
    private func readDeferred(ahead: FileStoreReadAhead.Checked?) throws(FileStoreError) -> ([StoreLocation], QuantitiesReader) {
        let displayPath = displayPath
        if let ahead, StoreFile.identity(path) == ahead.identity {
            if let bytes = ahead.bytes {
                let deferred = FileStoreDocument.DeferredQuantities(bytes: bytes, ranges: ahead.quantityRanges)
                return (ahead.document.storeLocations, { ids in try Self.numbers(of: ids, in: deferred, file: displayPath) })
            }
            let path = path
            return (ahead.document.storeLocations, { ids in try Self.numbers(of: ids, checkedAhead: ahead, path: path) })
        }
        // Not checked ahead, or changed since: read and checked here.
        let data = try file.contents()
        if let known = cache.document(ifBytes: data) {
            let all = known.quantities ?? [:]
            return (known.storeLocations, { ids in Dictionary(uniqueKeysWithValues: ids.map { ($0, SKUNumbers(all[$0] ?? [:])) }) })
        }
        let (document, deferred) = try FileStoreDocument.decodeDeferringQuantities(data, file: displayPath)
        return (document.storeLocations, { ids in try Self.numbers(of: ids, in: deferred, file: displayPath) })
    }

    /// The numbers of locations `ids` from a checked file's bytes.
    private static func numbers(
        of ids: Set<String>, in deferred: FileStoreDocument.DeferredQuantities, file: String
    ) throws(FileStoreError) -> [String: SKUNumbers] {
        var numbers: [String: SKUNumbers] = [:]
        numbers.reserveCapacity(ids.count)
        for id in ids { numbers[id] = try Self.numbers(of: id, in: deferred, file: file) }
        return numbers
    }

    /// Pieces of a file closer than this are read as one.
    static let pieceGap = 16 << 10

    /// The numbers of locations `ids` of a file checked ahead, read from the pieces of it that hold
    /// them (neighbouring ones as one piece), once the file opened is still the one checked. A
    /// piece that does not read as checked means the file is not: ``ChangedSinceChecked``.
    private static func numbers(of ids: Set<String>, checkedAhead ahead: FileStoreReadAhead.Checked, path: String) throws -> [String: SKUNumbers] {
        var numbers: [String: SKUNumbers] = [:]
        numbers.reserveCapacity(ids.count)
        var wanted: [(id: String, range: Range<Int>)] = []
        for id in ids {
            if let range = ahead.quantityRanges[id] { wanted.append((id, range)) } else { numbers[id] = [:] }
        }
        guard !wanted.isEmpty else { return numbers }
        wanted.sort { $0.range.lowerBound < $1.range.lowerBound }
        var pieces: [Range<Int>] = []
        for (_, range) in wanted {
            if let last = pieces.last, range.lowerBound - last.upperBound <= pieceGap {
                pieces[pieces.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                pieces.append(range)
            }
        }
        guard let bytes = StoreFile.pieces(path, ranges: pieces, ifStill: ahead.identity) else { throw ChangedSinceChecked() }
        var piece = 0
        for (id, range) in wanted {
            while pieces[piece].upperBound < range.upperBound { piece += 1 }
            do throws(JSONInputError) {
                numbers[id] = try FileStoreDocument.DeferredQuantities.numbers(
                    of: id, at: range.lowerBound - pieces[piece].lowerBound, in: bytes[piece])
            } catch {
                throw ChangedSinceChecked()
            }
        }
        return numbers
    }

    /// One location's numbers from a checked file's bytes; none when the file has none for it.
    private static func numbers(of id: String, in deferred: FileStoreDocument.DeferredQuantities, file: String) throws(FileStoreError) -> SKUNumbers {
        do throws(JSONInputError) {
            return try deferred.quantities(of: id) ?? [:]
        } catch {
            throw .invalid(file: file, line: error.line, column: error.column, reason: error.message)
        }
    }

    public func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]] {
        let all = try read().quantities ?? [:]
        var out: [String: [String: Int]] = [:]
        for id in locationIDs { out[id] = all[id] ?? [:] }
        return out
    }

    /// All or nothing, as Shopify's `inventorySetQuantities` is for one call: one stale write
    /// refuses the request, and the file is left as it was.
    public func setQuantities(_ writes: [QuantityWrite], idempotencyKey: String) async throws -> WriteOutcome {
        try withExclusiveAccess {
            var document = try read()
            if let answered = document.requests?.first(where: { $0.key == idempotencyKey }) {
                return answered.refused.isEmpty ? .all(writes) : WriteOutcome(written: [], refused: answered.refused)
            }
            var quantities = document.quantities ?? [:]
            let known = Set(document.locations.map(\.id))
            var refused: [QuantityWrite] = []
            for write in writes {
                guard known.contains(write.locationID) else {
                    throw FileStoreError.unknownLocation(file: displayPath, locationID: write.locationID)
                }
                guard StockQuantity.isValid(write.quantity) else {
                    throw FileStoreError.quantityOutOfRange(file: displayPath, sku: write.sku, locationID: write.locationID, quantity: write.quantity)
                }
                let current = quantities[write.locationID]?[write.sku] ?? 0
                if let expected = write.expected, expected != current { refused.append(write) }
            }
            if refused.isEmpty {
                for write in writes { quantities[write.locationID, default: [:]][write.sku] = write.quantity }
                document.quantities = quantities
            }
            var requests = document.requests ?? []
            requests.append(.init(key: idempotencyKey, refused: refused))
            document.requests = Array(requests.suffix(FileStoreDocument.keptRequests))
            try write(document)
            return refused.isEmpty ? .all(writes) : WriteOutcome(written: [], refused: refused)
        }
    }

    /// Changes a store file as a whole, with the folder of the file (a symlink's target) locked,
    /// so that two writers, in this process or another, never interleave a read and a write.
    public func withExclusiveAccess<T>(_ body: () throws -> T) throws -> T {
        try file.withFolderLocked(body)
    }

    /// Replaces the file all or nothing, keeping its mode, owner and unknown keys.
    func write(_ document: FileStoreDocument) throws {
        var data = cache.encode(document)
        data.append(0x0A)
        try file.replace(with: data)
        cache.remember(document, bytes: [UInt8](data))
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
    private var bytes: [UInt8]?
    private var document: FileStoreDocument?
    private var renderedLocations: FileStoreDocument.RenderedLocations?

    func encode(_ document: FileStoreDocument) -> Data {
        lock.lock()
        defer { lock.unlock() }
        return document.encodedJSON(reusing: &renderedLocations)
    }

    func document(ifBytes data: [UInt8]) -> FileStoreDocument? {
        lock.lock()
        defer { lock.unlock() }
        return bytes == data ? document : nil
    }

    func remember(_ document: FileStoreDocument, bytes data: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        self.bytes = data
        self.document = document
    }
}
