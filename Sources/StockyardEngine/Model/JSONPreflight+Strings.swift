/// The scan's strings: checked in place where they are plain ASCII, decoded where a key must be
/// compared by what it says.
extension JSONPreflight.Scanner {
    /// Skips a string of printable ASCII without escapes and returns true; at anything else in
    /// it (an escape, a control character, a byte of a multi-byte character) stops and returns
    /// false, and `string(decoding:)` must read it from its start. Values are only checked, never
    /// copied: a byte array per string was most of the time of this scan.
    mutating func skipString() throws(JSONInputError) -> Bool {
        let start = i
        var j = i + 1
        let count = bytes.count
        let found: Bool? = bytes.withUnsafeBufferPointer { buffer in
            while j < count {
                let byte = buffer[j]
                if byte == UInt8(ascii: "\"") { return true }
                if byte < 0x20 || byte == UInt8(ascii: "\\") || byte >= 0x80 { return false }
                j += 1
            }
            return nil
        }
        switch found {
        case true?:
            i = j + 1
            return true
        case false?:
            return false
        case nil:
            i = count
            throw fail("the string is not closed (a `\"` is missing)", at: start)
        }
    }

    /// A string value: checked, not kept.
    mutating func skipValueString() throws(JSONInputError) {
        let start = i
        if try skipString() { return }
        i = start
        _ = try string(decoding: false)
    }

    /// A string; returns its bytes with escapes decoded when `decoding` (keys are compared by
    /// what they say), else only checks it.
    mutating func string(decoding: Bool) throws(JSONInputError) -> [UInt8] {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                i += 1
                return out
            case UInt8(ascii: "\\"):
                guard i + 1 < bytes.count else { break }
                let escaped = bytes[i + 1]
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): if decoding { out.append(escaped) }
                case UInt8(ascii: "b"): if decoding { out.append(0x08) }
                case UInt8(ascii: "f"): if decoding { out.append(0x0C) }
                case UInt8(ascii: "n"): if decoding { out.append(0x0A) }
                case UInt8(ascii: "r"): if decoding { out.append(0x0D) }
                case UInt8(ascii: "t"): if decoding { out.append(0x09) }
                case UInt8(ascii: "u"):
                    guard var scalar = hex4(at: i + 2) else { throw fail("a \\u escape needs four hex digits") }
                    var length = 6
                    if (0xD800...0xDBFF).contains(scalar) {
                        guard i + 7 < bytes.count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u"),
                            let low = hex4(at: i + 8), (0xDC00...0xDFFF).contains(low)
                        else { throw fail("a \\u escape names half of a character (a lone surrogate)") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        length = 12
                    }
                    guard let value = Unicode.Scalar(scalar) else { throw fail("a \\u escape names half of a character (a lone surrogate)") }
                    if decoding { out.append(contentsOf: Array(String(Character(value)).utf8)) }
                    i += length
                    continue
                default:
                    throw fail("`\\\(String(UnicodeScalar(escaped)))` is not a JSON escape")
                }
                i += 2
                continue
            case 0x00..<0x20:
                throw fail("a control character inside a string must be escaped")
            case 0x80...:
                let length = Self.utf8Length(bytes, at: i)
                guard length > 0 else { throw fail("the text is not valid UTF-8") }
                if decoding { out.append(contentsOf: bytes[i..<(i + length)]) }
                i += length
                continue
            default:
                if decoding { out.append(byte) }
            }
            i += 1
        }
        throw fail("the string is not closed (a `\"` is missing)", at: start)
    }

    func hex4(at: Int) -> UInt32? {
        guard at + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[at..<(at + 4)] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
        return value
    }

    /// The length of the well-formed UTF-8 sequence at `at`, or 0.
    static func utf8Length(_ bytes: [UInt8], at: Int) -> Int {
        let lead = bytes[at]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return 0
        }
        guard at + length <= bytes.count else { return 0 }
        guard (low...high).contains(bytes[at + 1]) else { return 0 }
        for k in 2..<length where !(0x80...0xBF).contains(bytes[at + k]) { return 0 }
        return length
    }
}
