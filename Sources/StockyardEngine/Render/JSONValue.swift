/// A JSON value with object keys in a chosen order, so rendered JSON is the same bytes every time.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.rendered() == rhs.rendered() }
    public func hash(into hasher: inout Hasher) { hasher.combine(rendered()) }

    public static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// Pretty-printed with two-space indents and a trailing newline at top level.
    public func rendered(pretty: Bool = true) -> String {
        // Bytes in one growing buffer: appending piece by piece to a `String` (and escaping it
        // scalar by scalar) cost more than building the plan at 100,000 connections.
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, indent: 0, pretty: pretty)
        if pretty { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    func write(into out: inout [UInt8], indent: Int, pretty: Bool) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .string(let s): JSONValue.escape(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, into: &out) }
                item.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty {
                out.append(contentsOf: "{}".utf8)
                return
            }
            out.append(UInt8(ascii: "{"))
            for (i, (key, value)) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, into: &out) }
                JSONValue.escape(key, into: &out)
                out.append(contentsOf: (pretty ? ": " : ":").utf8)
                value.write(into: &out, indent: indent + 1, pretty: pretty)
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ indent: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        // From a constant's bytes: a slice of an array of spaces was a retain and a release each.
        let spaces: StaticString = "                                "
        if 2 * indent <= spaces.utf8CodeUnitCount {
            spaces.withUTF8Buffer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<(2 * indent)])) }
        } else {
            out.append(contentsOf: repeatElement(0x20, count: 2 * indent))
        }
    }

    static func escape(_ s: String, into out: inout [UInt8]) {
        // The text's bytes where they are (a copy of the string only when they are not in one piece).
        if s.utf8.withContiguousStorageIfAvailable({ quoted($0, into: &out) }) == nil {
            var s = s
            s.withUTF8 { quoted($0, into: &out) }
        }
    }

    /// `utf8` in quotes, escaped. Text with nothing to escape (nearly all) is found so eight bytes
    /// at a time and written with its quotes in one piece: byte by byte, with the quotes apart,
    /// this was a sixth of writing a first plan's JSON.
    private static func quoted(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        let count = utf8.count
        guard count <= 254, let base = utf8.baseAddress, isPlain(utf8) else {
            out.append(UInt8(ascii: "\""))
            escapeBytes(utf8, into: &out)
            out.append(UInt8(ascii: "\""))
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count + 2) { room in
            let at = room.baseAddress!
            at[0] = UInt8(ascii: "\"")
            (at + 1).initialize(from: base, count: count)
            at[count + 1] = UInt8(ascii: "\"")
            out.append(contentsOf: UnsafeBufferPointer(start: at, count: count + 2))
        }
    }

    /// No byte of `utf8` is one `escapeBytes` may escape: a control byte, a quote, a backslash,
    /// or 0xE2 (which starts U+2028 and U+2029). Whole words are tested with bit tricks: for a
    /// word `x`, `(x - 0x01…01 * n) & ~x & 0x80…80` is not zero exactly when a byte of `x` is
    /// below `n` (n ≤ 128), so a byte equal to `c` is one below 1 in `x ^ (0x01…01 * c)`.
    static func isPlain(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = utf8.baseAddress else { return true }
        return nextSpecial(base, from: 0, count: utf8.count) == utf8.count
    }

    /// Where the first byte at or after `start` is that `escapeBytes` may escape (`count` when
    /// none is), eight bytes at a time. The lowest byte the bit test marks is always one that
    /// matches (a false mark, from a borrow, can only fall above a true one).
    @inline(__always)
    private static func nextSpecial(_ base: UnsafePointer<UInt8>, from start: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func below(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &- ones &* n) & ~x & highs }
        func has(_ x: UInt64, _ byte: UInt64) -> UInt64 { below(x ^ (ones &* byte), 1) }
        var i = start
        while i + 8 <= count {
            let x = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            let marks = below(x, 0x20) | has(x, 0x22) | has(x, 0x5C) | has(x, 0xE2)
            if marks != 0 { return i + marks.trailingZeroBitCount / 8 }
            i += 8
        }
        while i < count {
            let byte = base[i]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return i }
            i += 1
        }
        return count
    }

    /// `escape`'s work between the quotes, into an array or into room made beforehand (at most
    /// six bytes a byte).
    static func escapeBytes<Out: JSONOutput & ~Copyable>(_ utf8: UnsafeBufferPointer<UInt8>, into out: inout Out) {
        // Runs that need no escape found eight bytes at a time (`nextSpecial`) and copied whole.
        // U+2028 and U+2029 (E2 80 A8/A9) are escaped; other text starting with 0xE2 ('…', '—')
        // is copied, not sent down a slow path.
        guard let base = utf8.baseAddress else { return }
        var runStart = 0
        var i = 0
        let count = utf8.count
        while i < count {
            i = nextSpecial(base, from: i, count: count)
            guard i < count else { break }
            let byte = utf8[i]
            let escaped: StaticString?
            var length = 1
            switch byte {
            case UInt8(ascii: "\""): escaped = "\\\""
            case UInt8(ascii: "\\"): escaped = "\\\\"
            case 0x0A: escaped = "\\n"
            case 0x0D: escaped = "\\r"
            case 0x09: escaped = "\\t"
            case 0xE2 where i + 2 < count && utf8[i + 1] == 0x80 && utf8[i + 2] == 0xA8:
                escaped = "\\u2028"
                length = 3
            case 0xE2 where i + 2 < count && utf8[i + 1] == 0x80 && utf8[i + 2] == 0xA9:
                escaped = "\\u2029"
                length = 3
            case 0..<0x20: escaped = nil
            default:
                i += 1
                continue
            }
            out.append(bytes: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
            if let escaped {
                escaped.withUTF8Buffer { out.append(bytes: $0) }
            } else {
                // `\u00` and the byte's two lower-case hex digits.
                let (prefix, digits): (StaticString, StaticString) = ("\\u00", "0123456789abcdef")
                prefix.withUTF8Buffer { out.append(bytes: $0) }
                digits.withUTF8Buffer { digits in
                    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 2) { hex in
                        hex[0] = digits[Int(byte >> 4)]
                        hex[1] = digits[Int(byte & 0x0F)]
                        out.append(bytes: UnsafeBufferPointer(hex))
                    }
                }
            }
            i += length
            runStart = i
        }
        out.append(bytes: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
    }
}

