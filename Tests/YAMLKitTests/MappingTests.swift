import Testing
import YAMLKit

@Suite("Mappings and sequences")
struct MappingTests {
    @Test func mappingKeepsSourceOrder() throws {
        let root = try parse("z: 1\na: 2\nm: 3\n")
        #expect(root.keys == ["z", "a", "m"])
        #expect(root.kindDescription == "a mapping")
    }

    @Test func nestedCollections() throws {
        let root = try parse("a:\n  b:\n    - 1\n    - [2, 3]\n    - {c: 4}\n")
        let list = try #require(root["a"]?["b"]?.sequence)
        #expect(list.count == 3)
        #expect(list[0].text == "1")
        #expect(list[1].sequence?.compactMap(\.text) == ["2", "3"])
        #expect(list[2]["c"]?.text == "4")
        #expect(root["a"]?["b"]?.kindDescription == "a list")
    }

    @Test func emptyCollections() throws {
        let root = try parse("a: []\nb: {}\n")
        #expect(root["a"]?.sequence?.isEmpty == true)
        #expect(root["b"]?.mapping?.isEmpty == true)
    }

    @Test func collectionTags() throws {
        let root = try parse("a: !!set {x: null}\nb: !list [1]\nc: [1]\n")
        #expect(root["a"]?.tag == "tag:yaml.org,2002:set")
        #expect(root["b"]?.tag == "!list")
        #expect(root["c"]?.tag == nil)
    }

    @Test func nonScalarKeysAreAllowed() throws {
        let root = try parse("? [a, b]\n: 1\n? [a, b]\n: 2\n")
        let pairs = try #require(root.mapping)
        #expect(pairs.count == 2)
        #expect(pairs[0].key.sequence?.count == 2)
        #expect(pairs[1].value.text == "2")
    }

    @Test func mergeKeysAreOrdinaryKeys() throws {
        let root = try parse("base: &base {a: 1}\nderived:\n  <<: *base\n  b: 2\n")
        let derived = try #require(root["derived"])
        #expect(derived.keys == ["<<", "b"])
        #expect(derived["<<"]?["a"]?.text == "1")
        #expect(derived["a"] == nil)
    }

    @Test func duplicateKeyReportsBothPositions() throws {
        let error = try #require(parseError("a: 1\nb: 2\na: 3\n"))
        #expect(error.kind == .duplicateKey(key: "a", firstMark: mark(1, 1)))
        #expect(error.mark == mark(3, 1))
        #expect(error.message == "duplicate key 'a': already defined at line 1, column 1")
    }

    @Test func quotedAndPlainKeysAreTheSameKey() throws {
        let error = try #require(parseError("stores:\n  main: {}\n  'main': {}\n"))
        #expect(error.kind == .duplicateKey(key: "main", firstMark: mark(2, 3)))
        #expect(error.mark == mark(3, 3))
    }

    @Test func duplicateInFlowMapping() throws {
        let error = try #require(parseError("a: {x: 1, y: 2, \"x\": 3}\n"))
        #expect(error.kind == .duplicateKey(key: "x", firstMark: mark(1, 5)))
        #expect(error.mark == mark(1, 17))
    }

    @Test(arguments: [3, 8, 9, 50, 2_000])
    func duplicateFoundInMappingsOfEverySize(size: Int) throws {
        var text = (0..<size).map { "key\($0): \($0)\n" }.joined()
        #expect(try parse(text).mapping?.count == size)
        text += "key\(size / 2): again\n"
        let error = try #require(parseError(text))
        #expect(error.kind == .duplicateKey(key: "key\(size / 2)", firstMark: mark(size / 2 + 1, 1)))
        #expect(error.mark == mark(size + 1, 1))
    }

    /// Large mappings find their keys through a hash table built once they outgrow a linear scan:
    /// the keys written before it, the first and the last, are found as well as the middle one.
    @Test(arguments: [9, 64, 65, 2_000])
    func duplicateOfAnyKeyFoundInLargeMappings(size: Int) throws {
        let text = (0..<size).map { "key\($0): \($0)\n" }.joined()
        for repeated in [0, 7, 8, size - 1] {
            let error = try #require(parseError(text + "key\(repeated): again\n"))
            #expect(error.kind == .duplicateKey(key: "key\(repeated)", firstMark: mark(repeated + 1, 1)))
            #expect(error.mark == mark(size + 1, 1))
        }
        // Keys that differ only in their last bytes, or in length, are not duplicates.
        #expect(try parse(text + "key\(size)0: new\nkey: new\n").mapping?.count == size + 2)
        // The same key spelled with an escape is.
        let escaped = try #require(parseError(text + "\"key\\x31\": quoted\n"))
        #expect(escaped.kind == .duplicateKey(key: "key1", firstMark: mark(2, 1)))
    }

    /// Keys are compared as strings: canonically equivalent spellings are one key, in a short
    /// mapping and in one past the linear scan alike.
    @Test(arguments: [2, 40])
    func canonicallyEquivalentKeysAreDuplicates(size: Int) throws {
        let text = (0..<size).map { "key\($0): \($0)\n" }.joined()
        // An ASCII key is hashed from its bytes, any other from its `String`: both orders meet.
        for (first, second) in [("caf\u{E9}", "cafe\u{301}"), ("\u{212A}elvin", "Kelvin"), ("Kelvin", "\u{212A}elvin")] {
            let error = try #require(parseError(text + "\(first): 1\n\(second): 2\n"))
            #expect(error.kind == .duplicateKey(key: second, firstMark: mark(size + 1, 1)))
        }
    }

    @Test func sameKeyInDifferentMappingsIsFine() throws {
        let root = try parse("a: {name: 1}\nb: {name: 2}\nc:\n  name: 3\n  inner: {name: 4}\n")
        #expect(root["c"]?["inner"]?["name"]?.text == "4")
    }

    @Test func duplicateInsideNestedMappingAfterSiblings() throws {
        var text = "outer:\n"
        for i in 0..<20 { text += "  k\(i): {a: 1, b: 2}\n" }
        text += "  k19: {}\n"
        let error = try #require(parseError(text))
        #expect(error.kind == .duplicateKey(key: "k19", firstMark: mark(21, 3)))
        #expect(error.mark == mark(22, 3))
    }

    @Test func subscriptOnNonMappingIsNil() throws {
        #expect(try parse("[1]")["a"] == nil)
        #expect(try parse("x")["a"] == nil)
    }
}
