import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// Goldens for the topology diagrams, and the names no diagram may break on.
@Suite struct GraphRendererTests {
    /// Two stores whose Leeds locations share an address but link to different warehouses, an
    /// unmanaged and an inactive location, and a 3PL on store master.
    static func greyedScenario() -> Scenario {
        var s = Scenario()
        s.warehouse("leeds", name: "Leeds Dispatch", code: "LDS")
        s.warehouse("leeds-annex", name: "Leeds Annex")
        s.warehouse("shipbob", kind: .thirdParty, name: "ShipBob Chicago", code: "SB-CHI")
        s.warehouse("spare", name: "Spare room")
        s.store(
            "uk",
            locations: [
                location("Leeds DC", street: "1 Dock Street"), location("Pop-up stall"), location("Old depot", active: false),
            ])
        s.store("us", locations: [location("Leeds warehouse", street: "1 Dock St"), location("ShipBob", fulfillment: true)])
        s.link("uk", "Leeds DC", to: "leeds", master: .stockyard)
        s.link("us", "Leeds warehouse", to: "leeds-annex", master: .store)
        s.link("us", "ShipBob", to: "shipbob", master: .store)
        return s
    }

    static func greyed() -> Topology {
        let s = greyedScenario()
        return Topology.desired(s.config, readings: s.readings)
    }

    /// Names that would break or inject into a diagram if written as they are.
    static let hostileNames = [
        "Dock \"5\" [north]", "]) --> W0 %% end", "Back room #1; &amp; #quot; #35;", "<script>alert(1)</script>",
        "Café 🚚📦 Straße ¶ß ﬂ°°", "```mermaid", "a\\nb \\\" \\N \\G", "end", "subgraph x", "pipe | brace { } (round) ; semi",
        "\u{202E}reversed", "A -.-> B ==> C", "two<br>lines\\nthree", "style S0L0 fill:red",
        String(repeating: "Very long name ", count: 14).prefix(200).description,
    ]

    /// Every hostile name as a store location, a warehouse name and key, and a store key.
    static func hostile() -> Topology {
        var s = Scenario()
        for (i, name) in hostileNames.enumerated() {
            s.warehouse("w\(i) \(name)", kind: i % 2 == 0 ? .own : .thirdParty, name: name, code: i % 3 == 0 ? name : nil)
        }
        s.store("store \"<b>x</b>\" 🚚", locations: hostileNames.map { location($0) } + [location("line\nbreak")])
        for (i, name) in hostileNames.enumerated() {
            s.link("store \"<b>x</b>\" 🚚", name, to: "w\(i) \(name)", master: i % 2 == 0 ? .stockyard : .store)
        }
        return Topology.desired(s.config, readings: s.readings)
    }

    func check(_ actual: String, _ name: String) throws { try RendererTests().check(actual, name) }

    @Test func greyedMermaid() throws { try check(GraphRenderer.render(Self.greyed(), as: .mermaid), "graph-greyed.mmd") }
    @Test func greyedDOT() throws { try check(GraphRenderer.render(Self.greyed(), as: .dot), "graph-greyed.dot") }
    @Test func hostileMermaid() throws { try check(GraphRenderer.render(Self.hostile(), as: .mermaid), "graph-hostile.mmd") }
    @Test func hostileDOT() throws { try check(GraphRenderer.render(Self.hostile(), as: .dot), "graph-hostile.dot") }
    @Test func planDiagram() throws {
        try check(MermaidGraphRenderer.render(Topology.changes(of: RendererTests.mixedPlan())), "plan-diagram.mmd")
    }

