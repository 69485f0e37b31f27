import Testing
import YAMLKit

@Suite("Anchors and aliases")
struct AnchorTests {
    @Test func aliasCopiesTheAnchoredNode() throws {
        let root = try parse("defaults: &d\n  master: stockyard\n  sync: [inventory]\nshop:\n  settings: *d\n")
        let copy = try #require(root["shop"]?["settings"])
        #expect(copy.keys == ["master", "sync"])
        #expect(copy["sync"]?.sequence?.first?.text == "inventory")
        #expect(copy.mark == mark(5, 13), "the copy sits where the alias is")
        #expect(copy["master"]?.mark == mark(2, 11), "nodes inside keep the anchor's positions")
    }

    @Test func scalarAnchor() throws {
        let root = try parse("a: &x 'hello'\nb: *x\nc: [*x, *x]\n")
        #expect(root["b"]?.scalar == YAMLScalar(value: "hello", style: .singleQuoted))
        #expect(root["c"]?.sequence?.count == 2)
    }

    @Test func laterAnchorWithTheSameNameWins() throws {
        let root = try parse("a: &x 1\nb: &x 2\nc: *x\n")
        #expect(root["c"]?.text == "2")
    }

    @Test func undefinedAlias() throws {
        let error = try #require(parseError("a: 1\nb: *nowhere\n"))
        #expect(error.kind == .undefinedAlias(name: "nowhere"))
        #expect(error.mark == mark(2, 4))
    }

    @Test func aliasBeforeItsAnchorIsUndefined() throws {
        let error = try #require(parseError("a: *x\nb: &x 1\n"))
        #expect(error.kind == .undefinedAlias(name: "x"))
    }

    @Test(arguments: ["a: &x [1, *x]\n", "a: &x {k: *x}\n", "&x [*x]\n", "a: &x\n  b: *x\n"])
    func recursiveAliasIsUndefinedNotAHang(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.kind == .undefinedAlias(name: "x"))
    }

    @Test func aliasAsKeyIsCheckedForDuplicates() throws {
        let error = try #require(parseError("a: &k name\n*k : 1\nname: 2\n"))
        #expect(error.kind == .duplicateKey(key: "name", firstMark: mark(2, 1)))
        #expect(error.mark == mark(3, 1))
    }

    @Test func billionLaughsFailsFast() throws {
        let bytes = try fixture("billion-laughs.yaml")
        let clock = ContinuousClock()
        var error: YAMLError?
        let elapsed = clock.measure { error = parseError(bytes) }
        #expect(error?.kind == .aliasExpansionLimit(limit: 100_000))
        // a: 2 nodes, b: 21, c: 211, d: 2111, e: 21111; the 4th *e on line 7 crosses 100,000.
        #expect(error?.mark == mark(7, 20))
        #expect(elapsed < .milliseconds(500))
    }

    @Test func expansionBudgetCountsWholeSubtrees() throws {
        let text = "a: &a [1, 2]\nb: *a\nc: *a\n"
        // Each *a costs 3 nodes: the list and its two items.
        #expect(try parse(text, limits: YAMLLimits(maxAliasExpansion: 6))["c"]?.sequence?.count == 2)
        let error = try #require(parseError(text, limits: YAMLLimits(maxAliasExpansion: 5)))
        #expect(error.kind == .aliasExpansionLimit(limit: 5))
        #expect(error.mark == mark(3, 4))
    }

    @Test func nestedAliasesCountTheirExpandedSize() throws {
        let text = "a: &a [x, y]\nb: &b [*a, *a]\nc: *b\n"
        // *a twice = 6, then *b = 1 + 3 + 3 = 7: 13 in all.
        #expect(throws: Never.self) { try YAMLParser.parse(text, limits: YAMLLimits(maxAliasExpansion: 13)) }
        #expect(parseError(text, limits: YAMLLimits(maxAliasExpansion: 12))?.kind == .aliasExpansionLimit(limit: 12))
    }

    @Test func manySmallAliasesWithinTheDefaultLimit() throws {
        var text = "anchor: &s shared\nlist:\n"
        for _ in 0..<1_000 { text += "  - *s\n" }
        #expect(try parse(text)["list"]?.sequence?.count == 1_000)
    }
}
