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

    public func quantities(at locationIDs: [String]) async throws -> [String: [String: Int]] {
        let all = try read().quantities ?? [:]
        var out: [String: [String: Int]] = [:]
        for id in locationIDs { out[id] = all[id] ?? [:] }
        return out
    }

    public func setQuantities(_ writes: [QuantityWrite]) async throws -> [QuantityWrite] {
        var document = try read()
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
        try Self.replaceAtomically(path: path, with: document, displayPath: displayPath)
        return refused
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
