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

    /// As `check`, but the values at `checked` (in ascending order, each where a value starts) are
    /// taken as already held to these rules by the caller, who read them in the same pass as their
    /// meaning: a store file's SKUs, most of its bytes, are then scanned once rather than twice.
    /// A region that is not where a value starts is scanned as usual; a region's value may nest
    /// two levels deep (`Scanner.checkedDepth`).
    public static func check(_ bytes: [UInt8], skipping checked: [Range<Int>]) throws(JSONInputError) {
        var scanner = Scanner(bytes: bytes, maxDepth: maxDepth)
        scanner.checked = checked
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
        /// How deep a checked value may nest (a store location holds its address).
        static let checkedDepth = 2
        /// Values checked already (see `check(_:skipping:)`), and the next one not yet passed.
        var checked: [Range<Int>] = []
        var nextChecked = 0

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
                guard i < bytes.count else {
                    throw fail(isObject ? "the object is not closed (a `}` is missing)" : "the list is not closed (a `]` is missing)")
                }
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
            while nextChecked < checked.count, checked[nextChecked].lowerBound <= i {
                let region = checked[nextChecked]
                nextChecked += 1
                if region.lowerBound == i, region.upperBound <= bytes.count, containers.count + Self.checkedDepth <= maxDepth {
                    i = region.upperBound
                    return
                }
            }
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
            // Keys without escapes (nearly all) are compared as they stand in the input: no copy,
            // and no reference to the input held per key (retaining and releasing it was a tenth of
            // reading a store file of 200 SKUs a location).
            let level = containers.count - 1
            let key: KeyBytes
            if try skipString() {
                key = KeyBytes(start: start + 1, count: i - 1 - (start + 1))
            } else {
                i = start
                key = keys[level].keep(try string(decoding: true))
            }
            let earlier = bytes.withUnsafeBufferPointer { input in keys[level].insert(key, at: start, in: input) }
            if let earlier {
                throw duplicate(bytes.withUnsafeBufferPointer { keys[level].bytes(of: key, in: $0) }, first: earlier, second: start)
            }
            skipWhitespace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected `:` after the key") }
            i += 1
        }

        func duplicate(_ name: [UInt8], first: Int, second: Int) -> JSONInputError {
            let text = String(decoding: name, as: UTF8.self)
            return fail(
                "the key \"\(text)\" appears twice in one object (first at \(JSONInputError.position(of: first, in: bytes)))", at: second, kind: .repeatedKey)
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
}