/// Where escaped JSON text is written: an array, or room made in one beforehand (`JSONRoom`).
protocol JSONOutput: ~Copyable {
    mutating func append(bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONOutput where Element == UInt8 {
    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { append(contentsOf: bytes) }
}

// MARK: - Streaming

extension JSONValue {
    /// A member of an object written by `writeObject`: a value, or a writer that streams one.
    enum Member {
        case value(JSONValue)
        /// Writes the value at the given indent, as `write(into:indent:pretty: true)` would.
        case stream((inout [UInt8], Int) -> Void)
    }

    /// Writes a pretty-printed object, byte for byte as `.object(...).write` does, with members
    /// that may stream their values instead of holding them whole.
    static func writeObject(_ members: [(String, Member)], indent: Int, into out: inout [UInt8]) {
        if members.isEmpty {
            out.append(contentsOf: "{}".utf8)
            return
        }
        out.append(UInt8(ascii: "{"))
        for (i, (key, member)) in members.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            newline(indent + 1, into: &out)
            escape(key, into: &out)
            out.append(contentsOf: ": ".utf8)
            switch member {
            case .value(let value): value.write(into: &out, indent: indent + 1, pretty: true)
            case .stream(let write): write(&out, indent + 1)
            }
        }
        newline(indent, into: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Writes a pretty-printed array, byte for byte as `.array(items.map(element)).write` does,
    /// making one element's value at a time: the values of a large plan, held whole, took more
    /// memory than the plan itself.
    /// `flush` sees the bytes after each element, to hand them on while the rest is written.
    static func writeArray<Items: Collection>(
        _ items: Items, indent: Int, into out: inout [UInt8], flush: (inout [UInt8]) -> Void = { _ in },
        _ element: (Items.Element) -> JSONValue
    ) {
        writeArray(items, indent: indent, into: &out, flush: flush) { item, indent, out in element(item).write(into: &out, indent: indent, pretty: true) }
    }

    /// As above, each item written by `writing` at the indent given, without a `JSONValue` of it.
    static func writeArray<Items: Collection>(
        _ items: Items, indent: Int, into out: inout [UInt8], flush: (inout [UInt8]) -> Void = { _ in },
        writing element: (Items.Element, Int, inout [UInt8]) -> Void
    ) {
        if items.isEmpty {
            out.append(contentsOf: "[]".utf8)
            return
        }
        out.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            newline(indent + 1, into: &out)
            element(item, indent + 1, &out)
            flush(&out)
        }
        newline(indent, into: &out)
        out.append(UInt8(ascii: "]"))
    }

    /// About how many bytes of items ``writeArray(_:indent:into:flush:window:room:writingApart:)``
    /// holds at once.
    static let windowBytes = 4 << 20

    /// As above, the items written on every core, `window` at a time: a run of the window's
    /// items (a part of it for each core, several times over) into bytes of its own, the runs
    /// then appended in order: the same bytes. Each run's bytes are kept for the same run of the
    /// next window (with `room` bytes made for each item the first time): bytes of their own for
    /// each item, made and freed, were a tenth of a first plan's writing, in the allocator, and
    /// a run's made anew each window were fresh pages each time at 200 SKUs a location.
    /// `writing` must depend only on its item.
    static func writeArray<Items: RandomAccessCollection>(
        _ items: Items, indent: Int, into out: inout [UInt8], flush: (inout [UInt8]) -> Void = { _ in }, window: Int, room: Int = 0,
        writingApart element: (Items.Element, Int, inout [UInt8]) -> Void
    ) where Items.Index == Int {
        if items.isEmpty {
            out.append(contentsOf: "[]".utf8)
            return
        }
        out.append(UInt8(ascii: "["))
        // Windows of up to `window` items, fewer when the items are large: about
        // `windowBytes` of them held at once (a window of 200 SKUs a location was 30 MB).
        var size = max(1, window)
        var runs: [[UInt8]] = []
        var start = items.startIndex
        while start < items.endIndex {
            let end = min(items.endIndex, start + size)
            let run = max(1, size / (Parallel.width * 8))
            let count = (end - start + run - 1) / run
            if runs.count < count { runs += [[UInt8]](repeating: [], count: count - runs.count) }
            runs.withUnsafeMutableBufferPointer { runs in
                // Each part writes only its own run.
                nonisolated(unsafe) let runs = runs
                _ = Parallel.map(count, chunk: 1) { part in
                    let (from, to) = (start + part * run, min(end, start + (part + 1) * run))
                    var piece: [UInt8] = []
                    swap(&piece, &runs[part])
                    piece.removeAll(keepingCapacity: true)
                    piece.reserveCapacity(room * (to - from))
                    for index in from..<to {
                        if index > from {
                            piece.append(UInt8(ascii: ","))
                            newline(indent + 1, into: &piece)
                        }
                        element(items[index], indent + 1, &piece)
                    }
                    swap(&piece, &runs[part])
                }
            }
            var written = 0
            for part in 0..<count {
                if start + part * run > items.startIndex { out.append(UInt8(ascii: ",")) }
                newline(indent + 1, into: &out)
                out.append(contentsOf: runs[part])
                written += runs[part].count
                flush(&out)
            }
            size = min(max(1, window), max(64, windowBytes / max(1, written / (end - start))))
            start = end
        }
        newline(indent, into: &out)
        out.append(UInt8(ascii: "]"))
    }
}
