import Testing
import YAMLKit

@Suite("Scalars")
struct ScalarTests {
    @Test func plainScalarsAreNotResolved() throws {
        let root = try parse("a: 1\nb: true\nc: ~\nd: NO\ne: 1.5e3\n")
        for key in ["a", "b", "c", "d", "e"] {
            #expect(root[key]?.scalar?.style == .plain)
            #expect(root[key]?.scalar?.tag == nil)
        }
        #expect(root.keys == ["a", "b", "c", "d", "e"])
        #expect(root["b"]?.text == "true")
        #expect(root["c"]?.text == "~")
        #expect(root["d"]?.text == "NO")
    }

    @Test(arguments: [
        ("a: plain text", "plain text", ScalarStyle.plain),
        ("a: 'single ''quoted'''", "single 'quoted'", .singleQuoted),
        ("a: \"double\\tquoted\\u00e9\"", "double\tquotedé", .doubleQuoted),
        ("a: |\n  line 1\n  line 2\n", "line 1\nline 2\n", .literal),
        ("a: >\n  folded\n  text\n", "folded text\n", .folded),
        ("a: |-\n  kept\n", "kept", .literal),
    ])
    func everyStyleKeepsItsStyleAndValue(text: String, value: String, style: ScalarStyle) throws {
        let scalar = try #require(try parse(text)["a"]?.scalar)
        #expect(scalar.value == value)
        #expect(scalar.style == style)
        #expect(scalar.style.isQuoted == (style != .plain))
    }

    @Test func quotedNumberIsAQuotedString() throws {
        let scalar = try #require(try parse("port: \"1\"").scalar(at: "port"))
        #expect(scalar == YAMLScalar(value: "1", style: .doubleQuoted))
    }

    @Test func explicitTagsAreResolvedToTheirFullName() throws {
        let root = try parse("a: !!str 1\nb: !!int \"2\"\nc: !custom x\nd: !<tag:example.com,2024:thing> y\n")
        #expect(root.scalar(at: "a") == YAMLScalar(value: "1", style: .plain, tag: "tag:yaml.org,2002:str"))
        #expect(root.scalar(at: "b") == YAMLScalar(value: "2", style: .doubleQuoted, tag: "tag:yaml.org,2002:int"))
        #expect(root.scalar(at: "c")?.tag == "!custom")
        #expect(root.scalar(at: "d")?.tag == "tag:example.com,2024:thing")
    }

    @Test func tagsDistinguishOtherwiseEqualScalars() throws {
        let tagged = YAMLScalar(value: "1", style: .plain, tag: "tag:yaml.org,2002:str")
        var untagged = tagged
        untagged.tag = nil
        #expect(tagged != untagged)
        #expect(Set([tagged, untagged, tagged]).count == 2)
        untagged.tag = "tag:yaml.org,2002:str"
        #expect(tagged == untagged)
    }

    @Test func missingValueIsAnEmptyPlainScalar() throws {
        let root = try parse("a:\nb: 1\n")
        #expect(root["a"]?.scalar == YAMLScalar(value: "", style: .plain))
        #expect(root["b"]?.text == "1")
    }

    @Test func documentMayBeASingleScalar() throws {
        let root = try parse("just text\n")
        #expect(root.scalar == YAMLScalar(value: "just text", style: .plain))
        #expect(root.mark == mark(1, 1))
        #expect(root.kindDescription == "a scalar")
    }

    @Test func unicodeSurvives() throws {
        let root = try parse("name: Zürich 🏔\n\"ключ\": 値\n")
        #expect(root["name"]?.text == "Zürich 🏔")
        #expect(root["ключ"]?.text == "値")
        #expect(root["ключ"]?.mark == mark(2, 9))
    }

    @Test func longScalarsSurvive() throws {
        let long = String(repeating: "abcdefghij", count: 10_000)
        #expect(try parse("a: \(long)\n")["a"]?.text == long)
    }
}

extension YAMLNode {
    func scalar(at key: String) -> YAMLScalar? { self[key]?.scalar }
}
