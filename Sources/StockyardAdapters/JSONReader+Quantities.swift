import CStockyardScan
import StockyardEngine

extension JSONReader {
    /// Checks one location's `{ "SKU": units, … }` as `checkSKUs(of:)` does, in one pass over the
    /// bytes without a copy or a reference count per SKU: a plan checks every location's numbers
    /// (20 million at 100,000 connections of 200 SKUs) and reads only a few. The common case, plain
    /// ASCII keys, distinct (in ascending order, as Stockyard writes them, or in any other), and
    /// plain integers in range, is taken here, and then the object also keeps every rule of
    /// `JSONPreflight` (syntax, keys distinct), so its bytes are added to `checkedValues` for the
    /// preflight to pass over. Anything else goes back to `checkSKUs(of:)` from the object's
    /// start, so errors say what they said.
    mutating func checkSKUsQuickly(of id: String) throws(JSONInputError) {
        skipWhitespace()
        let start = position
        let end: Int? = bytes.withUnsafeBufferPointer { Self.scanPlainSKUs($0, from: start) }
        if let end {
            position = end
            checkedValues.append(start..<end)
        } else {
            try checkSKUs(of: id)
        }
    }

    /// Where a plain SKU object of distinct keys starting at `start` ends, as
    /// `plainSKUs(_:from:ascending:_:)` says of it, through the vector scan where the build has one
    /// (`stockyard_scan_plain_skus`: 64 bytes classified at a time); elsewhere `swiftScan`.
    /// `way` picks the scan, for tests: -1 the best this processor has, 0 a byte at a time, 1 SSE2,
    /// 2 AVX2.
    static func scanPlainSKUs(_ b: UnsafeBufferPointer<UInt8>, from start: Int, way: Int32 = -1) -> Int? {
        guard let base = b.baseAddress else { return nil }
        let end = stockyard_scan_plain_skus(base, b.count, start, Int64(StockQuantity.limit), way)
        if end == STOCKYARD_SCAN_UNAVAILABLE { return swiftScan(b, from: start) }
        return end < 0 ? nil : end
    }

    /// The same as the vector scan, in Swift, where it is not built: keys in ascending order in
    /// one pass; keys in another order in a second one that keeps them, then none may be there twice.
    static func swiftScan(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        if let end = plainSKUs(b, from: start, ascending: true, { _, _ in }) { return end }
        var keys = Set<KeyBytes>()
        var distinct = true
        let end = plainSKUs(b, from: start, ascending: false) { key, _ in
            if distinct, !keys.insert(KeyBytes(bytes: UnsafeBufferPointer(rebasing: b[key]))).inserted { distinct = false }
        }
        return distinct ? end : nil
    }

    /// A key's bytes where they are, compared and hashed as bytes (plain keys are ASCII, where
    /// bytes and text agree).
    private struct KeyBytes: Hashable {
        let bytes: UnsafeBufferPointer<UInt8>

        static func == (a: KeyBytes, b: KeyBytes) -> Bool { a.bytes.elementsEqual(b.bytes) }
        func hash(into hasher: inout Hasher) { hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
    }

    /// One location's numbers, as `skus(of:)` reads them, from a store file read and checked
    /// whole: a plain object (ASCII keys without escapes) is read here, straight from the bytes,
    /// its arrays made their size at once (keys written in order, as Stockyard writes them, need
    /// no sort: for ASCII, the order of the bytes is `String`'s); anything else goes to `skus(of:)`.
    mutating func checkedSKUs(of id: String) throws(JSONInputError) -> SKUNumbers {
        skipWhitespace()
        let start = position
        let read: SKUNumbers? = bytes.withUnsafeBufferPointer { b in
            // Every `:` up to the first `}` is one SKU's, but for one inside a key: room enough.
            var colons = 0
            var j = start
            while j < b.count, b[j] != UInt8(ascii: "}") {
                if b[j] == UInt8(ascii: ":") { colons += 1 }
                j += 1
            }
            var skus: [String] = []
            var units: [Int] = []
            skus.reserveCapacity(colons)
            units.reserveCapacity(colons)
            let end = Self.plainSKUs(b, from: start, ascending: false) { key, value in
                skus.append(String(decoding: UnsafeBufferPointer(rebasing: b[key]), as: UTF8.self))
                units.append(value)
            }
            return end == nil ? nil : SKUNumbers(skus: skus, units: units)
        }
        if let read { return read }
        return SKUNumbers(try skus(of: id))
    }

