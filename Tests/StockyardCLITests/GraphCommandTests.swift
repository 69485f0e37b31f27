import Foundation
import StockyardTestSupport
import Testing

/// `stockyard graph`, and the diagram in `plan --format markdown`, on the examples.
@Suite struct GraphCommandTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    func check(_ actual: String, _ name: String) throws {
        #expect(try Goldens.matches(actual, name, in: Self.goldens), "\(name) differs from its golden file")
    }

    static let examples: [(example: String, format: String, golden: String)] = [
        ("demo", "mermaid", "demo.mmd"), ("demo", "dot", "demo.dot"),
        ("two-stores", "mermaid", "two-stores.mmd"), ("two-stores", "dot", "two-stores.dot"),
    ]

    static func draw(_ example: String, _ format: String) throws -> CLIRunner.Result {
        try CLIRunner.run(["graph", "--config", "examples/\(example)/stockyard.yaml", "--format", format])
    }

    @Test(arguments: examples) func examplesMatchTheirGoldens(example: String, format: String, golden: String) throws {
        let result = try Self.draw(example, format)
        #expect(result.status == 0, "\(result.stderr)")
        try check(result.stdout, golden)
        #expect(try Self.draw(example, format).stdout == result.stdout, "the same inputs draw the same bytes")
    }

    @Test func shopifyStoresAreDrawnFromTheConfigUnlessAsked() throws {
        let result = try Self.draw("two-stores", "mermaid")
        #expect(result.stderr == "note: acme-us, acme-wholesale are drawn from the config alone; --read-shopify reads Shopify stores' locations\n")
        // Asked, without a token: each store says why, and the drawing still comes out.
        let asked = try CLIRunner.run(
            ["graph", "--config", "examples/two-stores/stockyard.yaml", "--read-shopify"],
            environment: ["ACME_US_SHOPIFY_TOKEN": "", "ACME_WHOLESALE_SHOPIFY_TOKEN": ""])
        #expect(asked.status == 0)
        #expect(asked.stderr.contains("warning: store 'acme-us' could not be read:"))
        #expect(asked.stdout.contains("acme-us · shopify · could not be read"))
    }

    @Test func anUnreadableFileStoreIsDrawnFromTheConfigWithAWarning() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("stores/web.json"))
        let result = try CLIRunner.run(["graph"], in: dir)
        #expect(result.status == 0)
        #expect(result.stderr.hasPrefix("warning: store 'web' could not be read: "))
        #expect(result.stdout.contains("subgraph S0[\"web · file · could not be read\"]"))
        #expect(result.stdout.contains("(\"Leeds warehouse\")"))
    }

    @Test func afterApplyTheStateDrawsWhatTheConfigDraws() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let empty = try CLIRunner.run(["graph", "--from", "state"], in: dir)
        #expect(empty.status == 0)
        #expect(empty.stdout == "flowchart LR\n")
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        for format in ["mermaid", "dot"] {
            let held = try CLIRunner.run(["graph", "--from", "state", "--format", format], in: dir)
            #expect(held.status == 0, "\(held.stderr)")
            #expect(held.stdout == (try CLIRunner.run(["graph", "--format", format], in: dir)).stdout)
        }
        let one = try CLIRunner.run(["graph", "--from", "state", "--store", "wholesale"], in: dir)
        #expect(one.stdout.contains("wholesale") && !one.stdout.contains("subgraph S0[\"web"))
    }

    @Test func mistakesAreErrors() throws {
        let unknown = try CLIRunner.run(["graph", "--config", "examples/demo/stockyard.yaml", "--store", "wholsale"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no store 'wholsale' in examples/demo/stockyard.yaml; did you mean 'wholesale'?\n")
        #expect(try CLIRunner.run(["graph", "--format", "svg"]).status == 64)
        #expect(try CLIRunner.run(["graph", "--from", "state", "--read-shopify"]).status == 64)
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "version: 1\nwarehouses: { a: { name: A, kind: own } }\nstores: { s: { platform: file, path: s.json, locations: { X: { warehouse: b } } } }\n"
            .write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
        let invalid = try CLIRunner.run(["graph"], in: dir)
        #expect(invalid.status == 1)
        #expect(invalid.stderr.contains("[undefined-warehouse]"))
        #expect(invalid.stdout.isEmpty)
    }

    @Test func aDrawingPastMermaidsLimitsSaysSo() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var yaml = "version: 1\nwarehouses:\n  w: { name: W, kind: own }\nstores:\n  s:\n    platform: file\n    path: s.json\n    locations:\n"
        var locations: [String] = []
        for i in 0..<501 {
            yaml += "      L\(i): { warehouse: w, master: stockyard }\n"
            locations.append("{ \"id\": \"l\(i)\", \"name\": \"L\(i)\", \"active\": true, \"fulfillment_service\": false }")
        }
        try yaml.write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)
        try "{ \"locations\": [\(locations.joined(separator: ", "))], \"quantities\": {} }".write(
            to: dir.appendingPathComponent("s.json"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["graph"], in: dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("warning: the diagram has 501 edges and "))
        #expect(result.stdout.split(separator: "\n").filter { $0.hasPrefix("  W0 --> ") }.count == 501)
        let dot = try CLIRunner.run(["graph", "--format", "dot"], in: dir)
        #expect(dot.status == 0 && dot.stderr.isEmpty)
    }

    @Test func helpHasAnExample() throws {
        let help = try CLIRunner.run(["graph", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"))
        #expect(help.stdout.contains("--read-shopify"))
    }

    @Test func theDemoPlanCommentHasADiagramUnlessTurnedOff() throws {
        let with = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "markdown"])
        #expect(with.stdout.contains("#### What changes\n\n```mermaid\nflowchart LR\n"))
        try check(with.stdout, "demo-plan.md")
        // The README shows this diagram's source beside its picture: it must be what plan prints.
        let readme = try String(contentsOf: CLIRunner.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(with.stdout.range(of: "#### What changes"))
        let end = try #require(with.stdout.range(of: "</sub>"))
        #expect(readme.contains(String(with.stdout[start.lowerBound..<end.upperBound])), "README's demo diagram is out of date")
        let without = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "markdown", "--no-diagram"])
        #expect(!without.stdout.contains("```mermaid"))
        #expect(without.stdout.count < with.stdout.count)
    }

    // MARK: - The real renderers

    static func cliDiagrams() throws -> [(name: String, format: String, text: String)] {
        var out = try examples.map { ($0.golden, $0.format, try draw($0.example, $0.format).stdout) }
        let markdown = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "markdown"]).stdout
        if let start = markdown.range(of: "```mermaid\n"), let end = markdown.range(of: "```", range: start.upperBound..<markdown.endIndex) {
            out.append(("demo plan comment", "mermaid", String(markdown[start.upperBound..<end.lowerBound])))
        }
        return out
    }

    /// The location and warehouse names of the examples, which every drawing of them must show.
    static let demoLabels = [
        "Leeds warehouse", "Bristol roastery", "York shop", "ParcelHub Wakefield", "Leeds DC", "Bristol", "Leeds Dispatch Centre", "Bristol Roastery",
        "York Shop",
    ]
    static let twoStoresLabels = [
        "Newark warehouse", "Brooklyn shop", "ShipBob Chicago", "Newark DC", "Brooklyn stockroom", "Newark Warehouse", "Brooklyn Shop", "acme-us",
        "acme-wholesale",
    ]

    static func labels(_ name: String) -> [String] { name.hasPrefix("two-stores") ? twoStoresLabels : demoLabels }

    @Test(.enabled(if: DiagramRenderers.graphvizWanted)) func graphvizDrawsTheExamples() throws {
        for diagram in try Self.cliDiagrams() where diagram.format == "dot" {
            let text = try DiagramRenderers.svgText(try DiagramRenderers.graphvizSVG(diagram.text))
            for label in Self.labels(diagram.name) { #expect(text.contains(label), "\(diagram.name): no '\(label)'") }
        }
    }

    @Test(.enabled(if: DiagramRenderers.mermaidWanted)) func mermaidDrawsTheExamples() throws {
        let diagrams = try Self.cliDiagrams().filter { $0.format == "mermaid" }
        #expect(diagrams.count == 3)
        let results = try DiagramRenderers.mermaid(diagrams.map(\.text))
        for (diagram, result) in zip(diagrams, results) {
            #expect(result.error == nil, "\(diagram.name): mermaid.js says: \(result.error ?? "")")
            for label in Self.labels(diagram.name) { #expect(result.text.contains(label), "\(diagram.name): no '\(label)'") }
        }
    }
}
