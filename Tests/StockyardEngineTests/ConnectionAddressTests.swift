import StockyardEngine
import Testing

/// A link's address quotes its location's name as JSON does, whether the name needs escapes or not.
@Suite struct ConnectionAddressTests {
    /// Scalar by scalar, from a table of the escapes: what the address always was.
    private func quoted(_ text: String) -> String {
        let named: [Unicode.Scalar: String] = ["\"": "\\\"", "\\": "\\\\", "\n": "\\n", "\t": "\\t"]
        let body = text.unicodeScalars.map { scalar in
            named[scalar] ?? (scalar.value < 0x20 ? "\\u" + String(("000" + String(scalar.value, radix: 16)).suffix(4)) : String(scalar))
        }
        return "\"" + body.joined() + "\""
    }

    @Test func namesOfEveryKindAreQuotedAsJSONQuotesThem() {
        let names = [
            "", "Leeds DC", "Quay \"North\"", "back\\slash", "line\nbreak", "tab\there", "\u{01}\u{1F}", "\u{7F}", "Café — Zürich",
            "📦 depot", "[brackets]", String(repeating: "long name ", count: 30), "e\u{301}",
        ]
        for name in names {
            for store in ["web", "", "store with space", "é"] {
                #expect(ConnectionAddress.quoted(name) == quoted(name), "\(name.debugDescription)")
                #expect(ConnectionAddress.format(store: store, location: name) == "\(store)[\(quoted(name))]", "\(name.debugDescription)")
                #expect(ConnectionAddress.address(store: store, location: name) == "connection.\(store)[\(quoted(name))]", "\(name.debugDescription)")
            }
        }
    }
}
