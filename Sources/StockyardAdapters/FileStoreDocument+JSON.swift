import Foundation
import StockyardEngine

// Store files are read before every pull and push of an apply and rewritten after every push: at
// a thousand locations per file, `JSONDecoder` and `JSONEncoder` (several milliseconds per read and
// per write) took 90% of an apply. These two are written for exactly this document.

extension FileStoreDocument {
    /// Reads a store file, strictly: first `JSONPreflight` (JSON syntax, nesting depth, a key given
    /// twice in any object), then the document's shape in one pass, every quantity a whole number in
    /// `StockQuantity.range`, location ids unique. Each error says where, as line and column. Keys
    /// Stockyard does not know are kept, so a rewrite of the file does not drop them.
    static func read(_ bytes: [UInt8]) throws(JSONInputError) -> FileStoreDocument {
        try JSONPreflight.check(bytes)
        var reader = JSONReader(bytes: bytes)
        return try reader.document()
    }

    /// As `read`, equally strict (every quantity is checked), but the quantities are kept as where
    /// each location's are in `bytes`, to be read for the locations a plan needs: with 200 SKUs a
    /// location, building every location's numbers was most of a plan's time and memory.
    ///
    /// The reader goes first here, and the preflight after it passes over the SKU objects and
    /// locations the reader checked to its rules (most of such a file's bytes). The errors are
    /// those of `read`: when the reader refuses, the whole preflight runs first, and its error,
    /// if any, wins.
    static func readDeferringQuantities(_ bytes: [UInt8]) throws(JSONInputError) -> (FileStoreDocument, DeferredQuantities) {
        var reader = JSONReader(bytes: bytes)
        reader.deferQuantities = true
        let document: FileStoreDocument
        do {
            document = try reader.document()
        } catch {
            try JSONPreflight.check(bytes)
            throw error
        }
        try JSONPreflight.check(bytes, skipping: reader.checkedValues)
        return (document, DeferredQuantities(bytes: bytes, ranges: reader.quantityRanges))
    }

    /// Where each location's quantities are in a store file that was read and checked whole.
    struct DeferredQuantities {
        let bytes: [UInt8]
        /// Location id -> the bytes of its `{ "SKU": units, … }` object.
        let ranges: [String: Range<Int>]

        /// The location's numbers; nil when the file has none for it.
        func quantities(of id: String) throws(JSONInputError) -> SKUNumbers? {
            guard let range = ranges[id] else { return nil }
            return try Self.numbers(of: id, at: range.lowerBound, in: bytes)
        }

        /// The numbers of location `id` from its checked object at `offset` in `bytes` (the
        /// file's, or a piece of it that holds the whole object).
        static func numbers(of id: String, at offset: Int, in bytes: [UInt8]) throws(JSONInputError) -> SKUNumbers {
            var reader = JSONReader(bytes: bytes)
            reader.position = offset
            return try reader.checkedSKUs(of: id)
        }
    }

    /// The file's bytes: what `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`
    /// writes on Linux (keys sorted by their UTF-8 bytes), byte for byte; kept unknown keys are
    /// written where they sort, their values as they were read.
    ///
    /// `rendered` holds the locations last written and their bytes. A push changes only quantities
    /// and requests, so the locations, two thirds of the file, are copied from there when they are
    /// unchanged (`==` on the same array storage returns at once), and it is updated otherwise.
    func encodedJSON(reusing rendered: inout RenderedLocations?) -> Data {
        var writer = JSONWriter()
        writer.document(self, reusing: &rendered)
        return Data(writer.bytes)
    }

    /// The `locations` array of a document as the writer wrote it, as the value of a top-level key.
    struct RenderedLocations {
        var locations: [Location]
        var bytes: [UInt8]
    }
}
