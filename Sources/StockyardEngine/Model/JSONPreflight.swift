/// The limits and the strictness every JSON input of Stockyard is held to, before a decoder sees it.
///
/// `JSONDecoder` takes the first of two repeated keys (so a store file saying a SKU twice made sync
/// pull one number and push the other), recurses once per nesting level (140,000 nested arrays crash
/// it), and says where a syntax error is only as "around character N". Every JSON reader of Stockyard
/// — plan files, `file` stores, Shopify's answers, the state's JSON columns — goes through this one
/// scan first, or enforces the same rules itself in one pass (the `file` store's reader). The scan is
/// iterative, linear in the input, and allocates only per nesting level.
public enum JSONPreflight {
    /// The deepest nesting any Stockyard JSON document needs is under 10; unknown keys in a store
    /// file may hold more, but nothing real comes near this.
    public static let maxDepth = 128

    /// Checks that `bytes` is one well-formed JSON value (RFC 8259; a leading UTF-8 byte order mark
    /// is allowed), nested at most `maxDepth` deep, with no object naming a key twice.
    public static func check(_ bytes: [UInt8], maxDepth: Int = JSONPreflight.maxDepth) throws(JSONInputError) {
        var scanner = Scanner(bytes: bytes, maxDepth: maxDepth)
        try scanner.run()
    }
}

extension JSONPreflight {
    struct Scanner {
        let bytes: [UInt8]
        let maxDepth: Int
        var i = 0
        /// Per open container: `true` for an object. Objects also keep their keys, per level.
        var containers: [Bool] = []
        var keys: [KeysSeen] = []

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
        }

        func fail(_ message: String, at offset: Int? = nil, kind: JSONInputError.Kind = .syntax) -> JSONInputError {
            JSONInputError(at: offset ?? i, in: bytes, message, kind: kind)
        }

