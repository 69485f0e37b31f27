import Testing

@testable import YAMLKit

/// libyaml reading on a thread of its own while the builder takes its events must give what
/// one thread gives: the same document, or the same first error at the same place.
@Suite("Event feed")
struct EventFeedTests {
    /// Every node of the document, depth first: kind, style, tag, position and text.
    static func describe(_ document: YAMLDocument) -> [String] {
        var lines: [String] = []
        func visit(_ node: YAMLDocument.Node, depth: Int) {
            let head = "\(depth) \(node.kind) \(node.style) \(document.tag(node) ?? "-") \(node.mark)"
            switch node.kind {
            case .scalar:
                lines.append("\(head) \(document.withBytes(node) { Array($0) })")
            case .mapping:
                lines.append(head)
                for pair in document.pairs(node) {
                    visit(pair.key, depth: depth + 1)
                    visit(pair.value, depth: depth + 1)
                }
            case .sequence:
                lines.append(head)
                for item in document.items(node) { visit(item, depth: depth + 1) }
            }
        }
        visit(document.root, depth: 0)
        return lines
    }

    enum Outcome: Equatable {
        case document([String])
        case error(YAMLError)
    }

    static func outcome(_ bytes: [UInt8], feed: EventFeed, limits: YAMLLimits = .default) -> Outcome {
        do {
            let document = try bytes.withUnsafeBufferPointer { buffer throws(YAMLError) in
                try YAMLParser.parseDocument(buffer, limits: limits, feed: feed)
            }
            return .document(describe(document))
        } catch {
            return .error(error)
        }
    }

    static let feeds: [EventFeed] = [.ownThread(batch: 1), .ownThread(batch: 3), .ownThread(batch: 4096), .sameThread]

    static let texts = [
        "version: 1\nstores:\n  main: {platform: shopify, locations: [\"A\", 'B']}\n",
        "a: &x [1, {b: *x}]\nc: *x\n? [k]\n: |\n  text\n",
        "- !!str 1\n- >\n  folded\n- \"\\u00e9\\t\"\n",
        // A builder error (duplicate key) well before libyaml's own (an unclosed flow sequence):
        // the thread reads on past the first, but the first is the one reported.
        "a: 1\nb: 2\na: 3\n" + String(repeating: "c: [1, 2]\n", count: 20) + "d: [1, 2\n",
        // libyaml's error first, a duplicate key after it that is never reached.
        "a: [1, 2\nb: 1\nb: 2\n",
        // A second document, then a syntax error inside it.
        "a: 1\n---\nb: [\n",
        // Undefined alias, depth and alias budget.
        "a: *nowhere\nb: [\n",
        String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n",
        "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\nd: [*c, *c]\n",
        "# only a comment\n",
        "!!map\n&anchor key: !custom value\n",
    ]

    @Test(arguments: texts.indices)
    func everyFeedGivesTheSameOutcome(index: Int) {
        let bytes = Array(Self.texts[index].utf8)
        let limits = YAMLLimits(maxAliasExpansion: 40, maxDepth: 16)
        let expected = Self.outcome(bytes, feed: .sameThread, limits: limits)
        for feed in Self.feeds {
            #expect(Self.outcome(bytes, feed: feed, limits: limits) == expected, "\(feed)")
        }
    }

    @Test func theFirstErrorWinsOverOneTheThreadFoundLater() {
        let bytes = Array(Self.texts[3].utf8)
        guard case .error(let error) = Self.outcome(bytes, feed: .ownThread(batch: 1)) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.kind == .duplicateKey(key: "a", firstMark: Mark(line: 1, column: 1)))
        #expect(error.mark == Mark(line: 3, column: 1))
    }

    @Test func mutatedInputsGiveTheSameOutcomeOnEveryFeed() {
        var rng = SplitMix64(state: 11)
        let alphabet = Array("[]{}:,-?&*!|>'\"#%@` \t\n\r\\.~".utf8) + [0x00, 0xC3, 0xA9]
        let limits = YAMLLimits(maxAliasExpansion: 1_000, maxDepth: 16)
        for round in 0..<1_500 {
            let bytes = RobustnessTests.mutated(RobustnessTests.seeds[round % RobustnessTests.seeds.count], alphabet: alphabet, using: &rng)
            let expected = Self.outcome(bytes, feed: .sameThread, limits: limits)
            for feed in [EventFeed.ownThread(batch: 1), .ownThread(batch: 2)] {
                #expect(Self.outcome(bytes, feed: feed, limits: limits) == expected, "\(bytes)")
            }
        }
    }

    /// A text past the size where `concurrently` reads on two threads: the same document.
    @Test func aLargeTextReadConcurrentlyIsTheSameDocument() throws {
        var text = "stores:\n"
        for i in 0..<12_000 {
            text += "  s\(i): {platform: file, path: 'stores/\(i).json', locations: [A, \"B \(i)\"]}\n"
        }
        let bytes = Array(text.utf8)
        #expect(bytes.count > EventFeed.concurrentMinimum)
        let one = try YAMLParser.parseDocument(bytes)
        let two = try YAMLParser.parseDocument(bytes, concurrently: true)
        #expect(Self.describe(one) == Self.describe(two))
        // The root, `stores` and its mapping; for each store its key, mapping, three keys, three values
        // and two locations.
        #expect(Self.describe(two).count == 3 + 12_000 * 10)
    }
}
