import Foundation
import StockyardEngine

/// A store kept in a local JSON file. It behaves like a real store: reads, compare-and-set writes,
/// and atomic replacement of the file so a reader never sees half of it.
public struct FileStoreAdapter: StoreAdapter {
    public let path: String
    /// How messages name the file: the path as written in the config.
    public let displayPath: String

    public init(path: String, displayPath: String? = nil) {
        self.path = path
        self.displayPath = displayPath ?? path
    }

    func read() throws(FileStoreError) -> FileStoreDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw FileStoreError(message: exists ? "\(displayPath): cannot read the store file" : "\(displayPath): no store file here (the path is relative to the config file's folder)")
        }
        return try FileStoreDocument.decode(data, file: displayPath)
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
            try Self.replaceAtomically(path: path, with: document, displayPath: displayPath)
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
    static func replaceAtomically(path: String, with document: FileStoreDocument, displayPath: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(document) + Data("\n".utf8)
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw FileStoreError(message: "\(displayPath): cannot write the store file: \(error.localizedDescription)")
        }
    }
}
