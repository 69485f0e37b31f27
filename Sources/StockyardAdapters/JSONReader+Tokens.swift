import StockyardEngine

/// The reader's tokens: objects, arrays and scalars, read in place from the bytes.
extension JSONReader {
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

    mutating func array<Element>(what: @autoclosure () -> String, _ element: (inout JSONReader) throws(JSONInputError) -> Element) throws(JSONInputError)
        -> [Element]
    {
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