        mutating func run() throws(JSONInputError) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
            try value()
            while !containers.isEmpty {
                // After a value inside a container: `,` and the next member, or the closing bracket.
                skipWhitespace()
                let isObject = containers[containers.count - 1]
                guard i < bytes.count else { throw fail(isObject ? "the object is not closed (a `}` is missing)" : "the list is not closed (a `]` is missing)") }
                if bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    if isObject { try key() }
                    try value()
                } else if bytes[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    close()
                } else {
                    throw fail(isObject ? "expected `,` or `}` after a value in an object" : "expected `,` or `]` after a value in a list")
                }
            }
            skipWhitespace()
            guard i == bytes.count else { throw fail("unexpected text after the end of the JSON value") }
        }

        mutating func open(object: Bool) throws(JSONInputError) {
            guard containers.count < maxDepth else { throw fail("nested deeper than \(maxDepth) levels", kind: .tooDeep) }
            containers.append(object)
            if object {
                while keys.count < containers.count { keys.append(KeysSeen()) }
                keys[containers.count - 1].removeAll()
            }
        }

        mutating func close() {
            containers.removeLast()
        }

        /// One value; a container's opening bracket leaves it open for `run` to continue.
        mutating func value() throws(JSONInputError) {
            skipWhitespace()
            guard i < bytes.count else { throw fail("the JSON ends where a value should be") }
            switch bytes[i] {
            case UInt8(ascii: "{"):
                try open(object: true)
                i += 1
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    close()
                    return
                }
                try key()
                try value()
            case UInt8(ascii: "["):
                try open(object: false)
                i += 1
                skipWhitespace()
                if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
                    i += 1
                    close()
                    return
                }
                try value()
            case UInt8(ascii: "\""):
                try skipValueString()
            case UInt8(ascii: "t"): try word("true")
            case UInt8(ascii: "f"): try word("false")
            case UInt8(ascii: "n"): try word("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw fail("expected a value (an object, a list, a string, a number, true, false or null)")
            }
        }

        /// A key and its colon; a key the object already has is an error naming both places.
        mutating func key() throws(JSONInputError) {
            skipWhitespace()
            let start = i
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key (a string in double quotes)") }
            // Keys without escapes (nearly all) are compared as they stand in the input: no copy.
            let name: ArraySlice<UInt8>
            if try skipString() {
                name = bytes[(start + 1)..<(i - 1)]
            } else {
                i = start
                name = ArraySlice(try string(decoding: true))
            }
            if let earlier = keys[containers.count - 1].insert(KeyBytes(name), at: start) {
                throw duplicate(Array(name), first: earlier, second: start)
            }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected `:` after the key") }
            i += 1
        }

        func duplicate(_ name: [UInt8], first: Int, second: Int) -> JSONInputError {
            let text = String(decoding: name, as: UTF8.self)
            return fail("the key \"\(text)\" appears twice in one object (first at \(JSONInputError.position(of: first, in: bytes)))", at: second, kind: .repeatedKey)
        }

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

        func hex4(at at: Int) -> UInt32? {
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
            var low: UInt8 = 0x80, high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return 0
            }
            guard at + length <= bytes.count else { return 0 }
            guard (low...high).contains(bytes[at + 1]) else { return 0 }
            for k in 2..<length where !(0x80...0xBF).contains(bytes[at + k]) { return 0 }
            return length
        }

        mutating func number() throws(JSONInputError) {
            let start = i
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            let integer = i
            while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
            guard i > integer else { throw fail("`-` must be followed by digits", at: start) }
            guard i - integer == 1 || bytes[integer] != UInt8(ascii: "0") else { throw fail("a number must not start with 0", at: start) }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                let fraction = i
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > fraction else { throw fail("a `.` in a number must be followed by digits") }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                let exponent = i
                while i < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i]) { i += 1 }
                guard i > exponent else { throw fail("an exponent in a number must have digits") }
            }
        }

        mutating func word(_ text: StaticString) throws(JSONInputError) {
            let count = text.utf8CodeUnitCount
            let matches = i + count <= bytes.count && text.withUTF8Buffer { bytes[i..<(i + count)].elementsEqual($0) }
            guard matches else { throw fail("expected a value (an object, a list, a string, a number, true, false or null)") }
            i += count
        }

        mutating func skipWhitespace() {
            // Through the buffer, without a bounds check per byte: this runs between every two tokens.
            var j = i
            bytes.withUnsafeBufferPointer { buffer in
                while j < buffer.count {
                    switch buffer[j] {
                    case 0x20, 0x0A, 0x0D, 0x09: j += 1
                    default: return
                    }
                }
            }
            i = j
        }
    }

    /// The keys of one open object and where each was. Objects are small but for a store's SKUs:
    /// compared one by one while few, then found through an open-addressing table of positions in
    /// `seen`, hashed with FNV-1a (a `Dictionary` rebuilt for every location's 200 SKUs, with its
    /// seeded hash, was the largest cost of reading such a store file). Reused from object to object
    /// at a level.
    struct KeysSeen {
        var seen: [(key: KeyBytes, offset: Int)] = []
        /// 0 for an empty slot, else a position in `seen` plus one; holds `seen[..<indexed]`.
        var table: [Int32] = []
        var indexed = 0

        static let linearLimit = 16

        /// Adds a key; returns where it was before if the object already has it.
        mutating func insert(_ key: KeyBytes, at offset: Int) -> Int? {
            if seen.count < Self.linearLimit {
                if let earlier = seen.first(where: { $0.key == key }) { return earlier.offset }
                seen.append((key, offset))
                return nil
            }
            if table.count < 2 * (seen.count + 1) {
                var size = 64
                while size < 4 * (seen.count + 1) { size <<= 1 }
                table = [Int32](repeating: 0, count: size)
                indexed = 0
            }
            while indexed < seen.count {
                place(indexed)
                indexed += 1
            }
            let mask = table.count - 1
            var slot = key.fnv1a & mask
            while table[slot] != 0 {
                let earlier = seen[Int(table[slot]) - 1]
                if earlier.key == key { return earlier.offset }
                slot = (slot + 1) & mask
            }
            table[slot] = Int32(seen.count + 1)
            seen.append((key, offset))
            indexed = seen.count
            return nil
        }

        private mutating func place(_ index: Int) {
            let mask = table.count - 1
            var slot = seen[index].key.fnv1a & mask
            while table[slot] != 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(index + 1)
        }

        mutating func removeAll() {
            seen.removeAll(keepingCapacity: true)
            if indexed > 0 {
                table.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
                indexed = 0
            }
        }
    }

    /// A key's bytes, usually a slice of the input itself, hashed as one block of bytes (an array's
    /// own hash feeds the hasher a byte at a time).
    struct KeyBytes: Equatable {
        let bytes: ArraySlice<UInt8>

        init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

        static func == (a: KeyBytes, b: KeyBytes) -> Bool {
            a.bytes.count == b.bytes.count && a.bytes.elementsEqual(b.bytes)
        }

        /// FNV-1a of the bytes: no per-process seed is needed to find repeated keys in one object.
        var fnv1a: Int {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            bytes.withUnsafeBufferPointer { buffer in
                for byte in buffer {
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                }
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }
}
