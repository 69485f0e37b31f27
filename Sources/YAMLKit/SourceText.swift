/// Byte-level checks on the raw input that must happen before libyaml sees it, and the
/// offset-to-position arithmetic shared by them and by libyaml's reader errors (which only give
/// a byte offset).
enum SourceText {
    /// The input without a leading UTF-8 byte order mark.
    static func droppingBOM(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF else { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[3...])
    }

    /// The offset of the first byte that is not space, tab, CR or LF, if any.
    static func firstNonWhitespace(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.firstIndex { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    }

    /// The 1-based position of `offset`: lines counted by LF, columns by Unicode scalars.
    /// Assumes the bytes before `offset` are valid UTF-8.
    static func mark(atOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Mark {
        var line = 1
        var column = 1
        for byte in bytes[..<min(max(offset, 0), bytes.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Mark(line: line, column: column)
    }

    /// The byte that starts the character at `mark`, if the text reaches that far.
    static func byte(at mark: Mark, in bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        var line = 1
        var column = 1
        for byte in bytes where byte & 0xC0 != 0x80 {
            if line == mark.line, column == mark.column { return byte }
            if byte == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return nil
    }

    /// The offset of the first byte that starts an ill-formed UTF-8 sequence (overlong forms,
    /// surrogates and code points past U+10FFFF included), or nil when all of it is well formed.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let count = bytes.count
        var i = 0
        while i < count {
            if i &+ 8 <= count,
                UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0
            {
                i &+= 8
                continue
            }
            let lead = base[i]
            if lead < 0x80 {
                i &+= 1
                continue
            }
            guard let length = sequenceLength(base, i, count) else { return i }
            i &+= length
        }
        return nil
    }

    /// The length of the well-formed multi-byte sequence starting at `i` (Unicode Table 3-7).
    @inline(__always)
    private static func sequenceLength(_ base: UnsafePointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        let lead = base[i]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xED:
            length = 3
            high = 0x9F
        case 0xE1...0xEF: length = 3
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF4:
            length = 4
            high = 0x8F
        case 0xF1...0xF3: length = 4
        default: return nil
        }
        guard i + length <= count else { return nil }
        let second = base[i + 1]
        guard second >= low, second <= high else { return nil }
        for k in 2..<length where base[i + k] & 0xC0 != 0x80 {
            return nil
        }
        return length
    }
}
