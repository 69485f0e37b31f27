/// The common location, read without the general reader: 100,000 locations of a plan's store
/// files, each key made a `String` and matched, each value read through closures, were a tenth
/// of a plan's time.
extension JSONReader {
    /// A location written plainly, read straight from the bytes: only the keys Stockyard knows,
    /// each once, strings of printable ASCII without escapes, `true`, `false` and `null`. nil for
    /// anything else (the position unchanged), which `location()` then reads the general way, so
    /// that what is read, and every error, is as it was. A plain location keeps every rule of
    /// `JSONPreflight`, so its bytes are added to `checkedValues` for the preflight to pass over.
    mutating func plainLocation() -> (location: LocationFields, idOffset: Int)? {
        let start = position
        let read = bytes.withUnsafeBufferPointer { bytes -> (LocationFields, idOffset: Int, end: Int)? in
            var scan = PlainScan(b: bytes, i: start)
            guard let (location, idOffset) = scan.location() else { return nil }
            return (location, idOffset, scan.i)
        }
        guard let read else { return nil }
        position = read.end
        checkedValues.append(start..<read.end)
        return (read.0, read.idOffset)
    }
}

/// A cursor over a store file's bytes for `plainLocation`; every method returns nil (or false)
/// where the text is not the plain form it reads.
private struct PlainScan {
    let b: UnsafeBufferPointer<UInt8>
    var i: Int

    mutating func location() -> (JSONReader.LocationFields, idOffset: Int)? {
        var location = JSONReader.LocationFields()
        var idOffset = i
        // A bit per key read: a key given twice is not plain (the preflight names it).
        var seen = 0
        let members = object { scan, key in
            let bit: Int
            switch key {
            case "id":
                bit = 1
                scan.space()
                idOffset = scan.i
                guard let id = scan.text() else { return false }
                location.id = id
            case "name":
                bit = 2
                guard let name = scan.text() else { return false }
                location.name = name
            case "active":
                bit = 4
                guard let active = scan.optionalBool() else { return false }
                location.active = active
            case "fulfillment_service":
                bit = 8
                guard let service = scan.optionalBool() else { return false }
                location.fulfillmentService = service
            case "address":
                bit = 16
                guard let address = scan.optionalAddress() else { return false }
                location.address = address
            default:
                return false
            }
            guard seen & bit == 0 else { return false }
            seen |= bit
            return true
        }
        return members ? (location, idOffset) : nil
    }

    mutating func optionalAddress() -> FileStoreDocument.Address?? {
        if word("null") { return .some(nil) }
        var address = FileStoreDocument.Address()
        var seen = 0
        let members = object { scan, key in
            guard let text = scan.optionalText() else { return false }
            let bit: Int
            switch key {
            case "address1": (bit, address.address1) = (1, text)
            case "address2": (bit, address.address2) = (2, text)
            case "city": (bit, address.city) = (4, text)
            case "zip": (bit, address.zip) = (8, text)
            case "country_code": (bit, address.countryCode) = (16, text)
            default: return false
            }
            guard seen & bit == 0 else { return false }
            seen |= bit
            return true
        }
        return members ? .some(address) : nil
    }

    /// `{ "key": value, … }` with plain keys; `member` reads each value and says whether it could.
    mutating func object(_ member: (inout PlainScan, StaticKey) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = plain(), take(UInt8(ascii: ":")) else { return false }
            guard member(&self, StaticKey(bytes: UnsafeBufferPointer(rebasing: b[key]))) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    mutating func space() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        space()
        guard i < b.count, b[i] == byte else { return false }
        i += 1
        return true
    }

    mutating func word(_ text: StaticString) -> Bool {
        space()
        let count = text.utf8CodeUnitCount
        guard i + count <= b.count, text.withUTF8Buffer({ $0.elementsEqual(b[i..<(i + count)]) }) else { return false }
        i += count
        return true
    }

    /// The bytes inside a string of printable ASCII without escapes.
    mutating func plain() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < b.count, b[i] != UInt8(ascii: "\"") {
            if b[i] < 0x20 || b[i] == UInt8(ascii: "\\") || b[i] >= 0x80 { return nil }
            i += 1
        }
        guard i < b.count else { return nil }
        i += 1
        return start..<(i - 1)
    }

    mutating func text() -> String? {
        plain().map { String(decoding: UnsafeBufferPointer(rebasing: b[$0]), as: UTF8.self) }
    }

    mutating func optionalText() -> String?? {
        if word("null") { return .some(nil) }
        return text().map { .some($0) }
    }

    mutating func optionalBool() -> Bool?? {
        if word("null") { return .some(nil) }
        if word("true") { return .some(true) }
        if word("false") { return .some(false) }
        return nil
    }
}

/// A key's bytes, matched against string literals in a `switch` without making a `String`.
private struct StaticKey {
    let bytes: UnsafeBufferPointer<UInt8>

    static func ~= (pattern: StaticString, key: StaticKey) -> Bool {
        pattern.withUTF8Buffer { $0.elementsEqual(key.bytes) }
    }
}
