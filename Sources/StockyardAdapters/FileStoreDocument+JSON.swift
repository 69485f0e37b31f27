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
    static func readDeferringQuantities(_ bytes: [UInt8]) throws(JSONInputError) -> (FileStoreDocument, DeferredQuantities) {
        try JSONPreflight.check(bytes)
        var reader = JSONReader(bytes: bytes)
        reader.deferQuantities = true
        let document = try reader.document()
        return (document, DeferredQuantities(bytes: bytes, ranges: reader.quantityOffsets))
    }

    /// Where each location's quantities are in a store file that was read and checked whole.
    struct DeferredQuantities {
        let bytes: [UInt8]
        /// Location id -> the offset of its `{ "SKU": units, … }` object.
        let ranges: [String: Int]

        /// The location's numbers; nil when the file has none for it.
        func quantities(of id: String) throws(JSONInputError) -> [String: Int]? {
            guard let offset = ranges[id] else { return nil }
            var reader = JSONReader(bytes: bytes)
            reader.position = offset
            return try reader.skus(of: id)
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

// MARK: - Reading

/// Reads a store file that `JSONPreflight` has checked: the JSON is well formed, no deeper than
/// its cap, and no object repeats a key, so this reader only checks what the values are.
///
/// Written for exactly this document, without `JSONDecoder`: at a thousand locations per file,
/// `JSONDecoder` and `JSONEncoder` (several milliseconds per read and per write) took 90% of an apply.
struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    func fail(_ message: String, at offset: Int? = nil) -> JSONInputError {
        JSONInputError(at: offset ?? position, in: bytes, message)
    }

    mutating func document() throws(JSONInputError) -> FileStoreDocument {
        skipWhitespace()
        let start = position
        var locations: [FileStoreDocument.Location]?
        var quantities: [String: [String: Int]]?, requests: [FileStoreDocument.AnsweredRequest]?
        var extras: [String: [UInt8]] = [:]
        var quantityKeys: [(id: String, offset: Int)] = []
        try object(what: "the store file") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "locations":
                locations = try reader.array(what: "`locations`") { reader throws(JSONInputError) in try reader.location() }
            case "quantities":
                if reader.null() { return }
                var byLocation: [String: [String: Int]] = [:]
                try reader.object(what: "`quantities`") { reader, id, offset throws(JSONInputError) in
                    quantityKeys.append((id, offset))
                    if reader.deferQuantities {
                        reader.skipWhitespace()
                        reader.quantityOffsets[id] = reader.position
                        try reader.checkSKUs(of: id)
                    } else {
                        byLocation[id] = try reader.skus(of: id)
                    }
                }
                if !reader.deferQuantities { quantities = byLocation }
            case "requests":
                if reader.null() { return }
                requests = try reader.array(what: "`requests`") { reader throws(JSONInputError) in try reader.answeredRequest() }
            default:
                extras[key] = try reader.rawValue()
            }
        }
        guard let locations else { throw fail("a store file needs `locations`, the list of the store's locations", at: start) }
        // `locationIDs` holds every location's id already (each checked unique as it was read).
        if let unknown = quantityKeys.first(where: { locationIDs[$0.id] == nil }) {
            throw fail("`quantities` names location id '\(unknown.id)', which no location has", at: unknown.offset)
        }
        return FileStoreDocument(locations: locations, quantities: quantities, requests: requests, extras: extras)
    }

    /// Location ids already read, with where: an id given twice is an error naming both places.
    private var locationIDs: [String: Int] = [:]
    /// Check the quantities but keep only where each location's are (`quantityOffsets`).
    var deferQuantities = false
    var quantityOffsets: [String: Int] = [:]

    /// One location's `{ "SKU": units, … }`.
    mutating func skus(of id: String) throws(JSONInputError) -> [String: Int] {
        var skus: [String: Int] = [:]
        try object(what: "`quantities.\(id)`") { reader, sku, _ throws(JSONInputError) in
            skus[sku] = try reader.quantity(of: sku)
        }
        return skus
    }

    /// Checks what `skus(of:)` reads, with the same errors, without building a string or a
    /// dictionary entry per SKU (the JSON preflight has already refused repeated SKUs).
    mutating func checkSKUs(of id: String) throws(JSONInputError) {
        guard take(UInt8(ascii: "{")) else { throw fail("`quantities.\(id)` must be an object (`{ … }`)") }
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            let keyStart = position
            guard skipPlainString() || string() != nil else { throw fail("expected a key") }
            guard take(UInt8(ascii: ":")) else { throw fail("expected `:` after the key") }
            let bytes = self.bytes
            _ = try quantity(of: {
                var key = JSONReader(bytes: bytes)
                key.position = keyStart
                return key.string() ?? ""
            }())
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw fail("expected `,` or `}`") }
    }

    mutating func location() throws(JSONInputError) -> FileStoreDocument.Location {
        skipWhitespace()
        let start = position
        var id: String?, idOffset = start, name: String?, active: Bool?, fulfillmentService: Bool?, address: FileStoreDocument.Address?
        var extras: [String: [UInt8]] = [:]
        try object(what: "a location") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "id":
                reader.skipWhitespace()
                idOffset = reader.position
                id = try reader.string(what: "a location's `id`")
            case "name": name = try reader.string(what: "a location's `name`")
            case "active": active = try reader.optional { reader throws(JSONInputError) in try reader.bool(what: "`active`") }
            case "fulfillment_service":
                fulfillmentService = try reader.optional { reader throws(JSONInputError) in try reader.bool(what: "`fulfillment_service`") }
            case "address": address = try reader.optional { reader throws(JSONInputError) in try reader.address() }
            default: extras[key] = try reader.rawValue()
            }
        }
        guard let id else { throw fail("a location needs an `id`", at: start) }
        guard let name else { throw fail("location '\(id)' needs a `name`", at: start) }
        guard !id.isEmpty else { throw fail("a location's `id` is empty", at: idOffset) }
        if let first = locationIDs.updateValue(idOffset, forKey: id) {
            throw fail("location id '\(id)' appears twice (first at \(JSONInputError.position(of: first, in: bytes)))", at: idOffset)
        }
        return FileStoreDocument.Location(
            id: id, name: name, active: active, fulfillmentService: fulfillmentService, address: address, extras: extras)
    }

    mutating func address() throws(JSONInputError) -> FileStoreDocument.Address {
        var address = FileStoreDocument.Address()
        try object(what: "an address") { reader, key, _ throws(JSONInputError) in
            func text(_ what: String) throws(JSONInputError) -> String? {
                try reader.optional { reader throws(JSONInputError) in try reader.string(what: "the address's `\(what)`") }
            }
            switch key {
            case "address1": address.address1 = try text(key)
            case "address2": address.address2 = try text(key)
            case "city": address.city = try text(key)
            case "zip": address.zip = try text(key)
            case "country_code": address.countryCode = try text(key)
            default: address.extras[key] = try reader.rawValue()
            }
        }
        return address
    }

    mutating func answeredRequest() throws(JSONInputError) -> FileStoreDocument.AnsweredRequest {
        skipWhitespace()
        let start = position
        var key: String?, refused: [QuantityWrite]?
        try object(what: "a request") { reader, name, _ throws(JSONInputError) in
            switch name {
            case "key": key = try reader.string(what: "a request's `key`")
            case "refused": refused = try reader.array(what: "`refused`") { reader throws(JSONInputError) in try reader.quantityWrite() }
            default: _ = try reader.rawValue()
            }
        }
        guard let key, let refused else { throw fail("a request needs `key` and `refused`", at: start) }
        return FileStoreDocument.AnsweredRequest(key: key, refused: refused)
    }

    mutating func quantityWrite() throws(JSONInputError) -> QuantityWrite {
        skipWhitespace()
        let start = position
        var locationID: String?, sku: String?, expected: Int?, quantity: Int?
        try object(what: "a refused write") { reader, key, _ throws(JSONInputError) in
            switch key {
            case "location_id": locationID = try reader.string(what: "`location_id`")
            case "sku": sku = try reader.string(what: "`sku`")
            case "expected": expected = try reader.optional { reader throws(JSONInputError) in try reader.quantity(of: "`expected`") }
            case "quantity": quantity = try reader.quantity(of: "`quantity`")
            default: _ = try reader.rawValue()
            }
        }
        guard let locationID, let sku, let quantity else { throw fail("a refused write needs `location_id`, `sku` and `quantity`", at: start) }
        return QuantityWrite(locationID: locationID, sku: sku, expected: expected, quantity: quantity)
    }

    // MARK: Structure

    /// Reads `{ "key": value, … }`; `member` gets each key and where it starts, and must read the value.
    mutating func object(what: @autoclosure () -> String, _ member: (inout JSONReader, String, Int) throws(JSONInputError) -> Void) throws(JSONInputError) {
        guard take(UInt8(ascii: "{")) else { throw fail("\(what()) must be an object (`{ … }`)") }
        if take(UInt8(ascii: "}")) { return }
        repeat {
            skipWhitespace()
            let offset = position
            guard let key = string() else { throw fail("expected a key") }
            guard take(UInt8(ascii: ":")) else { throw fail("expected `:` after the key") }
            try member(&self, key, offset)
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "}")) else { throw fail("expected `,` or `}`") }
    }

    mutating func array<Element>(what: @autoclosure () -> String, _ element: (inout JSONReader) throws(JSONInputError) -> Element) throws(JSONInputError) -> [Element] {
        guard take(UInt8(ascii: "[")) else { throw fail("\(what()) must be a list (`[ … ]`)") }
        var items: [Element] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            items.append(try element(&self))
        } while take(UInt8(ascii: ","))
        guard take(UInt8(ascii: "]")) else { throw fail("expected `,` or `]`") }
        return items
    }

    /// `null` (nil), or what `read` reads.
    mutating func optional<Value>(_ read: (inout JSONReader) throws(JSONInputError) -> Value) throws(JSONInputError) -> Value? {
        if null() { return nil }
        return try read(&self)
    }

    /// The bytes of a value the document does not know, to be written back as they were.
    mutating func rawValue() throws(JSONInputError) -> [UInt8] {
        skipWhitespace()
        let start = position
        var depth = 0
        repeat {
            guard position < bytes.count else { throw fail("the JSON ends where a value should be") }
            switch bytes[position] {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                position += 1
            case UInt8(ascii: "\""):
                guard string() != nil else { throw fail("expected a string") }
            default:
                // A number, a literal, or the whitespace and separators between members.
                position += 1
                while position < bytes.count, !Self.endsToken(bytes[position]) { position += 1 }
            }
            if depth > 0 { skipWhitespace() }
        } while depth > 0
        return Array(bytes[start..<position])
    }

    private static func endsToken(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""), UInt8(ascii: ":"),
            0x20, 0x0A, 0x0D, 0x09:
            return true
        default:
            return false
        }
    }

    // MARK: Scalars

    mutating func null() -> Bool { word("null") }

    mutating func bool(what: @autoclosure () -> String) throws(JSONInputError) -> Bool {
        if word("true") { return true }
        if word("false") { return false }
        throw fail("\(what()) must be true or false")
    }

    mutating func string(what: @autoclosure () -> String) throws(JSONInputError) -> String {
        skipWhitespace()
        guard let text = string() else { throw fail("\(what()) must be a string") }
        return text
    }

    /// A stock number: an integer written plainly (`-12`), in `StockQuantity.range`. `1.0`, `1e3`
    /// and `184.5` are numbers, but not a count of units, and are refused rather than rounded.
    mutating func quantity(of what: @autoclosure () -> String) throws(JSONInputError) -> Int {
        skipWhitespace()
        let start = position
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        var i = negative ? position + 1 : position
        let digitsStart = i
        var magnitude = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            // Past the limit the digits still run on; stop counting, the number is refused anyway.
            if magnitude <= StockQuantity.limit { magnitude = magnitude * 10 + Int(bytes[i] - UInt8(ascii: "0")) }
            i += 1
        }
        let value = negative ? -magnitude : magnitude
        guard i > digitsStart, i == bytes.count || Self.endsToken(bytes[i]), StockQuantity.isValid(value) else {
            // What was written there, as written (shortened when long).
            var copy = self
            copy.position = start
            let written = String(decoding: (try? copy.rawValue()) ?? [], as: UTF8.self)
            let shown = written.count > 40 ? written.prefix(40) + "…" : Substring(written)
            throw fail("the quantity of \(what()) must be a whole number from \(StockQuantity.rangeText), not \(shown)", at: start)
        }
        position = i
        return value
    }

    /// Skips a string of printable ASCII without escapes and returns true; otherwise (not a string,
    /// or one `string()` must decode) leaves the position where it was and returns false.
    mutating func skipPlainString() -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return false }
        var i = position + 1
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return true
            }
            if byte < 0x20 || byte == UInt8(ascii: "\\") || byte >= 0x80 { return false }
            i += 1
        }
        return false
    }

    /// A string, escapes decoded; `nil` for control characters, bad escapes (lone surrogates
    /// included) and ill-formed UTF-8, all of which `JSONDecoder` rejects too.
    mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = position
        var plain = true  // ASCII without escapes: no validation or decoding needed
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text: String?
                if plain {
                    text = String(decoding: bytes[start..<position], as: UTF8.self)
                } else {
                    text = Self.unescape(bytes[start..<position])
                }
                position += 1
                return text
            }
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\\") {
                plain = false
                position += 2  // the escaped byte cannot end the string
                continue
            }
            if byte >= 0x80 { plain = false }
            position += 1
        }
        return nil
    }

    private static func unescape(_ raw: ArraySlice<UInt8>) -> String? {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count)
        var i = raw.startIndex
        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= raw.endIndex else { return nil }
            var value: UInt32 = 0
            for byte in raw[at..<(at + 4)] {
                let digit: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                value = value << 4 | UInt32(digit)
            }
            return value
        }
        while i < raw.endIndex {
            let byte = raw[i]
            guard byte == UInt8(ascii: "\\") else {
                utf8.append(byte)
                i += 1
                continue
            }
            guard i + 1 < raw.endIndex else { return nil }
            switch raw[i + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(raw[i + 1])
            case UInt8(ascii: "b"): utf8.append(0x08)
            case UInt8(ascii: "f"): utf8.append(0x0C)
            case UInt8(ascii: "n"): utf8.append(0x0A)
            case UInt8(ascii: "r"): utf8.append(0x0D)
            case UInt8(ascii: "t"): utf8.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(i + 2) else { return nil }
                i += 6
                if (0xD800...0xDBFF).contains(scalar) {
                    guard i + 1 < raw.endIndex, raw[i] == UInt8(ascii: "\\"), raw[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(i + 2), (0xDC00...0xDFFF).contains(low)
                    else { return nil }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                }
                guard let value = Unicode.Scalar(scalar) else { return nil }
                utf8.append(contentsOf: String(Character(value)).utf8)
                continue
            default:
                return nil
            }
            i += 2
        }
        return String(validating: utf8, as: UTF8.self)
    }

    // MARK: Bytes

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after any whitespace, when it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func word(_ text: StaticString) -> Bool {
        skipWhitespace()
        let count = text.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let matches = text.withUTF8Buffer { word in bytes[position..<(position + count)].elementsEqual(word) }
        if matches { position += count }
        return matches
    }
}
