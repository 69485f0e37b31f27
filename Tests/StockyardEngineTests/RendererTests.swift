import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

/// Golden files for every rendering; regenerate with STOCKYARD_REGENERATE_GOLDENS=1.
@Suite struct RendererTests {
    static let goldens = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Goldens")

    /// A plan with every action, risk and a warning.
    static func mixedPlan() -> Plan {
        var s = PlannerTests.twoStores()
        s.warehouse("old-york")
        s.link("uk", "York shop", to: "old-york")
        s.facts["uk"]!.locations.append(location("York shop"))
        s.absorb(s.plan())
        s.warehouses.removeAll { $0.key == "old-york" }
        s.stores[1].connections.removeAll { $0.locationName == "York shop" }
        s.warehouses[0] = WarehouseSpec(
            key: "leeds-dc", name: "Leeds | \"Dock\" <DC>", code: "LDS", kind: .own, formerly: ["leeds"], location: s.warehouses[0].location)
        for i in s.stores.indices {
            for j in s.stores[i].connections.indices where s.stores[i].connections[j].warehouseKey == "leeds" {
                s.stores[i].connections[j].warehouseKey = "leeds-dc"
            }
        }
        s.stores[0].connections[1].master = .stockyard
        s.warehouse("bristol")
        s.store("eu", locations: [location("Bristol", street: "9 Quay")])
        s.link("eu", "Bristol", to: "bristol")
        // Numbers, for the inventory impact of the links and the master switch.
        s.facts["eu"]!.quantities = ["loc-bristol": ["BEANS-1KG": 12, "MUG": 0]]
        s.facts["us"]!.quantities = ["loc-shipbob": ["BEANS-1KG": 3, "FILTER": 40]]
        s.state.stock["shipbob"] = ["BEANS-1KG": 4, "GRINDER": 2]
        return s.plan()
    }

    func check(_ actual: String, _ name: String) throws {
        #expect(try Goldens.matches(actual, name, in: Self.goldens), "\(name) differs from its golden file")
    }

    @Test func text() throws { try check(PlanRenderer.render(Self.mixedPlan(), as: .text), "mixed.txt") }
    @Test func textInColor() throws { try check(PlanRenderer.render(Self.mixedPlan(), as: .text, color: true), "mixed-color.txt") }
    @Test func json() throws { try check(PlanRenderer.render(Self.mixedPlan(), as: .json), "mixed.json") }
    @Test func markdown() throws { try check(PlanRenderer.render(Self.mixedPlan(), as: .markdown), "mixed.md") }

