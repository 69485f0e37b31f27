/// The plan's changes, written straight into the output: a change's impact lists every SKU whose
/// number moves (200 at a location of 200 SKUs), and building each as a `JSONValue` object, to
/// write it once and drop it, was most of the time the JSON plan took to render.
extension JSONPlanRenderer {
    /// The bytes `JSONValue.writeArray(changes, …, change)` writes.
    static func writeChanges(_ changes: [Change], indent: Int, into out: inout [UInt8], flush: (inout [UInt8]) -> Void) {
        // Written on every core, a window of changes at a time: at 200 SKUs a location, writing
        // the impacts was a seventh of a plan, on one core.
        JSONValue.writeArray(changes, indent: indent, into: &out, flush: flush, window: 1024) { c, indent, out in
            JSONValue.writeObject(
                changeMembers(c).map { ($0.0, JSONValue.Member.value($0.1)) } + [
                    ("impact", .stream { out, indent in writeImpact(c.impact, indent: indent, into: &out) })
                ],
                indent: indent, into: &out)
        }
    }

    /// The bytes `(impact.map(impact) ?? .null).write(into:indent:pretty: true)` writes.
    static func writeImpact(_ impact: InventoryImpact?, indent: Int, into out: inout [UInt8]) {
        guard let i = impact else {
            out.append(contentsOf: "null".utf8)
            return
        }
        JSONValue.writeObject(
            [
                ("overwritten", .value(.string(i.overwritten.rawValue))),
                ("skus_changed", .value(.int(i.changes.count))),
                ("units_up", .value(.int(i.unitsUp))),
                ("units_down", .value(.int(i.unitsDown))),
                ("only_in_warehouse", .value(.int(i.onlyInWarehouse))),
                ("only_at_location", .value(.int(i.onlyAtLocation))),
                ("largest", .stream { out, indent in writeSKUChanges(i.largest, indent: indent, into: &out) }),
                ("changes", .stream { out, indent in writeSKUChanges(i.changes, indent: indent, into: &out) }),
            ], indent: indent, into: &out)
    }

    /// `[{"sku": …, "from": …, "to": …}, …]`, pretty-printed as `JSONValue` writes it.
    static func writeSKUChanges(_ changes: [InventoryImpact.SKUChange], indent: Int, into out: inout [UInt8]) {
        if changes.isEmpty {
            out.append(contentsOf: "[]".utf8)
            return
        }
        // The bytes between the values, the same for every SKU at this indent: four appends a SKU.
        func line(_ level: Int) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONValue.newline(level, into: &bytes)
            return bytes
        }
        let open = line(indent + 1) + Array("{".utf8) + line(indent + 2) + Array(#""sku": "#.utf8)
        let from = Array(",".utf8) + line(indent + 2) + Array(#""from": "#.utf8)
        let to = Array(",".utf8) + line(indent + 2) + Array(#""to": "#.utf8)
        let close = line(indent + 1) + Array("}".utf8)
        out.append(UInt8(ascii: "["))
        for (n, c) in changes.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: open)
            JSONValue.escape(c.sku, into: &out)
            out.append(contentsOf: from)
            writeInt(c.from, into: &out)
            out.append(contentsOf: to)
            writeInt(c.to, into: &out)
            out.append(contentsOf: close)
        }
        JSONValue.newline(indent, into: &out)
        out.append(UInt8(ascii: "]"))
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
