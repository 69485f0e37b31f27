import Testing
import YAMLKit

@Suite("Limits")
struct LimitsTests {
    @Test(arguments: ["[", "{", "{a: ", "[{a: "])
    func hostileFlowNestingHitsTheDepthLimit(opener: String) throws {
        let text = String(repeating: opener, count: 100_000)
        let error = try #require(parseError(text))
        #expect(error.kind == .depthLimit(limit: 256))
        #expect(error.mark.line == 1)
    }

    @Test func depthLimitReportsTheCollectionThatWentTooDeep() throws {
        let error = try #require(parseError(String(repeating: "[", count: 100_000)))
        #expect(error.mark == mark(1, 257))
    }

    @Test func nestingExactlyAtTheLimitWorks() throws {
        let text = String(repeating: "[", count: 256) + "x" + String(repeating: "]", count: 256)
        var node = try parse(text)
        var depth = 0
        while let items = node.sequence {
            depth += 1
            node = try #require(items.first)
        }
        #expect(depth == 256)
        #expect(node.text == "x")
        let deeper = "[" + text + "]"
        #expect(parseError(deeper)?.kind == .depthLimit(limit: 256))
    }

    @Test func blockNestingHitsTheDepthLimit() throws {
        let text = (0..<300).map { String(repeating: " ", count: $0) + "k:\n" }.joined()
        let error = try #require(parseError(text))
        #expect(error.kind == .depthLimit(limit: 256))
        #expect(error.mark == mark(257, 257))
    }

    @Test func blockSequenceNesting() throws {
        let error = try #require(parseError(String(repeating: "- ", count: 100_000) + "x\n"))
        #expect(error.kind == .depthLimit(limit: 256))
    }

    @Test func customDepthLimit() throws {
        let limits = YAMLLimits(maxAliasExpansion: 10, maxDepth: 2)
        #expect(try parse("a: {b: 1}", limits: limits)["a"]?["b"]?.text == "1")
        let error = try #require(parseError("a: {b: [1]}", limits: limits))
        #expect(error == YAMLError(.depthLimit(limit: 2), mark: mark(1, 8)))
    }

    @Test func scalarsDoNotCountAsDepth() throws {
        #expect(try parse("x", limits: YAMLLimits(maxDepth: 0)).text == "x")
        #expect(parseError("[x]", limits: YAMLLimits(maxDepth: 0))?.kind == .depthLimit(limit: 0))
    }

    @Test func defaults() {
        #expect(YAMLLimits.default.maxAliasExpansion == 100_000)
        #expect(YAMLLimits.default.maxDepth == 256)
    }
}
