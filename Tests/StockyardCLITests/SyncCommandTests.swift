import Foundation
import Testing

/// `stockyard sync` over `file` stores, run as a user would, including a kill part-way.
@Suite struct SyncCommandTests {
    /// The demo after its trial: every location of the shared buildings on stockyard master.
    static func liveDemo() throws -> URL {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        let url = dir.appendingPathComponent("stockyard.yaml")
        // Seed on store master first (the first-time setup), then switch web to stockyard master.
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        let text = try String(contentsOf: url, encoding: .utf8)
            .replacingOccurrences(
                of:
                    "        master: store         # first-time setup: web's numbers seed the new warehouse...\n        testing_until: 2027-03-31   # ...for a trial, then switch to stockyard master\n",
                with: ""
            )
            .replacingOccurrences(
                of: "        warehouse: bristol\n        master: store\n        testing_until: 2027-03-31\n", with: "        warehouse: bristol\n")
        try text.write(to: url, atomically: true, encoding: .utf8)
        let switched = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(switched.status == 0, "\(switched.stdout)\(switched.stderr)")
        return dir
    }

    static func quantity(_ dir: URL, store: String, location: String, sku: String) throws -> Int {
        let data = try Data(contentsOf: dir.appendingPathComponent("stores/\(store).json"))
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        let quantities = object["quantities"] as! [String: [String: Int]]
        return quantities[location]?[sku] ?? 0
    }

    static func sell(_ dir: URL, store: String, location: String, sku: String, units: Int) throws {
        let url = dir.appendingPathComponent("stores/\(store).json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var quantities = object["quantities"] as! [String: [String: Int]]
        quantities[location, default: [:]][sku, default: 0] -= units
        object["quantities"] = quantities
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url, options: .atomic)
    }

    @Test func salesInBothStoresComeOffTheSharedWarehouse() throws {
        let dir = try Self.liveDemo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let start = try Self.quantity(dir, store: "web", location: "loc-leeds", sku: "FH-HOUSE-250")
        #expect(try Self.quantity(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-HOUSE-250") == start)
        try Self.sell(dir, store: "web", location: "loc-leeds", sku: "FH-HOUSE-250", units: 3)
        try Self.sell(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-HOUSE-250", units: 5)
        let sync = try CLIRunner.run(["sync", "--once"], in: dir)
        #expect(sync.status == 0, "\(sync.stderr)")
        #expect(sync.stderr.contains("8 units sold"))
        #expect(try Self.quantity(dir, store: "web", location: "loc-leeds", sku: "FH-HOUSE-250") == start - 8)
        #expect(try Self.quantity(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-HOUSE-250") == start - 8)
        let again = try CLIRunner.run(["sync", "--once"], in: dir)
        #expect(again.stderr.contains("0 units sold") && again.stderr.contains("0 numbers pushed"))
    }

    @Test func aKilledSyncLosesNoSaleOnRerun() throws {
        let dir = try Self.liveDemo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let skus = ["FH-HOUSE-250", "FH-ESPRESSO-250", "FH-GROUND-250"]
        var start: [String: Int] = [:]
        for sku in skus { start[sku] = try Self.quantity(dir, store: "web", location: "loc-leeds", sku: sku) }
        for sku in skus {
            try Self.sell(dir, store: "web", location: "loc-leeds", sku: sku, units: 2)
            try Self.sell(dir, store: "wholesale", location: "ws-leeds-dc", sku: sku, units: 1)
        }
        let process = try CLIRunner.start(["sync", "--once"], in: dir, environment: ["STOCKYARD_TEST_SYNC_DELAY_MS": "300"]).process
        Thread.sleep(forTimeInterval: 0.45)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        // Another sale while the hub is down.
        try Self.sell(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-HOUSE-250", units: 4)
        #expect(try CLIRunner.run(["state", "unlock"], in: dir).status == 0)
        for _ in 0..<2 {
            let rerun = try CLIRunner.run(["sync", "--once"], in: dir)
            #expect(rerun.status == 0, "\(rerun.stderr)")
        }
        for sku in skus {
            let expected = start[sku]! - 3 - (sku == "FH-HOUSE-250" ? 4 : 0)
            #expect(try Self.quantity(dir, store: "web", location: "loc-leeds", sku: sku) == expected, "\(sku) at web")
            #expect(try Self.quantity(dir, store: "wholesale", location: "ws-leeds-dc", sku: sku) == expected, "\(sku) at wholesale")
        }
    }

    @Test func applyRefusesAPushWhenASaleLandedSinceThePlan() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["plan", "--out", "plan.json"], in: dir).status == 0)
        // A sale at wholesale's Leeds DC after the plan read it.
        try Self.sell(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-COLOMBIA-250", units: 1)
        let apply = try CLIRunner.run(["apply", "plan.json"], in: dir)
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("failed connection.wholesale[\"Leeds DC\"]: stale:"))
        #expect(apply.stderr.contains("Apply incomplete: 11 applied"))
        // Nothing was overwritten at the location.
        #expect(try Self.quantity(dir, store: "wholesale", location: "ws-leeds-dc", sku: "FH-COLOMBIA-250") == 54)
        let plan = try CLIRunner.run(["plan", "--format", "json"], in: dir)
        #expect(plan.stdout.contains("\"total\": 1"))
    }

    @Test func theImpactThePlanShowsIsWhatApplyDoes() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLIRunner.run(["plan", "--format", "json", "--out", "plan.json"], in: dir)
        let object = try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as! [String: Any]
        let changes = object["changes"] as! [[String: Any]]
        let leeds = changes.first { ($0["address"] as? String) == "connection.wholesale[\"Leeds DC\"]" }!
        let impact = leeds["impact"] as! [String: Any]
        #expect(impact["overwritten"] as? String == "location")
        #expect(try CLIRunner.run(["apply", "plan.json"], in: dir).status == 0)
        for change in impact["changes"] as! [[String: Any]] {
            let sku = change["sku"] as! String
            let to = change["to"] as! Int
            #expect(try Self.quantity(dir, store: "wholesale", location: "ws-leeds-dc", sku: sku) == to, "\(sku)")
        }
    }
}
