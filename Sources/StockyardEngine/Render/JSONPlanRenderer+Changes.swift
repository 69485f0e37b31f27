/// The plan's changes, written straight into the output: a change's impact lists every SKU whose
/// number moves (200 at a location of 200 SKUs), and building each as a `JSONValue` object, to
/// write it once and drop it, was most of the time the JSON plan took to render.
extension JSONPlanRenderer {
    /// The bytes `JSONValue.writeArray(changes, …, change)` writes.
    static func writeChanges(_ changes: [Change], indent: Int, into out: inout [UInt8], flush: (inout [UInt8]) -> Void) {
        // Written on every core, a window of changes at a time: at 200 SKUs a location, writing
        // the impacts was a seventh of a plan, on one core.
        // Each into room for most changes as the plan writes them (grown from empty, a change's
        // bytes were copied several times over).
        JSONValue.writeArray(changes, indent: indent, into: &out, flush: flush, window: 1024, room: 2048, writingApart: writeChange)
    }

    /// The bytes `change(c).write(into:indent:pretty: true)` writes, member by member: the
    /// members of each change made as `JSONValue`s first were most of the time its text took.
    static func writeChange(_ c: Change, indent: Int, into out: inout [UInt8]) {
        var object = PrettyObject(indent: indent)
        // The members up to the notes, written into room made for the most they may take: twelve
        // members and two records' (of up to six members each) keys and punctuation, rule names,
        // and the texts, each escaped at most to six bytes a byte.
        let (address, store, location, locationID, warehouse, fingerprint) = (c.address, c.store, c.location, c.locationID, c.warehouse, c.fingerprint)
        let (before, after) = (c.before, c.after)
        var texts = address.utf8.count + (fingerprint?.utf8.count ?? 0) + recordTextBytes(before) + recordTextBytes(after)
        for text in [store, location, locationID, warehouse] { texts += text?.utf8.count ?? 0 }
        let most = 13 * (object.mostForMember() + 24) + 2 * mostForRecord(indent: indent + 1) + 6 * texts + 2 * 16
        JSONRoom.write(most: most, into: &out) { room in
            object.string("address", address, &room)
            object.string("kind", c.kind.rawValue, &room)
            object.string("action", c.action.rawValue, &room)
            object.string("reason", c.reason.rawValue, &room)
            object.string("risk", c.risk.rawValue, &room)
            object.optional("store", store, &room)
            object.optional("location", location, &room)
            object.optional("location_id", locationID, &room)
            object.optional("warehouse", warehouse, &room)
            object.member("before", &room)
            writeRecord(before, indent: indent + 1, into: &room)
            object.member("after", &room)
            writeRecord(after, indent: indent + 1, into: &room)
            object.optional("fingerprint", fingerprint, &room)
            object.member("notes", &room)
        }
        if let (effect, impact) = c.linkNote {
            writeLinkNotes(effect, summaryOf: impact, indent: indent + 1, into: &out)
        } else {
            writeStrings(c.notes, indent: indent + 1, into: &out)
        }
        object.member("depends_on", &out)
        if let (store, warehouse) = c.linkPrerequisites {
            writeLinkPrerequisites(store: store, warehouse: warehouse, indent: indent + 1, into: &out)
        } else {
            writeStrings(c.dependsOn, indent: indent + 1, into: &out)
        }
        writeImpact(c.impact, as: &object, into: &out)
        object.end(&out)
    }

    /// The bytes `(r.map(record) ?? .null).write(into:indent:pretty: true)` writes: at most six
    /// members, each a text of its own (``recordTextBytes(_:)``) or a rule name or flag of up to
    /// 24 bytes.
    static func writeRecord(_ r: ObjectRecord?, indent: Int, into room: inout JSONRoom) {
        var object = PrettyObject(indent: indent)
        switch r {
        case nil:
            room.bytes("null")
            return
        case .store(let s)?:
            object.string("key", s.key, &room)
            object.string("platform", s.platform.rawValue, &room)
            object.string("target", s.target, &room)
        case .warehouse(let w)?:
            object.string("key", w.key, &room)
            object.string("name", w.name, &room)
            object.optional("code", w.code, &room)
            object.string("kind", w.kind.rawValue, &room)
            object.bool("protect", w.protect, &room)
        case .connection(let c)?:
            object.string("store", c.store, &room)
            object.string("location_id", c.locationID, &room)
            object.string("location_name", c.locationName, &room)
            object.string("warehouse", c.warehouse, &room)
            object.string("master", c.master.rawValue, &room)
            object.bool("protect", c.protect, &room)
        }
        object.end(&room)
    }

    /// As ``writeRecord(_:indent:into:)-(_,_,JSONRoom)``, appended to `out`.
    static func writeRecord(_ r: ObjectRecord?, indent: Int, into out: inout [UInt8]) {
        JSONRoom.write(most: mostForRecord(indent: indent) + 6 * recordTextBytes(r), into: &out) { writeRecord(r, indent: indent, into: &$0) }
    }

