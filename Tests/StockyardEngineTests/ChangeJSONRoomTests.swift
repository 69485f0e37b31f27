import Testing

@testable import StockyardEngine

/// A change's members are written through a pointer into room made for the most they may take:
/// texts that escape to the most bytes (every byte a control byte, six bytes each), the longest
/// rule names, every kind of record, numbers of 20 digits and a sign, at any indent, are the bytes
/// `JSONValue` writes for them.
@Suite struct ChangeJSONRoomTests {
    static func reference(_ change: Change, indent: Int) -> [UInt8] {
        var out: [UInt8] = []
        JSONPlanRenderer.change(change).write(into: &out, indent: indent, pretty: true)
        return out
    }

    /// Texts of `length` bytes: every byte escaped (`\u0001`), or plain, or quotes and U+2028.
    static func texts(_ length: Int) -> [String] {
        [
            String(repeating: "\u{01}", count: length), String(repeating: "a", count: length),
            String(repeating: "\"\u{2028}", count: max(1, length / 4)),
        ]
    }

    static func changes(_ text: String) -> [Change] {
        let connection = ConnectionRecord(store: text, locationID: text, locationName: text, warehouse: text, master: .stockyard, protect: true)
        let warehouse = WarehouseRecord(key: text, name: text, code: text, kind: .thirdParty, protect: false)
        return [
            Change(
                address: text, kind: .connection, action: .update, reason: .renamed, risk: .inventoryOverwrite, before: .connection(connection),
                after: .connection(connection), fingerprint: text, store: text, location: text, locationID: text, warehouse: text, notes: [text],
                dependsOn: [text],
                impact: InventoryImpact(
                    overwritten: .warehouse, changes: [.init(sku: text, from: Int.min, to: Int.max), .init(sku: "b", from: -1, to: 0)],
                    onlyInWarehouse: Int.max, onlyAtLocation: Int.min)),
            Change(
                address: text, kind: .warehouse, action: .move, reason: .changed, risk: .destructive, before: .warehouse(warehouse),
                after: .warehouse(warehouse), fingerprint: nil, warehouse: text),
            Change(
                address: text, kind: .store, action: .delete, reason: .removed, risk: .safe,
                before: .store(StoreRecord(key: text, platform: .shopify, target: text)), after: nil, fingerprint: nil, store: text),
            Change(address: "", kind: .store, action: .create, reason: .drift, risk: .safe, before: nil, after: nil, fingerprint: nil),
        ]
    }

    @Test func theMostEscapedTextsFitTheirRoom() {
        for length in [0, 1, 15, 16, 200, 5000] {
            for text in Self.texts(length) {
                for change in Self.changes(text) {
                    for indent in [0, 2, 17, 60] {
                        var out: [UInt8] = Array("before".utf8)
                        JSONPlanRenderer.writeChange(change, indent: indent, into: &out)
                        #expect(out == Array("before".utf8) + Self.reference(change, indent: indent), "\(length) bytes, indent \(indent)")
                    }
                }
            }
        }
    }

    /// A record written alone (the plan's neighbourhood) makes its own room.
    @Test func aRecordAloneMakesItsOwnRoom() {
        for text in Self.texts(300) {
            let records: [ObjectRecord] = [
                .connection(ConnectionRecord(store: text, locationID: text, locationName: text, warehouse: text, master: .store, protect: false)),
                .warehouse(WarehouseRecord(key: text, name: text, code: nil, kind: .own)),
            ]
            for record in records {
                var out: [UInt8] = []
                JSONPlanRenderer.writeRecord(record, indent: 3, into: &out)
                var reference: [UInt8] = []
                JSONPlanRenderer.record(record).write(into: &reference, indent: 3, pretty: true)
                #expect(out == reference)
            }
        }
    }
}