    /// The JSON plan is written change by change; it is the document's own rendering, byte for byte,
    /// with changes, impacts, diagnostics and a neighbourhood, and with none of them.
    @Test func streamedJSONIsTheDocumentsRendering() throws {
        var empty = PlannerTests.twoStores()
        empty.absorb(empty.plan())
        // Numbers at the ends of `Int`, written digit by digit, as `String` spells them.
        var extreme = Self.mixedPlan()
        let index = try #require(extreme.changes.firstIndex { $0.impact != nil })
        extreme.changes[index].impact?.changes += [
            .init(sku: "Z-MIN", from: Int.min, to: Int.max), .init(sku: "Z-ZERO", from: 0, to: -10), .init(sku: "Z-\"Q\"", from: 7, to: 1_000_000_000),
        ]
        // Every kind of record before and after, fields absent and present, text to escape.
        var records = Self.mixedPlan()
        records.changes += [
            Change(
                address: "store.\"web\"", kind: .store, action: .update, reason: .changed, risk: .safe,
                before: .store(StoreRecord(key: "web", platform: .file, target: "stores/web\\x.json")),
                after: .store(StoreRecord(key: "web", platform: .shopify, target: "web.myshopify.com")), fingerprint: nil, dependsOn: ["a", "b\n"]),
            Change(
                address: "warehouse.w", kind: .warehouse, action: .create, reason: .added, risk: .safe,
                before: .warehouse(WarehouseRecord(key: "w", name: "W ü", kind: .own)),
                after: .warehouse(WarehouseRecord(key: "w", name: "W", code: "W-1", kind: .thirdParty, protect: true)), fingerprint: "0123", store: "web",
                location: "Dock \u{2028}", locationID: "L1", warehouse: "w", notes: ["one", "two"]),
            Change(
                address: "connection.web[\"Dock\"]", kind: .connection, action: .delete, reason: .removed, risk: .destructive,
                before: .connection(ConnectionRecord(store: "web", locationID: "L1", locationName: "Dock", warehouse: "w", master: .stockyard, protect: true)),
                after: nil,
                fingerprint: "abcd"),
        ]
        records.neighbourhood = PlanNeighbourhood(
            warehouses: [
                WarehouseRecord(key: "a", name: "A", kind: .own), WarehouseRecord(key: "b", name: "B\t", code: "B", kind: .thirdParty, protect: true),
            ],
            connections: [ConnectionRecord(store: "web", locationID: "L2", locationName: "Quay", warehouse: "a", master: .store, protect: true)])
        for plan in [Self.mixedPlan(), extreme, records, PlannerTests.twoStores().plan(), empty.plan()] {
            let whole = Array(JSONPlanRenderer.document(plan).rendered().utf8)
            #expect(JSONPlanRenderer.renderedBytes(plan) == whole)
            // Handed on in pieces, the pieces make the same bytes; small pieces make several (the
            // changes are handed on a run of them at a time, the other items one by one).
            for chunk in [1, 100, 1 << 16] {
                var pieces: [[UInt8]] = []
                JSONPlanRenderer.write(plan, chunk: chunk) { pieces.append($0) }
                #expect(Array(pieces.joined()) == whole)
                if chunk == 1, !plan.changes.isEmpty { #expect(pieces.count > 1) }
            }
        }
    }

    /// Strings are escaped byte by byte; the result is the scalar-by-scalar escaping it replaced.
    @Test func stringsAreEscapedAsScalarByScalar() {
        func reference(_ s: String) -> String {
            var out = "\""
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let samples = [
            "", "plain", "a \"quoted\" \\ path", "line\nbreak\r\ttab", "\u{01}\u{1F}\u{7F}", "… and 9,990 more — é",
            "sep\u{2028}para\u{2029}end", "\u{2027}\u{202A}\u{2030}", "emoji 📦 and ✓", "\u{2028}", "ends with \u{2029}",
        ]
        for sample in samples {
            #expect(JSONValue.string(sample).rendered(pretty: false) == reference(sample), "\(sample.debugDescription)")
        }
        // Each escaped character at every place of a word and of the bytes after the last whole
        // word (the plain-text check runs eight bytes at a time), and texts too long to be written
        // in one piece.
        let specials = ["\"", "\\", "\n", "\u{0}", "\u{1F}", "\u{2028}", "\u{2029}", "\u{2030}", "é", " ", "~", "\u{7F}"]
        for length in [0, 1, 7, 8, 9, 15, 16, 17, 23, 300] {
            for at in 0...length {
                for special in specials {
                    let sample = String(repeating: "a", count: at) + special + String(repeating: "b", count: length - at)
                    #expect(JSONValue.string(sample).rendered(pretty: false) == reference(sample), "\(sample.debugDescription)")
                }
            }
        }
    }

    @Test func noChanges() throws {
        var s = PlannerTests.twoStores()
        s.absorb(s.plan())
        try check(PlanRenderer.render(s.plan(), as: .text), "no-changes.txt")
        try check(PlanRenderer.render(s.plan(), as: .markdown), "no-changes.md")
    }

    @Test func errorsMeanNoPlan() throws {
        var s = PlannerTests.twoStores()
        s.stores[1].connections[0].locationName = "Leeds D.C."
        try check(PlanRenderer.render(s.plan(), as: .text), "errors.txt")
    }

    @Test func savedPlanRoundTrips() throws {
        let plan = Self.mixedPlan()
        let json = JSONPlanRenderer.render(plan)
        let decoded = try PlanDocument.decode(Data(json.utf8), file: "plan.json")
        #expect(decoded.changes == plan.changes)
        #expect(JSONPlanRenderer.render(decoded) == json)
        // A planned link's notes and prerequisites are held as what they say, a read one's as
        // text: equal, and hashed alike, when they say the same; not when one differs.
        for (read, planned) in zip(decoded.changes, plan.changes) { #expect(read.hashValue == planned.hashValue, "\(planned.address)") }
        let link = try #require(plan.changes.firstIndex { $0.kind == .connection && $0.action == .create && $0.impact != nil })
        #expect(plan.changes[link].notes.count == 2)
        #expect(plan.changes[link].dependsOn.contains("warehouse.bristol"))
        var changed = plan.changes[link]
        changed.notes[1] += "."
        #expect(changed != decoded.changes[link])
        #expect(changed.notes == plan.changes[link].notes.dropLast() + [plan.changes[link].notes[1] + "."])
        changed = plan.changes[link]
        changed.dependsOn.removeLast()
        #expect(changed != decoded.changes[link])
        #expect(plan.changes[link] == decoded.changes[link])
    }

    /// A link's notes are written into the JSON from what they say; a seed's name that needs
    /// escapes (in the address the note gives, then again in JSON), or text with 0xE2 bytes, is
    /// written as the notes' text is: the plan read back from its JSON writes the same bytes.
    @Test func linkNotesWrittenFromWhatTheySayAreTheirTextEscaped() throws {
        var s = Scenario()
        s.warehouse("leeds")
        let seed = "Leeds \"North\" \\ depot … \u{2028}"
        let seedLocation = location(seed, street: "1 Dock St")
        s.store("us", locations: [seedLocation])
        s.store("uk", locations: [location("Leeds DC", street: "1 Dock Street")])
        s.link("us", seed, to: "leeds", master: .store)
        s.link("uk", "Leeds DC", to: "leeds")
        s.lintIgnore = [.storeMasterShared]
        s.facts["us"]!.quantities = [seedLocation.id: ["A": 1]]
        let plan = s.plan()
        let push = try #require(plan.changes.first { $0.address == "connection.uk[\"Leeds DC\"]" })
        #expect(push.notes.first?.contains(#"filled from us["Leeds \"North\" \\ depot"#) == true, "\(push.notes)")
        let json = JSONPlanRenderer.render(plan)
        let decoded = try PlanDocument.decode(Data(json.utf8), file: "plan.json")
        #expect(decoded.changes.map(\.notes) == plan.changes.map(\.notes))
        #expect(JSONPlanRenderer.render(decoded) == json)
    }

    /// A link's prerequisites are written into the JSON from what they are: with a store, a
    /// warehouse, both or neither, and keys that need escapes, as the plan read back writes them.
    @Test func linkPrerequisitesWrittenFromWhatTheyAreAreTheirTextEscaped() throws {
        var s = Scenario()
        let (made, new) = ("made \\ \"w\" \u{2028}", "new \"one\"")
        s.warehouse("kept")
        s.warehouse(made)
        s.store("old", locations: [location("A"), location("B")])
        s.store(new, locations: [location("C"), location("D")])
        s.state.stores["old"] = StoreRecord(key: "old", platform: .file, target: "stores/old.json")
        s.state.warehouses["kept"] = WarehouseRecord(key: "kept", name: "Kept", kind: .own)
        s.link("old", "A", to: "kept", master: .store)
        s.link("old", "B", to: made, master: .store)
        s.link(new, "C", to: "kept", master: .store)
        s.link(new, "D", to: made, master: .store)
        let plan = s.plan()
        let links = plan.changes.filter { $0.kind == .connection }.map { ($0.location ?? "", $0.dependsOn) }
        #expect(links.count == 4)
        for (location, dependsOn) in links {
            let expected: [String] =
                switch location {
                case "A": []
                case "B": ["warehouse.\(made)"]
                case "C": ["store.\(new)"]
                default: ["store.\(new)", "warehouse.\(made)"]
                }
            #expect(dependsOn == expected, "\(location)")
        }
        let json = JSONPlanRenderer.render(plan)
        let decoded = try PlanDocument.decode(Data(json.utf8), file: "plan.json")
        #expect(decoded.changes.map(\.dependsOn) == plan.changes.map(\.dependsOn))
        #expect(JSONPlanRenderer.render(decoded) == json)
    }

    @Test func markdownStaysUnderTheCommentLimitAndSaysWhatWasCut() {
        var s = Scenario()
        var locations: [StoreLocation] = []
        for i in 0..<3000 {
            s.warehouse("w\(i)")
            locations.append(location("Location number \(i) with a rather long name"))
        }
        s.store("big", locations: locations)
        for i in 0..<3000 { s.link("big", "Location number \(i) with a rather long name", to: "w\(i)") }
        let markdown = PlanRenderer.render(s.plan(), as: .markdown)
        #expect(markdown.unicodeScalars.count <= 65_536 - 1_024)
        #expect(markdown.contains("left out to stay within the comment size limit"))
        #expect(markdown.contains("Plan: 3001 to create") || markdown.contains("Plan: 6001 to create"))
    }
}
