import StockyardConfig
import Testing

/// The `path:`s a config's text gives, guessed from its lines for reading store files ahead:
/// the ones a store gives, as the config's parse reads them; nothing it cannot read plainly.
@Suite struct StorePathScanTests {
    private func paths(_ text: String) -> [String] { StorePathScan.paths(in: Array(text.utf8)) }

    @Test func eachStoresPathAsWritten() {
        let config = """
            version: 1
            stores:
              web:
                platform: file
                path: stores/web.json   # the web shop
              wholesale:
                platform: file
                path: "stores/whole sale.json"
              third:
                platform: file
                path: 'stores/it''s.json'
              fourth:
                platform: file
                path: 'stores/single.json'
              crlf:
                path: stores/crlf.json\r
              again:
                path: stores/web.json
            """
        #expect(paths(config) == ["stores/web.json", "stores/whole sale.json", "stores/single.json", "stores/crlf.json"])
    }

    /// Values it cannot read without a YAML parser are left out: escapes, flow collections,
    /// anchors and aliases, block scalars, a mapping under the key, a value on the next line.
    @Test func valuesItCannotReadPlainlyAreLeftOut() {
        let config = """
            a:
              path: "stores/es\\u0063aped.json"
              path: [stores/a.json]
              path: &anchor stores/b.json
              path: *alias
              path: |
                stores/c.json
              path:
                stores/d.json
              path: key: value
              path:stores/e.json
              xpath: stores/f.json
              path: ""
            """
        #expect(paths(config).isEmpty)
    }

    /// A line inside a block scalar looks like a store's `path:`: it is taken (a guess, then not
    /// used by any store), as the type says.
    @Test func aLineThatOnlyLooksLikeOneIsTaken() {
        #expect(paths("notes: |\n  path: stores/x.json\n") == ["stores/x.json"])
        #expect(paths("") == [])
        #expect(paths("path: a.json") == ["a.json"])
    }
}
