import Foundation
import StockyardEngine

// Store files are read before every pull and push of an apply and rewritten after every push: at
// a thousand locations per file, `JSONDecoder` and `JSONEncoder` (several milliseconds per read and
// per write) took 90% of an apply. These two are written for exactly this document.

extension FileStoreDocument {
    /// Reads a well-formed store file; `nil` for anything it does not handle, and then
    /// `JSONDecoder` reads the file instead, so it alone decides what is wrong and says where.
    ///
    /// It accepts a subset of what `JSONDecoder` accepts, with the same meaning: the four JSON
    /// whitespace bytes, strings with any escape, integers written without fraction or exponent,
    /// `null` for optional fields, and unknown keys (skipped). It gives up on a repeated key, on a
    /// number like `1.0`, on a byte order mark, and on anything not valid JSON.
    static func fastDecode(_ data: Data) -> FileStoreDocument? {
        var reader = JSONReader(bytes: [UInt8](data))
        guard let document = reader.document(), reader.atEnd() else { return nil }
        return document
    }

    /// The file's bytes: what `JSONEncoder` with `[.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]`
    /// writes on Linux (keys sorted by their UTF-8 bytes), byte for byte.
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

struct JSONReader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() -> FileStoreDocument? {
        var locations: [FileStoreDocument.Location]?
        var quantities: [String: [String: Int]]?, requests: [FileStoreDocument.AnsweredRequest]?
        var seen = KeysSeen()
        let ok = object { reader, key in
            switch key {
            case "locations":
                guard seen.first(0) else { return false }
                locations = reader.array { $0.location() }
                return locations != nil
            case "quantities":
                guard seen.first(1) else { return false }
                if reader.null() { return true }
                quantities = reader.dictionary { reader in reader.dictionary { $0.int() } }
                return quantities != nil
            case "requests":
                guard seen.first(2) else { return false }
                if reader.null() { return true }
                requests = reader.array { $0.answeredRequest() }
                return requests != nil
            default:
                return reader.skipValue()
            }
        }
        guard ok, let locations else { return nil }
        return FileStoreDocument(locations: locations, quantities: quantities, requests: requests)
    }

    mutating func location() -> FileStoreDocument.Location? {
        var id: String?, name: String?, active: Bool?, fulfillmentService: Bool?, address: FileStoreDocument.Address?
        var seen = KeysSeen()
        let ok = object { reader, key in
            switch key {
            case "id":
                guard seen.first(0) else { return false }
                id = reader.string()
                return id != nil
            case "name":
                guard seen.first(1) else { return false }
                name = reader.string()
                return name != nil
            case "active":
                guard seen.first(2) else { return false }
                return reader.optional(&active) { $0.bool() }
            case "fulfillment_service":
                guard seen.first(3) else { return false }
                return reader.optional(&fulfillmentService) { $0.bool() }
            case "address":
                guard seen.first(4) else { return false }
                return reader.optional(&address) { $0.address() }
            default:
                return reader.skipValue()
            }
        }
        guard ok, let id, let name else { return nil }
        return FileStoreDocument.Location(id: id, name: name, active: active, fulfillmentService: fulfillmentService, address: address)
    }

    mutating func address() -> FileStoreDocument.Address? {
        var address = FileStoreDocument.Address()
        var seen = KeysSeen()
        let ok = object { reader, key in
            switch key {
            case "address1": return seen.first(0) && reader.optional(&address.address1) { $0.string() }
            case "address2": return seen.first(1) && reader.optional(&address.address2) { $0.string() }
            case "city": return seen.first(2) && reader.optional(&address.city) { $0.string() }
            case "zip": return seen.first(3) && reader.optional(&address.zip) { $0.string() }
            case "country_code": return seen.first(4) && reader.optional(&address.countryCode) { $0.string() }
            default: return reader.skipValue()
            }
        }
        return ok ? address : nil
    }

    mutating func answeredRequest() -> FileStoreDocument.AnsweredRequest? {
        var key: String?, refused: [QuantityWrite]?
        var seen = KeysSeen()
        let ok = object { reader, name in
            switch name {
            case "key":
                guard seen.first(0) else { return false }
                key = reader.string()
                return key != nil
            case "refused":
                guard seen.first(1) else { return false }
                refused = reader.array { $0.quantityWrite() }
                return refused != nil
            default:
                return reader.skipValue()
            }
        }
        guard ok, let key, let refused else { return nil }
        return FileStoreDocument.AnsweredRequest(key: key, refused: refused)
    }

