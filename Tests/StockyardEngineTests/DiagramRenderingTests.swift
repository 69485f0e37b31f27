import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// Every diagram the engine tests draw, handed to the real renderers: Graphviz for DOT, mermaid.js
/// in headless Chromium for Mermaid. Each must draw without an error, and its SVG must show every
/// node's label.
@Suite struct DiagramRenderingTests {
    static func topologies() -> [(name: String, topology: Topology)] {
        [
            ("greyed", GraphRendererTests.greyed()),
            ("hostile", GraphRendererTests.hostile()),
            ("mixed plan", Topology.changes(of: RendererTests.mixedPlan())),
        ]
    }

    /// What the SVG must show: every store key, location name, warehouse name and key, with line
    /// breaks and other control characters as the spaces the renderers draw.
    static func labels(_ topology: Topology) -> [String] {
        var out: [String] = []
        for store in topology.stores {
            out.append(store.key)
            out += store.locations.map(\.name)
        }
        for warehouse in topology.warehouses {
            out.append(warehouse.key)
            if let name = warehouse.name { out.append(name) }
        }
        return out.map { String(String.UnicodeScalarView($0.unicodeScalars.map { $0.value < 0x20 ? " " : $0 })) }
    }

    static func collapsingSpaces(_ text: String) -> String {
        text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    @Test(.enabled(if: DiagramRenderers.graphvizWanted)) func graphvizDrawsEveryDiagram() throws {
        for (name, topology) in Self.topologies() {
            let svg = try DiagramRenderers.graphvizSVG(GraphRenderer.render(topology, as: .dot))
            let text = try DiagramRenderers.svgText(svg)
            for label in Self.labels(topology) {
                #expect(text.contains(label), "\(name): the SVG does not show '\(label)'")
            }
        }
    }

    @Test(.enabled(if: DiagramRenderers.mermaidWanted)) func mermaidDrawsEveryDiagram() throws {
        var cases = Self.topologies().map { (name: $0.name, text: MermaidGraphRenderer.render($0.topology), labels: Self.labels($0.topology)) }
        // The diagrams inside the Markdown comments, as GitHub would find them.
        for (name, markdown) in [
            ("mixed plan comment", MarkdownPlanRenderer().render(RendererTests.mixedPlan())), ("100,000-connection comment", PlanDiagramTests.bigMarkdown),
        ] {
            let text = try #require(PlanDiagramTests.mermaidBlock(markdown))
            cases.append((name, text, []))
        }
        let results = try DiagramRenderers.mermaid(cases.map(\.text))
        for (c, result) in zip(cases, results) {
            #expect(result.error == nil, "\(c.name): mermaid.js says: \(result.error ?? "")")
            // The word joiners the escaping adds are invisible, and HTML draws a run of spaces as one.
            let shown = Self.collapsingSpaces(result.text.replacingOccurrences(of: "\u{2060}", with: ""))
            for label in c.labels {
                #expect(shown.contains(Self.collapsingSpaces(label)), "\(c.name): the SVG does not show '\(label)'")
            }
        }
        // The bounded diagram shows the warehouses it kept.
        let big = try #require(PlanDiagramTests.mermaidBlock(PlanDiagramTests.bigMarkdown))
        let first = try #require(big.firstMatch(of: #/W0\[\("(Warehouse number \d+)/#))
        #expect(results.last?.text.contains(String(first.output.1)) == true)
    }
}