    /// The most a record at `indent` writes but its texts' bytes escaped (six a byte at most):
    /// six members, each value a text's quotes or up to 24 bytes, and its end.
    static func mostForRecord(indent: Int) -> Int {
        6 * (PrettyObject(indent: indent).mostForMember() + 24) + 2 * indent + 3
    }

    /// The bytes of a record's own texts (its keys, names and targets), unescaped.
    static func recordTextBytes(_ r: ObjectRecord?) -> Int {
        switch r {
        case nil: return 0
        case .store(let s)?: return s.key.utf8.count + s.target.utf8.count
        case .warehouse(let w)?: return w.key.utf8.count + w.name.utf8.count + (w.code?.utf8.count ?? 0)
        case .connection(let c)?: return c.store.utf8.count + c.locationID.utf8.count + c.locationName.utf8.count + c.warehouse.utf8.count
        }
    }

    /// An array of strings, as `.array(strings.map(JSONValue.string))` writes it.
    static func writeStrings(_ strings: [String], indent: Int, into out: inout [UInt8]) {
        JSONValue.writeArray(strings, indent: indent, into: &out) { string, _, out in JSONValue.escape(string, into: &out) }
    }

    /// The bytes `writeStrings(notes, …)` writes for a link's notes, each written straight into
    /// `out` from what it says: made as strings first, a first plan's notes were a sixth of its JSON.
    static func writeLinkNotes(_ effect: LinkEffect, summaryOf impact: InventoryImpact?, indent: Int, into out: inout [UInt8]) {
        // Note 0 is the effect, note 1 the impact's summary.
        JSONValue.writeArray(0..<(impact == nil ? 1 : 2), indent: indent, into: &out) { note, _, out in
            writeQuoted(into: &out) { note == 0 ? effect.write(into: &$0) : impact!.writeSummary(into: &$0) }
        }
    }

    /// The bytes `writeStrings(dependsOn, …)` writes for a link's prerequisites, each written
    /// straight into `out` (`Change.Prerequisites.write`): made as strings in an array first, they
    /// were an allocation or three for every link.
    static func writeLinkPrerequisites(store: String?, warehouse: String?, indent: Int, into out: inout [UInt8]) {
        typealias Prerequisites = Change.Prerequisites
        JSONValue.writeArray(0..<Prerequisites.count(store: store, warehouse: warehouse), indent: indent, into: &out) { line, _, out in
            writeQuoted(into: &out) { Prerequisites.write(line, store: store, warehouse: warehouse, into: &$0) }
        }
    }

