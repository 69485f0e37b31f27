/// Bytes written through a pointer into room made at the end of an output beforehand, for the
/// most they may take, and the room left over taken back (``write(most:into:_:)``).
///
/// A change's members appended to the array a piece at a time — each append a call that checks
/// the array's uniqueness and capacity, then copies a few bytes — were most of the time a first
/// plan's JSON took to write. Every write here is checked against the room's end: a bound too
/// small stops the program, it never writes past the room.
struct JSONRoom: ~Copyable, JSONOutput {
    private var at: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>

    private init(at: UnsafeMutablePointer<UInt8>, end: UnsafeMutablePointer<UInt8>) {
        self.at = at
        self.end = end
    }

    /// Makes room for `most` bytes at the end of `out`, lets `body` write into it, and takes back
    /// the room it did not use.
    static func write(most: Int, into out: inout [UInt8], _ body: (inout JSONRoom) -> Void) {
        let start = out.count
        extend(&out, by: most)
        let used = out.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress! + start
            var room = JSONRoom(at: base, end: base + most)
            body(&room)
            return room.at - base
        }
        out.removeLast(most - used)
    }

    /// Zeroes, copied in to make room: `append(contentsOf: repeatElement(0, count:))` stores them a
    /// byte at a time (two kilobytes a change, more than the change's own bytes took to write).
    private static let zeroes = [UInt8](repeating: 0, count: 16 * 1024)

    /// `count` more bytes at the end of `out`, their values unspecified until written.
    static func extend(_ out: inout [UInt8], by count: Int) {
        var left = count
        zeroes.withUnsafeBufferPointer { zeroes in
            while left > 0 {
                let piece = min(left, zeroes.count)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: zeroes[..<piece]))
                left -= piece
            }
        }
    }

    @inline(__always)
    private mutating func reserve(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        precondition(count <= end - at, "JSONRoom: the room made is too small")
        defer { at += count }
        return at
    }

    mutating func byte(_ byte: UInt8) {
        reserve(1).pointee = byte
    }

    mutating func bytes(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        reserve(bytes.count).update(from: base, count: bytes.count)
    }

    mutating func append(bytes: UnsafeBufferPointer<UInt8>) { self.bytes(bytes) }

    mutating func bytes(_ text: StaticString) {
        text.withUTF8Buffer { bytes($0) }
    }

    /// A line break and `2 * indent` spaces, as `JSONValue.newline` writes them.
    mutating func newline(_ indent: Int) {
        let to = reserve(1 + 2 * indent)
        to.pointee = 0x0A
        (to + 1).update(repeating: 0x20, count: 2 * indent)
    }

    /// An integer's digits, as `String(value)` spells them (at most 21 bytes): counted first,
    /// then written from the last.
    mutating func int(_ value: Int) {
        precondition(end - at >= 21, "JSONRoom: the room made is too small")
        if value < 0 {
            at.pointee = UInt8(ascii: "-")
            at += 1
        }
        var magnitude = value.magnitude
        var digits = 1
        var rest = magnitude / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        var last = at + digits - 1
        repeat {
            last.pointee = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            last -= 1
        } while magnitude > 0
        at += digits
    }

    /// `text` in quotes, escaped as `JSONValue.escape` writes it: at most six bytes a byte of the
    /// text (`\u001f`), and the quotes.
    mutating func string(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ quoted($0) }) == nil {
            var text = text
            text.withUTF8 { quoted($0) }
        }
    }

    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard JSONValue.isPlain(utf8) else {
            byte(UInt8(ascii: "\""))
            JSONValue.escapeBytes(utf8, into: &self)
            byte(UInt8(ascii: "\""))
            return
        }
        let to = reserve(utf8.count + 2)
        to.pointee = UInt8(ascii: "\"")
        if let base = utf8.baseAddress { (to + 1).update(from: base, count: utf8.count) }
        (to + 1 + utf8.count).pointee = UInt8(ascii: "\"")
    }
}