    @Test func greyedLocationsAndTheHintAreWhereThePlannerSaysSo() throws {
        let s = Self.greyedScenario()
        let topology = Self.greyed()
        let uk = try #require(topology.stores.first { $0.key == "uk" })
        #expect(uk.locations.map(\.name) == ["Leeds DC", "Old depot", "Pop-up stall"])
        #expect(uk.locations.map(\.status) == [.linked, .inactive, .unmanaged])
        // The dotted line joins exactly the pair the `shared-address` warning names.
        let warnings = s.plan().diagnostics.filter { $0.rule == .sharedAddress }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.hasPrefix("us[\"Leeds warehouse\"] is at the same address as uk[\"Leeds DC\"]") == true)
        #expect(topology.sameAddress.count == 1)
        let hint = try #require(topology.sameAddress.first)
        let names = [hint.first, hint.second].map { topology.stores[$0.store].key + "/" + topology.stores[$0.store].locations[$0.location].name }
        #expect(names == ["uk/Leeds DC", "us/Leeds warehouse"])
        // A store with `unmanaged_locations: ignore` draws only what the config links.
        var quiet = s
        quiet.stores[0].unmanagedLocations = .ignore
        #expect(Topology.desired(quiet.config, readings: quiet.readings).stores[0].locations.map(\.name) == ["Leeds DC"])
    }

    @Test func theSameInputsDrawTheSameBytesWhateverOrderTheStoreAnswersIn() {
        var s = Self.greyedScenario()
        let first = GraphRenderer.render(Topology.desired(s.config, readings: s.readings), as: .mermaid)
        s.facts["uk"]!.locations.reverse()
        s.facts["us"]!.locations.reverse()
        #expect(GraphRenderer.render(Topology.desired(s.config, readings: s.readings), as: .mermaid) == first)
    }

    @Test func aStoreThatWasNotReadIsDrawnFromTheConfig() {
        let s = Self.greyedScenario()
        var readings = s.readings
        readings["uk"] = .failed(message: "no such file", location: nil)
        readings["us"] = nil
        let topology = Topology.desired(s.config, readings: readings)
        #expect(topology.stores.map(\.detail) == ["file · could not be read", "file"])
        #expect(topology.stores[0].locations.map(\.name) == ["Leeds DC"])
        #expect(topology.sameAddress.isEmpty)
        #expect(topology.links.count == 3)
    }

    @Test func selectedStoresDrawOnlyTheirWarehouses() {
        let s = Self.greyedScenario()
        let topology = Topology.desired(s.config, readings: s.readings, selected: ["us"])
        #expect(topology.stores.map(\.key) == ["us"])
        #expect(topology.warehouses.map(\.key) == ["leeds-annex", "shipbob"])
    }

    @Test func theStateDrawsWhatTheHubHolds() {
        var s = Self.greyedScenario()
        s.absorb(s.plan())
        let topology = Topology.held(s.state)
        #expect(topology.stores.map(\.key) == ["uk", "us"])
        #expect(topology.warehouses.map(\.key) == ["leeds", "leeds-annex", "shipbob", "spare"])
        #expect(topology.links.count == 3)
        #expect(topology.stores.flatMap(\.locations).allSatisfy { $0.status == .linked })
    }

    /// Every line of the Mermaid drawing is one of the statements the renderer writes, with every
    /// label a single quoted string: a name cannot add a statement, an edge or a style.
    @Test func hostileNamesStayInsideTheirLabels() throws {
        let text = GraphRenderer.render(Self.hostile(), as: .mermaid)
        let statement = try Regex(
            #"^(flowchart LR|  subgraph S\d+\["[^"]*"\]|    S\d+L\d+\("[^"]*"\)|  end|  W\d+(\[\("[^"]*"\)\]|\{\{"[^"]*"\}\}|\["[^"]*"\])|  (W\d+ -->|S\d+L\d+ -\.->)(\|[a-z ,]+\|)? (S\d+L\d+|W\d+)|  classDef [a-z]+ [^"]+|  class [A-Z0-9,]+ [a-z]+|  linkStyle [0-9,]+ [^"]+)$"#
        )
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.wholeMatch(of: statement) != nil, "unexpected Mermaid line: \(line)")
        }
        #expect(!text.contains("`"), "a backtick could close the Markdown fence around the diagram")
        let dot = GraphRenderer.render(Self.hostile(), as: .dot)
        let dotStatement = try Regex(
            #"^(digraph stockyard \{|  (graph|node|edge) \[.*\];|  subgraph cluster_S\d+ \{|    label="([^"\\]|\\.)*";|    style=rounded; color=.*;|    S\d+L\d+ \[label="([^"\\]|\\.)*"(, [a-z]+=[^,\]"]+|, [a-z]+="[^"]*")*\];|  \}|  W\d+ \[label="([^"\\]|\\.)*"(, [a-z]+=[^,\]"]+|, [a-z]+="[^"]*")*\];|  (W\d+|S\d+L\d+) -> (W\d+|S\d+L\d+) \[[^\n]*\];|\})$"#
        )
        for line in dot.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            #expect(line.wholeMatch(of: dotStatement) != nil, "unexpected DOT line: \(line)")
        }
    }

    @Test func namesComeBackAsWrittenThroughTheEscapes() {
        // Mermaid decodes `#NUMBER;`; DOT decodes `\\`, `\"` and `&amp;`.
        for name in Self.hostileNames {
            var decoded = MermaidGraphRenderer.escape(name)
            for match in decoded.matches(of: #/#(\d+);/#).reversed() {
                decoded.replaceSubrange(match.range, with: String(Character(Unicode.Scalar(UInt32(match.output.1)!)!)))
            }
            #expect(decoded.replacingOccurrences(of: "\u{2060}", with: "") == name)
            #expect(MermaidGraphRenderer.escapedLength(name) == MermaidGraphRenderer.escape(name).utf16.count)
            var dot = ""
            var escaped = false
            for ch in DOTGraphRenderer.escape(name) {
                if ch == "\\", !escaped {
                    escaped = true
                    continue
                }
                dot.append(ch)
                escaped = false
            }
            #expect(dot.replacingOccurrences(of: "&amp;", with: "&") == name)
        }
    }
}
