/// One pretty-printed object written member by member, as `JSONValue.writeObject` writes it: `{`,
/// each member on a line of its own one level in, `}` on a line at `indent` (`{}` when empty).
struct PrettyObject {
    let indent: Int
    private var members = 0

    init(indent: Int) { self.indent = indent }

    var isEmpty: Bool { members == 0 }

    /// What comes before the next member, `{` or `,`, and counts it.
    mutating func startMember() -> UInt8 {
        defer { members += 1 }
        return members == 0 ? UInt8(ascii: "{") : UInt8(ascii: ",")
    }

    /// Starts the member `key` (plain ASCII, nothing to escape); its value is written next.
    /// The separator, line break, indent and key are made on the stack and appended at once: a
    /// piece at a time, they were a fifth of writing a first plan's JSON.
    mutating func member(_ key: StaticString, _ out: inout [UInt8]) {
        let open = startMember()
        let spaces = 2 * (indent + 1)
        let length = spaces + key.utf8CodeUnitCount + 6
        guard length <= 256 else {
            out.append(open)
            JSONValue.newline(indent + 1, into: &out)
            out.append(UInt8(ascii: "\""))
            key.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: "\": ".utf8)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: length) { room in
            let at = room.baseAddress!
            at[0] = open
            at[1] = 0x0A
            (at + 2).initialize(repeating: 0x20, count: spaces)
            at[2 + spaces] = UInt8(ascii: "\"")
            key.withUTF8Buffer { (at + 3 + spaces).initialize(from: $0.baseAddress!, count: $0.count) }
            at[length - 3] = UInt8(ascii: "\"")
            at[length - 2] = UInt8(ascii: ":")
            at[length - 1] = 0x20
            out.append(contentsOf: UnsafeBufferPointer(start: at, count: length))
        }
    }

    func end(_ out: inout [UInt8]) {
        if members == 0 {
            out.append(contentsOf: "{}".utf8)
            return
        }
        JSONValue.newline(indent, into: &out)
        out.append(UInt8(ascii: "}"))
    }
}

extension PrettyObject {
    /// The most ``member(_:_:)-(_,JSONRoom)`` writes for a key of up to 20 bytes: the separator,
    /// the line break, the indent, the quoted key and `": "`.
    func mostForMember() -> Int { 2 + 2 * (indent + 1) + 20 + 4 }

    /// ``member(_:_:)``, into room made beforehand.
    mutating func member(_ key: StaticString, _ room: inout JSONRoom) {
        room.byte(startMember())
        room.newline(indent + 1)
        room.byte(UInt8(ascii: "\""))
        room.bytes(key)
        room.bytes("\": ")
    }

    mutating func string(_ key: StaticString, _ value: String, _ room: inout JSONRoom) {
        member(key, &room)
        room.string(value)
    }

    /// A string, or `null`.
    mutating func optional(_ key: StaticString, _ value: String?, _ room: inout JSONRoom) {
        member(key, &room)
        if let value { room.string(value) } else { room.bytes("null") }
    }

    mutating func int(_ key: StaticString, _ value: Int, _ room: inout JSONRoom) {
        member(key, &room)
        room.int(value)
    }

    mutating func bool(_ key: StaticString, _ value: Bool, _ room: inout JSONRoom) {
        member(key, &room)
        room.bytes(value ? "true" : "false")
    }

    /// ``end(_:)``, into room made beforehand: at most `2 * indent + 3` bytes.
    func end(_ room: inout JSONRoom) {
        if isEmpty {
            room.bytes("{}")
            return
        }
        room.newline(indent)
        room.byte(UInt8(ascii: "}"))
    }
}
