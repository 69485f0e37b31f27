import StockyardEngine

extension JSONReader {
    /// Checks one location's `{ "SKU": units, … }` as `checkSKUs(of:)` does, in one pass over the
    /// bytes without a copy or a reference count per SKU: a plan checks every location's numbers
    /// (20 million at 100,000 connections of 200 SKUs) and reads only a few. The common case, plain
    /// ASCII keys in ascending order (as Stockyard writes them) and plain integers in range, is
    /// taken here, and then the object also keeps every rule of `JSONPreflight` (syntax, keys
    /// distinct), so its bytes are added to `checkedSKUs` for the preflight to pass over. Anything
    /// else goes back to `checkSKUs(of:)` from the object's start, so errors say what they said.
    mutating func checkSKUsQuickly(of id: String) throws(JSONInputError) {
        skipWhitespace()
        let start = position
        let end: Int? = bytes.withUnsafeBufferPointer { Self.plainSKUsEnd($0, from: start) }
        if let end {
            position = end
            checkedSKUs.append(start..<end)
        } else {
            try checkSKUs(of: id)
        }
    }

    /// Where a plain SKU object starting at `start` ends, or nil when it is not one (not an
    /// object, a key with an escape or a non-ASCII byte, a key not after the one before in byte
    /// order, a value that is not a plain integer in `StockQuantity.range`, or anything malformed).
    private static func plainSKUsEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let count = b.count
        var i = start
        var previous: Range<Int>?
        func skipSpace() {
            while i < count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }
        guard i < count, b[i] == UInt8(ascii: "{") else { return nil }
        i += 1
        skipSpace()
        if i < count, b[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            skipSpace()
            guard i < count, b[i] == UInt8(ascii: "\"") else { return nil }
            i += 1
            let key = i
            while i < count, b[i] != UInt8(ascii: "\"") {
                let byte = b[i]
                if byte < 0x20 || byte == UInt8(ascii: "\\") || byte >= 0x80 { return nil }
                i += 1
            }
            guard i < count else { return nil }
            if let previous, !ascending(b, previous, key..<i) { return nil }
            previous = key..<i
            i += 1
            skipSpace()
            guard i < count, b[i] == UInt8(ascii: ":") else { return nil }
            i += 1
            skipSpace()
            guard i < count else { return nil }
            let negative = b[i] == UInt8(ascii: "-")
            if negative { i += 1 }
            let digits = i
            var magnitude = 0
            // At most 10 digits: past that no value is in range, and the sum cannot overflow.
            while i < count, b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9"), i - digits < 10 {
                magnitude = magnitude * 10 + Int(b[i] &- UInt8(ascii: "0"))
                i += 1
            }
            guard i > digits, i - digits == 1 || b[digits] != UInt8(ascii: "0"), i < count else { return nil }
            guard StockQuantity.isValid(negative ? -magnitude : magnitude) else { return nil }
            skipSpace()
            guard i < count else { return nil }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { return nil }
            return i + 1
        }
    }

    /// Whether plain key `b` comes after plain key `a` in byte order.
    private static func ascending(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        var x = a.lowerBound
        var y = b.lowerBound
        while x < a.upperBound, y < b.upperBound {
            if bytes[x] != bytes[y] { return bytes[x] < bytes[y] }
            x += 1
            y += 1
        }
        return x == a.upperBound && y < b.upperBound
    }
}