    /// What `JSONValue.escape` writes for the text `write` appends: the text is written in place
    /// and, when it holds anything to escape, taken back and escaped.
    static func writeQuoted(into out: inout [UInt8], _ write: (inout [UInt8]) -> Void) {
        let start = out.count
        out.append(UInt8(ascii: "\""))
        write(&out)
        let plain = out.withUnsafeBufferPointer { JSONValue.isPlain(UnsafeBufferPointer(rebasing: $0[(start + 1)...])) }
        if !plain {
            let text = Array(out[(start + 1)...])
            out.removeSubrange((start + 1)...)
            text.withUnsafeBufferPointer { JSONValue.escapeBytes($0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The member `impact` of `change`, an object one level in: the bytes
    /// `(impact.map(impact) ?? .null).write(into:indent:pretty: true)` writes there. Its key and
    /// the members before its SKU lists (a rule name and five numbers) are written into room made
    /// for the most they may take.
    static func writeImpact(_ impact: InventoryImpact?, as change: inout PrettyObject, into out: inout [UInt8]) {
        var object = PrettyObject(indent: change.indent + 1)
        guard let i = impact else {
            JSONRoom.write(most: change.mostForMember() + 4, into: &out) { room in
                change.member("impact", &room)
                room.bytes("null")
            }
            return
        }
        // Member by member: an array of the five, made for every impact, was one more allocation each.
        JSONRoom.write(most: change.mostForMember() + 7 * (object.mostForMember() + 24), into: &out) { room in
            change.member("impact", &room)
            object.string("overwritten", i.overwritten.rawValue, &room)
            object.int("skus_changed", i.changes.count, &room)
            object.int("units_up", i.unitsUp, &room)
            object.int("units_down", i.unitsDown, &room)
            object.int("only_in_warehouse", i.onlyInWarehouse, &room)
            object.int("only_at_location", i.onlyAtLocation, &room)
            object.member("largest", &room)
        }
        let indent = object.indent
        i.withLargest { positions in writeSKUChanges(positions.lazy.map { i.changes[$0] }, indent: indent + 1, into: &out) }
        object.member("changes", &out)
        writeSKUChanges(i.changes, indent: indent + 1, into: &out)
        object.end(&out)
    }

    /// `[{"sku": …, "from": …, "to": …}, …]`, pretty-printed as `JSONValue` writes it.
    ///
    /// Written through a pointer into room made for the worst case (every SKU byte escaped, numbers
    /// of 20 digits), then appended at once: at 200 SKUs a location, appending each separator, SKU
    /// and number in turn was a tenth of a plan.
    static func writeSKUChanges<Changes: Collection<InventoryImpact.SKUChange>>(_ changes: Changes, indent: Int, into out: inout [UInt8]) {
        if changes.isEmpty {
            out.append(contentsOf: "[]".utf8)
            return
        }
        // The bytes between the values, the same for every SKU at this indent.
        SKULayout.with(indent) { open, from, to, close in
            writeSKUChanges(changes, indent: indent, into: &out, open: open, from: from, to: to, close: close)
        }
    }

    private static func writeSKUChanges<Changes: Collection<InventoryImpact.SKUChange>>(
        _ changes: Changes, indent: Int, into out: inout [UInt8], open: UnsafeBufferPointer<UInt8>, from: UnsafeBufferPointer<UInt8>,
        to: UnsafeBufferPointer<UInt8>, close: UnsafeBufferPointer<UInt8>
    ) {
        // Room for the most it may take: every SKU byte escaped, numbers of 20 digits and a sign.
        let perSKU = 1 + open.count + from.count + to.count + close.count + 2 + 2 * 21
        var most = 2 + 1 + 2 * indent
        for c in changes { most += perSKU + 6 * c.sku.utf8.count }
        JSONRoom.write(most: most, into: &out) { room in
            room.byte(UInt8(ascii: "["))
            for (n, c) in changes.enumerated() {
                if n > 0 { room.byte(UInt8(ascii: ",")) }
                room.bytes(open)
                room.string(c.sku)
                room.bytes(from)
                room.int(c.from)
                room.bytes(to)
                room.int(c.to)
                room.bytes(close)
            }
            room.newline(indent)
            room.byte(UInt8(ascii: "]"))
        }
    }

    /// An integer's decimal digits, as `String(value)` spells them, without making the `String`.
    static func writeInt(_ value: Int, into out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        // 20 digits hold any `Int`'s magnitude; written from the last.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var first = 20
            repeat {
                first -= 1
                digits[first] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[first...]))
        }
    }
}

/// The bytes between the values of a SKU's `{"sku": …, "from": …, "to": …}` at one indent, made
/// once for the indents a plan uses: made for every impact (twice: its largest and its changes),
/// they were ten allocations an impact, most of the work at five SKUs a location. Held outside
/// any array: four arrays handed to every impact were four counted references each, shared by
/// every core (a fifth of writing a first plan's impacts).
private enum SKULayout {
    /// Each indent's four pieces end to end, and where each ends; made once, never freed nor
    /// written again (so shared by every core as they are).
    nonisolated(unsafe) private static let made: [(bytes: UnsafeBufferPointer<UInt8>, ends: (Int, Int, Int, Int))] = (0..<16).map { indent in
        let (open, from, to, close) = make(indent)
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: open.count + from.count + to.count + close.count)
        _ = bytes.initialize(from: open + from + to + close)
        let ends = (open.count, open.count + from.count, open.count + from.count + to.count, bytes.count)
        return (UnsafeBufferPointer(bytes), ends)
    }

    /// Calls `body` with the pieces at `indent`: the opening up to the SKU, the bytes before
    /// `from`'s number, before `to`'s, and the closing.
    static func with<R>(
        _ indent: Int,
        _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> R
    ) -> R {
        guard indent < made.count else {
            let (open, from, to, close) = make(indent)
            return open.withUnsafeBufferPointer { open in
                from.withUnsafeBufferPointer { from in
                    to.withUnsafeBufferPointer { to in close.withUnsafeBufferPointer { close in body(open, from, to, close) } }
                }
            }
        }
        let (bytes, ends) = made[indent]
        return body(
            UnsafeBufferPointer(rebasing: bytes[..<ends.0]), UnsafeBufferPointer(rebasing: bytes[ends.0..<ends.1]),
            UnsafeBufferPointer(rebasing: bytes[ends.1..<ends.2]), UnsafeBufferPointer(rebasing: bytes[ends.2..<ends.3]))
    }

    private static func make(_ indent: Int) -> (open: [UInt8], from: [UInt8], to: [UInt8], close: [UInt8]) {
        func line(_ level: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONValue.newline(level, into: &bytes)
            return bytes
        }
        return (
            line(indent + 1) + Array("{".utf8) + line(indent + 2) + Array(#""sku": "#.utf8),
            Array(",".utf8) + line(indent + 2) + Array(#""from": "#.utf8),
            Array(",".utf8) + line(indent + 2) + Array(#""to": "#.utf8),
            line(indent + 1) + Array("}".utf8)
        )
    }
}
