import Foundation
import StockyardEngine
import Testing

extension Data {
    func replacingOccurrences(of text: String, with other: String) -> Data {
        Data(String(decoding: self, as: UTF8.self).replacingOccurrences(of: text, with: other).utf8)
    }
}

/// A saved plan is untrusted input: between `plan --out` and `apply` it sits in a pipeline's
/// artifacts. Damaged, oversized or edited, it is refused with a clear error and nothing changes:
/// not the state, not the stores.
@Suite struct PlanFileTrustTests {
    /// The demo, applied, with the York warehouse renamed in the config: a plan with one update.
    struct Applied {
        var dir: URL
        var plan: URL { dir.appendingPathComponent("plan.json") }

        init() throws {
            dir = try CLIRunner.scratchCopy(of: "demo")
            let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
            #expect(apply.status == 0, "\(apply.stderr)")
        }

        func edit(_ transform: (String) -> String) throws {
            let url = dir.appendingPathComponent("stockyard.yaml")
            try transform(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
        }

        func savePlan(_ name: String = "plan.json") throws -> StockyardEngine.Plan {
            let result = try CLIRunner.run(["plan", "--out", name], in: dir)
            #expect(result.status == 0, "\(result.stderr)")
            return try PlanDocument.decode(Data(contentsOf: dir.appendingPathComponent(name)), file: name)
        }

        /// What must not move when a plan is refused: the history, the state and both store files.
        func snapshot() throws -> [Data] {
            let history = try CLIRunner.run(["history", "--format", "json", "--limit", "1000"], in: dir)
            let show = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)
            return [Data(history.stdout.utf8), Data(show.stdout.utf8)]
                + (try ["stores/web.json", "stores/wholesale.json"].map { try Data(contentsOf: dir.appendingPathComponent($0)) })
        }

        func remove() { try? FileManager.default.removeItem(at: dir) }
    }

    /// Applies `plan.json` and expects a refusal whose message holds every one of `expected`, with nothing changed.
    func expectRefused(_ scene: Applied, _ expected: [String]) throws {
        let before = try scene.snapshot()
        let result = try CLIRunner.run(["apply", "plan.json"], in: scene.dir)
        #expect(result.status == 1)
        for text in expected { #expect(result.stderr.contains(text), "\(text) not in: \(result.stderr)") }
        #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"))
        #expect(try scene.snapshot() == before, "a refused plan changed something")
    }

    @Test func aTruncatedOrDamagedPlanIsRefused() throws {
        let scene = try Applied()
        defer { scene.remove() }
        try scene.edit { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
        _ = try scene.savePlan()
        let bytes = try Data(contentsOf: scene.plan)
        // Each says where, as the file's line and column.
        let cut = bytes.prefix(bytes.count / 2)
        let lines = String(decoding: cut, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        // The cut may fall inside a string: the error is on the last line, where that string begins.
        let end = "plan.json:\(lines.count):"
        for (damaged, expected) in [
            (cut, end), (Data(), "plan.json:1:1: "), (Data("not json".utf8), "plan.json:1:1: "),
            (Data(String(repeating: "[", count: 200_000).utf8), "plan.json:1:129: "),
            (bytes.replacingOccurrences(of: "\"tool_version\"", with: "\"format_version\""), "plan.json:"),
        ] {
            try damaged.write(to: scene.plan)
            try expectRefused(scene, [expected])
        }
        // Well-formed JSON in the wrong shape says which field.
        try Data(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"action\": \"update\"", with: "\"action\": \"destroy\"").utf8).write(
            to: scene.plan)
        try expectRefused(scene, ["plan.json is not a Stockyard plan file: changes[0].action has a value it may not have"])
    }

    @Test func anOversizedOrSpecialPlanFileIsRefusedWithoutReadingIt() throws {
        let scene = try Applied()
        defer { scene.remove() }
        // Sparse: the size says 600 MiB, and the check must not read it to find out.
        #expect(FileManager.default.createFile(atPath: scene.plan.path, contents: nil))
        let handle = try FileHandle(forWritingTo: scene.plan)
        try handle.truncate(atOffset: 600 << 20)
        try handle.close()
        try expectRefused(scene, ["plan.json is 629145600 bytes, more than a plan file may be"])
        try FileManager.default.removeItem(at: scene.plan)
        try FileManager.default.createDirectory(at: scene.plan, withIntermediateDirectories: false)
        try expectRefused(scene, ["plan.json is not a regular file"])
    }

    @Test func anEditThatDidNotForgeThePlanIDIsRefused() throws {
        let scene = try Applied()
        defer { scene.remove() }
        try scene.edit { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
        _ = try scene.savePlan()
        let text = try String(contentsOf: scene.plan, encoding: .utf8)
        try text.replacingOccurrences(of: "\"action\": \"update\"", with: "\"action\": \"delete\"").write(to: scene.plan, atomically: true, encoding: .utf8)
        try expectRefused(scene, ["plan.json was changed after `stockyard plan` wrote it"])
    }

    /// The plan_id recomputed, the sha256 kept: only planning again can tell.
    @Test func aForgedChangeTheConfigDoesNotAskForIsRefused() throws {
        let scene = try Applied()
        defer { scene.remove() }
        // A real change to Leeds, planned under another config, to smuggle in.
        try scene.edit { $0.replacingOccurrences(of: "name: Leeds Dispatch Centre", with: "name: Leeds Elsewhere") }
        let other = try scene.savePlan("other.json")
        try scene.edit { $0.replacingOccurrences(of: "name: Leeds Elsewhere", with: "name: Leeds Dispatch Centre") }
        try scene.edit { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
        var plan = try scene.savePlan()
        plan.changes += other.changes.filter { $0.address == "warehouse.leeds" }
        try JSONPlanRenderer.render(plan).write(to: scene.plan, atomically: true, encoding: .utf8)
        try expectRefused(
            scene,
            [
                "[invalid-plan] warehouse.leeds: the plan holds this update, which the config, the state and the stores do not call for now",
                "nothing was changed",
            ])
    }

    @Test func aForgedObjectInAPlannedChangeIsRefused() throws {
        let scene = try Applied()
        defer { scene.remove() }
        try scene.edit { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
        var plan = try scene.savePlan()
        let index = try #require(plan.changes.firstIndex { $0.address == "warehouse.york" })
        guard case .warehouse(var record)? = plan.changes[index].after else {
            Issue.record("not a warehouse")
            return
        }
        record.protect = false
        record.name = "Somewhere else"
        plan.changes[index].after = .warehouse(record)
        try JSONPlanRenderer.render(plan).write(to: scene.plan, atomically: true, encoding: .utf8)
        try expectRefused(
            scene, ["[invalid-plan] warehouse.york: the plan's update differs from what the config, the state and the stores call for now (after)"])
    }

    @Test func aPlanOfSomeStoresStillApplies() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["plan", "--store", "web", "--out", "plan.json"], in: dir).status == 0)
        let apply = try CLIRunner.run(["apply", "plan.json"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
    }
}
