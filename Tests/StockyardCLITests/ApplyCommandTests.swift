import Foundation
import Testing

@Suite struct ApplyCommandTests {
    func scratch() throws -> URL { try CLIRunner.scratchCopy(of: "demo") }

    func edit(_ dir: URL, _ transform: (String) -> String) throws {
        let url = dir.appendingPathComponent("stockyard.yaml")
        try transform(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func planApplyPlanShowsNoChanges() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("Apply complete: 12 applied, 0 already applied, 0 failed, 0 skipped."))
        let plan = try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir)
        #expect(plan.status == 0)
        #expect(plan.stdout.hasSuffix("No changes. The hub and its stores match the config.\n"))
        let history = try CLIRunner.run(["history", "--format", "json", "--limit", "100"], in: dir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 12)
    }

    @Test func withoutATerminalApplyNeedsAutoApprove() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try CLIRunner.run(["apply"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr.contains("pass --auto-approve"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".stockyard/state.sqlite").path))
    }

    @Test func savedPlanIsAppliedExactly() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["plan", "--out", "plan.json"], in: dir).status == 0)
        let apply = try CLIRunner.run(["apply", "plan.json"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir).status == 0)
    }

    @Test func staleSavedPlanIsRefusedNamingTheObjectButUnrelatedChangesAreFine() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        // Plan A renames the Leeds warehouse.
        try edit(dir) { $0.replacingOccurrences(of: "name: Leeds Dispatch Centre", with: "name: Leeds DC") }
        #expect(try CLIRunner.run(["plan", "--out", "a.json"], in: dir).status == 0)
        // Meanwhile another change to York lands (unrelated to plan A).
        try edit(dir) { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        // The config changed since plan A: refused, nothing changed.
        let changedConfig = try CLIRunner.run(["apply", "a.json"], in: dir)
        #expect(changedConfig.status == 1)
        #expect(changedConfig.stderr.contains("changed since the plan was made"))
        // With the config as plan A saw it, A still applies: York is not an object A touches.
        try edit(dir) { $0.replacingOccurrences(of: "name: York Shop & Café", with: "name: York Shop") }
        try edit(dir) { $0.replacingOccurrences(of: "name: Leeds Dispatch Centre", with: "name: Leeds DC") }
        let unrelated = try CLIRunner.run(["apply", "a.json"], in: dir)
        #expect(unrelated.status == 0, "\(unrelated.stderr)")

        // Now a plan B on Leeds, and Leeds changes underneath it: refused naming warehouse.leeds.
        try edit(dir) { $0.replacingOccurrences(of: "name: Leeds DC", with: "name: Leeds Hub") }
        #expect(try CLIRunner.run(["plan", "--out", "b.json"], in: dir).status == 0)
        try edit(dir) { $0.replacingOccurrences(of: "name: Leeds Hub", with: "name: Leeds Other") }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        try edit(dir) { $0.replacingOccurrences(of: "name: Leeds Other", with: "name: Leeds Hub") }
        let stale = try CLIRunner.run(["apply", "b.json"], in: dir)
        #expect(stale.status == 1)
        #expect(stale.stderr.contains("[stale] warehouse.leeds: changed since the plan (name: \"Leeds DC\" -> \"Leeds Other\")"))
        #expect(stale.stderr.contains("nothing was changed"))
    }

    @Test func protectedWarehouseSurvivesRemovingItsBlock() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        try edit(dir) { $0.replacingOccurrences(of: "    code: YRK\n", with: "    code: YRK\n    protect: true\n") }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        try edit(dir) { text in
            text.replacingOccurrences(of: "  york:\n    name: York Shop\n    code: YRK\n    protect: true\n    kind: own\n", with: "")
                .replacingOccurrences(of: "        warehouse: york\n        master: store ", with: "        warehouse: leeds\n        master: stockyard ")
        }
        let result = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("[protected] warehouse.york is protected"))
        let plan = try CLIRunner.run(["plan", "--format", "json"], in: dir)
        #expect(plan.stdout.contains("\"address\": \"warehouse.york\""))
    }

    @Test func killedApplyLeavesAConsistentStateAndThePlanShowsWhatIsLeft() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let process = try CLIRunner.start(["apply", "--auto-approve"], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "300"]).process
        // Kill it once a couple of changes have landed, however slow the machine is.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            let history = try CLIRunner.run(["history", "--format", "json", "--limit", "100"], in: dir)
            let count = (try? JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any])?.count ?? 0
            if count >= 2 { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let show = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)
        #expect(show.status == 0, "\(show.stderr)")
        let plan = try CLIRunner.run(["plan", "--format", "json"], in: dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let summary = try #require(object["summary"] as? [String: Any])
        let left = try #require(summary["total"] as? Int)
        #expect(left > 0 && left < 12, "expected a part-applied state, \(left) changes left")
        // The dead holder's lock is still there: a new apply names it, unlock releases it.
        let blocked = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(blocked.status == 1)
        #expect(blocked.stderr.contains("the state is locked by `stockyard apply`"))
        let unlock = try CLIRunner.run(["state", "unlock"], in: dir)
        #expect(unlock.status == 0, "\(unlock.stderr)")
        let resumed = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("Apply complete: \(left) applied"))
        #expect(try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir).status == 0)
    }

    @Test func concurrentAppliesNeverBothWrite() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        func start() throws -> (Process, URL) {
            let started = try CLIRunner.start(["apply", "--auto-approve"], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "100"])
            return (started.process, started.err)
        }
        let (a, logA) = try start()
        let (b, logB) = try start()
        a.waitUntilExit()
        b.waitUntilExit()
        // One applies; the other either fails at once naming the holder, or (if it got the lock only
        // after the first finished) finds every change already applied. Never do both write a change.
        let logs = [try String(contentsOf: logA, encoding: .utf8), try String(contentsOf: logB, encoding: .utf8)]
        for (process, log) in zip([a, b], logs) where process.terminationStatus != 0 {
            #expect(log.contains("the state is locked by `stockyard apply`"), "\(log)")
        }
        #expect([a, b].contains { $0.terminationStatus == 0 })
        #expect(logs.filter { $0.contains("Apply complete: 12 applied") }.count == 1, "\(logs)")
        let history = try CLIRunner.run(["history", "--format", "json", "--limit", "1000"], in: dir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]])
        let addresses = entries.compactMap { $0["address"] as? String }
        #expect(addresses.count == 12)
        #expect(Set(addresses).count == 12)
    }

    @Test func lockTimeoutWaitsForTheOtherApply() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try CLIRunner.start(["apply", "--auto-approve"], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "50"]).process
        Thread.sleep(forTimeInterval: 0.4)
        let second = try CLIRunner.run(["apply", "--auto-approve", "--lock-timeout", "60s"], in: dir)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.status == 0, "\(second.stderr)")
    }

    @Test func initThenImportRoundTrips() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let initial = try CLIRunner.run(["init", "--store", "web", "--platform", "file", "--path", "stores/web.json", "--output", "first.yaml"], in: dir)
        #expect(initial.status == 0, "\(initial.stderr)")
        let validate = try CLIRunner.run(["validate", "--config", "first.yaml"], in: dir)
        #expect(validate.stderr == "first.yaml is valid.\n")
        #expect(try CLIRunner.run(["apply", "--config", "first.yaml", "--auto-approve"], in: dir).status == 0)
        let imported = try CLIRunner.run(["import", "--config", "first.yaml", "--output", "imported.yaml"], in: dir)
        #expect(imported.status == 0, "\(imported.stderr)")
        let plan = try CLIRunner.run(["plan", "--config", "imported.yaml", "--detailed-exitcode"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    }

    @Test func importOfTheAppliedDemoPlansNoChanges() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        #expect(try CLIRunner.run(["import", "--output", "imported.yaml"], in: dir).status == 0)
        let plan = try CLIRunner.run(["plan", "--config", "imported.yaml", "--detailed-exitcode"], in: dir)
        #expect(plan.status == 0, "\(plan.stdout)")
    }
}
