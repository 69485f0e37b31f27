import Testing

@testable import StockyardEngine

/// The SKU changes of an impact, written through a pointer, are the bytes `JSONValue` writes for
/// them: any SKU text (quotes, backslashes, control bytes, U+2028, other non-ASCII), any number,
/// at any indent.
@Suite struct SKUChangesJSONTests {
    static func reference(_ changes: [InventoryImpact.SKUChange], indent: Int) -> [UInt8] {
        let value = JSONValue.array(changes.map { .object([("sku", .string($0.sku)), ("from", .int($0.from)), ("to", .int($0.to))]) })
        var out: [UInt8] = []
        value.write(into: &out, indent: indent, pretty: true)
        return out
    }

    @Test func sameBytesAsJSONValueForAnySKUAndNumber() {
        let skus = [
            "SKU-1", "", "a\"b", "back\\slash", "tab\there", "new\nline", "\u{01}\u{1F}", "line\u{2028}sep\u{2029}", "…—€", "ünï", "😀",
            "\u{E2}x", "a-very-long-sku-with-many-bytes-0123456789-0123456789", "end\\",
        ]
        let numbers = [0, 1, -1, 9, 10, 999_999, -1_000_000_000, Int.max, Int.min]
        var changes: [InventoryImpact.SKUChange] = []
        for (i, sku) in skus.enumerated() {
            changes.append(InventoryImpact.SKUChange(sku: sku, from: numbers[i % numbers.count], to: numbers[(i * 5 + 3) % numbers.count]))
        }
        for indent in [0, 1, 3, 15, 16, 40] {
            for count in [0, 1, 2, changes.count] {
                let some = Array(changes.prefix(count))
                var out: [UInt8] = Array("prefix".utf8)
                JSONPlanRenderer.writeSKUChanges(some, indent: indent, into: &out)
                #expect(out == Array("prefix".utf8) + Self.reference(some, indent: indent), "indent \(indent), \(count) SKUs")
            }
        }
    }
}
