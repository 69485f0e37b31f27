import Testing
import YAMLKit

/// The flat document a reader of large files walks: the same content as the tree, read in place.
@Suite("Flat document")
struct DocumentTests {
    func document(_ text: String) throws -> YAMLDocument {
        try YAMLParser.parseDocument(Array(text.utf8))
    }

    @Test func pairsAndItemsInSourceOrder() throws {
        let doc = try document("b: 1\na: [x, 'y', {k: v}]\nc:\n")
        let pairs = doc.pairs(doc.root)
        #expect(pairs.map { doc.string($0.key) } == ["b", "a", "c"])
        #expect(pairs[2].value.isScalar && doc.byteCount(pairs[2].value) == 0, "a missing value is an empty scalar")
        let items = doc.items(pairs[1].value)
        #expect(items.count == 3)
        #expect(doc.string(items[1]) == "y" && items[1].style == .singleQuoted)
        #expect(items[2].kind == .mapping && doc.string(items[2]) == "", "a collection has no text")
        #expect(doc.pairs(items[0]).isEmpty && doc.items(doc.root).isEmpty, "the wrong kind reads as empty")
        #expect(pairs[1].key.mark == mark(2, 1) && items[2].mark == mark(2, 13))
    }

    @Test func scalarsCompareAsBytes() throws {
        let doc = try document("name: caf\u{E9}\n\"co\\x64e\": 1\n")
        let pairs = doc.pairs(doc.root)
        #expect(doc.scalar(pairs[0].key, is: "name"))
        #expect(!doc.scalar(pairs[0].key, is: "nam") && !doc.scalar(pairs[0].value, is: "cafe"))
        #expect(doc.scalar(pairs[0].value, is: "caf\u{E9}"))
        #expect(doc.scalar(pairs[1].key, is: "code"), "escapes are resolved")
        #expect(!doc.scalar(doc.root, is: ""), "a mapping is no scalar")
        // Duplicate keys are refused, whichever way they are spelled.
        #expect(throws: YAMLError.self) { try document("name: 1\n\"na\\x6De\": 2\n") }
    }

    @Test func aliasesShareTheAnchoredChildren() throws {
        let doc = try document("a: &x {k: v, l: [1, 2]}\nb: *x\n")
        let a = try #require(doc.value(in: doc.root, forKey: "a"))
        let b = try #require(doc.value(in: doc.root, forKey: "b"))
        #expect(b.mark == mark(2, 4) && a.mark == mark(1, 4))
        #expect(doc.pairs(b).map { doc.string($0.key) } == ["k", "l"])
        #expect(doc.pairs(b)[0].value.mark == mark(1, 11), "nodes inside keep the anchor's positions")
    }

    @Test func tagsAndTheTreeAgree() throws {
        let text = "!!map\nx: !!str 1\ny: !custom [a]\n"
        let doc = try document(text)
        let pairs = doc.pairs(doc.root)
        #expect(doc.tag(doc.root) == "tag:yaml.org,2002:map")
        #expect(doc.tag(pairs[0].value) == "tag:yaml.org,2002:str" && doc.tag(pairs[0].key) == nil)
        #expect(doc.tag(pairs[1].value) == "!custom")
        let tree = doc.tree()
        #expect(tree.tag == "tag:yaml.org,2002:map")
        #expect(tree["x"]?.scalar == YAMLScalar(value: "1", style: .plain, tag: "tag:yaml.org,2002:str"))
        #expect(tree["y"]?.tag == "!custom" && tree["y"]?.sequence?.first?.text == "a")
    }
}