    /// Where a plain SKU object starting at `start` ends, handing `each` every key's bytes and
    /// number; nil when it is not one (not an object, a key with an escape or a non-ASCII byte,
    /// with `ascending` a key not after the one before in byte order, a value that is not a plain
    /// integer in `StockQuantity.range`, or anything malformed).
    ///
    /// Keys are scanned and compared eight bytes at a time (`PlainWord`): at 200 SKUs a location
    /// this pass is most of reading a store file, and a key byte by byte was three comparisons each.
    static func plainSKUs(
        _ b: UnsafeBufferPointer<UInt8>, from start: Int, ascending: Bool, _ each: (Range<Int>, Int) -> Void
    ) -> Int? {
        let count = b.count
        guard let base = b.baseAddress else { return nil }
        // `StockQuantity.range` is `-limit...limit`: read once, not asked of the engine per number.
        let limit = StockQuantity.limit
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
            // Whole words with no quote, backslash, control or non-ASCII byte, then byte by byte.
            while i + 8 <= count, !PlainWord.mayEndKey(PlainWord.load(base + i)) { i += 8 }
            while i < count, b[i] != UInt8(ascii: "\"") {
                let byte = b[i]
                if byte < 0x20 || byte == UInt8(ascii: "\\") || byte >= 0x80 { return nil }
                i += 1
            }
            guard i < count else { return nil }
            if ascending {
                if let previous, !Self.ascending(b, previous, key..<i) { return nil }
                previous = key..<i
            }
            let keyBytes = key..<i
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
                magnitude = magnitude &* 10 &+ Int(b[i] &- UInt8(ascii: "0"))
                i += 1
            }
            guard i > digits, i - digits == 1 || b[digits] != UInt8(ascii: "0"), i < count else { return nil }
            guard magnitude <= limit else { return nil }
            let value = negative ? -magnitude : magnitude
            each(keyBytes, value)
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

    /// Whether plain key `b` comes after plain key `a` in byte order (eight bytes at a time while
    /// both have that many).
    static func ascending(_ bytes: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        var x = a.lowerBound
        var y = b.lowerBound
        if let base = bytes.baseAddress {
            while x + 8 <= a.upperBound, y + 8 <= b.upperBound {
                let (p, q) = (PlainWord.load(base + x).byteSwapped, PlainWord.load(base + y).byteSwapped)
                if p != q { return p < q }
                x += 8
                y += 8
            }
        }
        while x < a.upperBound, y < b.upperBound {
            if bytes[x] != bytes[y] { return bytes[x] < bytes[y] }
            x += 1
            y += 1
        }
        return x == a.upperBound && y < b.upperBound
    }
}

/// Eight bytes of a store file read as one integer, and tests on all eight at once.
enum PlainWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes at `pointer`, the first in the lowest bits (`.byteSwapped` puts it in the
    /// highest, for comparing as text is compared).
    @inline(__always) static func load(_ pointer: UnsafePointer<UInt8>) -> UInt64 {
        UInt64(littleEndian: UnsafeRawPointer(pointer).loadUnaligned(as: UInt64.self))
    }

    /// True when some byte of `word` is below `n` (n ≤ 128), for words without a byte ≥ 0x80: a
    /// borrow only starts at such a byte, so the test has no false positive.
    @inline(__always) private static func hasByte(below n: UInt64, in word: UInt64) -> Bool {
        (word &- ones &* n) & ~word & highs != 0
    }

    /// True when some byte of `word` may end or break a plain key: a quote, a backslash, a
    /// control byte or a non-ASCII one. Exact: a word it passes has none of them.
    @inline(__always) static func mayEndKey(_ word: UInt64) -> Bool {
        if word & highs != 0 { return true }
        return hasByte(below: 0x20, in: word) || hasByte(below: 1, in: word ^ (ones &* 0x22))
            || hasByte(below: 1, in: word ^ (ones &* 0x5C))
    }
}