    mutating func quantityWrite() -> QuantityWrite? {
        var locationID: String?, sku: String?, expected: Int?, quantity: Int?
        var seen = KeysSeen()
        let ok = object { reader, key in
            switch key {
            case "location_id":
                guard seen.first(0) else { return false }
                locationID = reader.string()
                return locationID != nil
            case "sku":
                guard seen.first(1) else { return false }
                sku = reader.string()
                return sku != nil
            case "expected":
                guard seen.first(2) else { return false }
                return reader.optional(&expected) { $0.int() }
            case "quantity":
                guard seen.first(3) else { return false }
                quantity = reader.int()
                return quantity != nil
            default:
                return reader.skipValue()
            }
        }
        guard ok, let locationID, let sku, let quantity else { return nil }
        return QuantityWrite(locationID: locationID, sku: sku, expected: expected, quantity: quantity)
    }

    /// Which of an object's known keys were read: `JSONDecoder` takes the first of repeated keys,
    /// and rather than mimic that, the reader gives up.
    struct KeysSeen {
        private var mask: UInt8 = 0

        mutating func first(_ bit: Int) -> Bool {
            defer { mask |= 1 << bit }
            return mask & (1 << bit) == 0
        }
    }

    // MARK: Structure

    /// Reads `{ "key": value, … }`; `member` is called after each key's colon and must read the value.
    mutating func object(_ member: (inout JSONReader, String) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), take(UInt8(ascii: ":")), member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    mutating func array<Element>(_ element: (inout JSONReader) -> Element?) -> [Element]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var items: [Element] = []
        if take(UInt8(ascii: "]")) { return items }
        repeat {
            guard let item = element(&self) else { return nil }
            items.append(item)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? items : nil
    }

    mutating func dictionary<Value>(_ value: (inout JSONReader) -> Value?) -> [String: Value]? {
        var out: [String: Value] = [:]
        let ok = object { reader, key in
            guard let v = value(&reader) else { return false }
            return out.updateValue(v, forKey: key) == nil
        }
        return ok ? out : nil
    }

    /// `null` (leaving `value` nil), or what `read` reads.
    mutating func optional<Value>(_ value: inout Value?, _ read: (inout JSONReader) -> Value?) -> Bool {
        if null() { return true }
        value = read(&self)
        return value != nil
    }

    /// Skips the value of a key the document does not have, checking that it is valid JSON.
    mutating func skipValue() -> Bool {
        skipWhitespace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "{"): return object { reader, _ in reader.skipValue() }
        case UInt8(ascii: "["): return array { $0.skipValue() ? () : nil } != nil
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return bool() != nil
        case UInt8(ascii: "n"): return null()
        default: return number()
        }
    }

    // MARK: Scalars

    mutating func null() -> Bool { word("null") }

    mutating func bool() -> Bool? {
        if word("true") { return true }
        if word("false") { return false }
        return nil
    }

    /// An integer written plainly (`-12`), in `Int`'s range.
    mutating func int() -> Int? {
        skipWhitespace()
        let negative = position < bytes.count && bytes[position] == UInt8(ascii: "-")
        var i = negative ? position + 1 : position
        let digitsStart = i
        var magnitude: UInt64 = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(bytes[i] - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            magnitude = sum
            i += 1
        }
        let digits = i - digitsStart
        // No leading zeros (`01` is not JSON), and nothing a fraction or exponent would start with.
        guard digits > 0, digits == 1 || bytes[digitsStart] != UInt8(ascii: "0") else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") { return nil }
        let value: Int
        if negative {
            guard magnitude <= UInt64(Int.max) + 1 else { return nil }
            value = magnitude == UInt64(Int.max) + 1 ? Int.min : -Int(magnitude)
        } else {
            guard magnitude <= UInt64(Int.max) else { return nil }
            value = Int(magnitude)
        }
        position = i
        return value
    }

    /// Any JSON number, for skipped values.
    mutating func number() -> Bool {
        if int() != nil { return true }
        // Fractions and exponents: the grammar only, the value is not needed.
        var i = position
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ i: inout Int) -> Int {
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            return i - start
        }
        let integer = i
        guard digits(&i) > 0, i - integer == 1 || bytes[integer] != UInt8(ascii: "0") else { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&i) > 0 else { return false }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard digits(&i) > 0 else { return false }
        }
        position = i
        return true
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

    mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }
}
