import StockyardEngine
import Testing

/// The text plan written in pieces is the text plan: the same bytes, never held whole.
@Suite struct TextPlanStreamTests {
    @Test func thePiecesMakeTheWholeTextAndEachIsSmall() {
        let plan = MarkdownBudgetTests.plan(stores: 3, perStore: 400)
        for color in [false, true] {
            let renderer = TextPlanRenderer(color: color)
            var pieces: [String] = []
            renderer.write(plan) { pieces.append($0) }
            #expect(pieces.joined() == renderer.render(plan))
            #expect(pieces.count > 1)
            // About 64 KB each: a piece ends after the change that took it past that.
            #expect(pieces.allSatisfy { $0.utf8.count < (1 << 16) + 4096 })
        }
        // A plan without changes, or with errors, is one piece.
        var pieces: [String] = []
        TextPlanRenderer(color: false).write(MarkdownBudgetTests.plan(stores: 0, perStore: 0)) { pieces.append($0) }
        #expect(pieces.count == 1 && pieces[0].contains("No changes."))
    }
}
