import Foundation
import Testing

/// What hostile or unusual `file` stores did to 0.1, run as a user would.
@Suite struct StoreFileHardeningTests {
    static func storeURL(_ dir: URL, _ store: String) -> URL { dir.appendingPathComponent("stores/\(store).json") }

    static func set(_ dir: URL, store: String, location: String, _ values: [String: Int]) throws {
        let url = storeURL(dir, store)
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var quantities = object["quantities"] as! [String: [String: Int]]
        for (sku, value) in values { quantities[location, default: [:]][sku] = value }
        object["quantities"] = quantities
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    static func replaceInFile(_ url: URL, _ old: String, _ new: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(old), "\(old)")
        try text.replacingOccurrences(of: old, with: new).write(to: url, atomically: true, encoding: .utf8)
    }

    /// Apply on the demo, then York switched to stockyard master with two numbers changed at York.
    static func yorkOnStockyardMaster() throws -> URL {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        let first = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(first.status == 0, "\(first.stderr)")
        try replaceInFile(
            dir.appendingPathComponent("stockyard.yaml"),
            "        warehouse: york\n        master: store         # trial: Stockyard only copies the shop's numbers for now\n        testing_until: 2027-09-30   # until we switch it to stockyard master\n",
            "        warehouse: york\n        master: stockyard\n")
        try set(dir, store: "web", location: "loc-york", ["FH-HOUSE-250": 16, "FH-MUG-ENAMEL": 9])
        return dir
    }

    /// 0.1 wrote every SKU but the stale one, and said nothing was overwritten.
    @Test func aStalePushWritesNothingAndSaysSo() throws {
        let dir = try Self.yorkOnStockyardMaster()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plan = try CLIRunner.run(["plan", "--out", "plan.json"], in: dir)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("FH-HOUSE-250"), "\(plan.stdout)")
        try Self.set(dir, store: "web", location: "loc-york", ["FH-HOUSE-250": 15])  // a sale at York
        let before = try Data(contentsOf: Self.storeURL(dir, "web"))
        let apply = try CLIRunner.run(["apply", "plan.json"], in: dir)
        #expect(apply.status == 1)
        #expect(
            apply.stderr.contains(#"web["York shop"]'s FH-HOUSE-250 moved since the plan read 16 (a sale, or an edit in the store); nothing was written"#),
            "\(apply.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.storeURL(dir, "web"))) as! [String: Any]
        let york = (object["quantities"] as! [String: [String: Int]])["loc-york"]!
        #expect(york["FH-MUG-ENAMEL"] == 9, "all or nothing: the other SKU was not written")
        #expect(york["FH-HOUSE-250"] == 15, "the sale is kept")
        // The numbers are exactly as before; only the answered request was recorded.
        let beforeObject = try JSONSerialization.jsonObject(with: before) as! [String: Any]
        #expect((beforeObject["quantities"] as! [String: [String: Int]]) == (object["quantities"] as! [String: [String: Int]]))
    }

    @Test func quantitiesBeyondTheRangeAreErrorsWithTheirPosition() throws {
        for (number, shown) in [
            ("9223372036854775807", "9223372036854775807"), ("-9223372036854775808", "-9223372036854775808"), ("1e30", "1e30"), ("184.5", "184.5"),
        ] {
            let dir = try CLIRunner.scratchCopy(of: "demo")
            defer { try? FileManager.default.removeItem(at: dir) }
            #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
            try Self.replaceInFile(Self.storeURL(dir, "web"), "\"FH-HOUSE-250\": 184,", "\"FH-HOUSE-250\": \(number),")
            for command in [["plan"], ["apply", "--auto-approve"], ["sync", "--once"]] {
                let run = try CLIRunner.run(command, in: dir)
                #expect(run.status == 1, "\(command) \(run.stderr)")
                #expect(
                    (run.stdout + run.stderr).contains(
                        "stores/web.json:34:23: the quantity of FH-HOUSE-250 must be a whole number from -1,000,000,000 to 1,000,000,000, not \(shown)"),
                    "\(command) \(run.stderr)")
                #expect(!run.stderr.contains("Fatal error"))
            }
            #expect(try CLIRunner.run(["state", "show"], in: dir).status == 0)
            let unlock = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
            #expect(!unlock.stderr.contains("locked"), "no lock left behind: \(unlock.stderr)")
        }
    }

    @Test func deepNestingInAStoreFileIsAnErrorNotACrash() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        let depth = 140_000
        try Self.replaceInFile(
            Self.storeURL(dir, "web"), "{\n  \"locations\"",
            "{\n  \"x\": " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ",\n  \"locations\"")
        for command in [["plan"], ["apply", "--auto-approve"], ["sync", "--once"]] {
            let run = try CLIRunner.run(command, in: dir)
            #expect(run.status == 1, "\(command)")
            #expect((run.stdout + run.stderr).contains("stores/web.json:2:135: nested deeper than 128 levels"), "\(command) \(run.stderr.prefix(500))")
        }
    }

    @Test func aRepeatedSKUIsAnErrorNamingBothPlaces() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.replaceInFile(Self.storeURL(dir, "web"), "\"FH-HOUSE-250\": 184,", "\"FH-HOUSE-250\": 999, \"FH-HOUSE-250\": 184,")
        let run = try CLIRunner.run(["plan"], in: dir)
        #expect(run.status == 1)
        #expect(run.stdout.contains(#"stores/web.json:34:28: the key "FH-HOUSE-250" appears twice in one object (first at 34:7)"#), "\(run.stderr)")
    }

    @Test func aTruncatedStoreFileIsReportedWhereItEnds() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = Self.storeURL(dir, "web")
        let data = try Data(contentsOf: url)
        try data.prefix(1500).write(to: url)
        let run = try CLIRunner.run(["plan"], in: dir)
        #expect(run.status == 1)
        let lines = String(decoding: data.prefix(1500), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(run.stdout.contains("stores/web.json:\(lines.count):"), "\(run.stdout)")
        #expect(!run.stdout.contains("stores/web.json:1:1:"))
    }

    @Test func unreadableStoreFilesSayWhy() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = Self.storeURL(dir, "web")
        try FileManager.default.removeItem(at: url)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        #expect(try CLIRunner.run(["plan"], in: dir).stdout.contains("stores/web.json: this is a folder, not a store file"))
        try FileManager.default.removeItem(at: url)
        #expect(mkfifo(url.path, 0o644) == 0)
        #expect(try CLIRunner.run(["plan"], in: dir).stdout.contains("stores/web.json: this is a FIFO (named pipe), not a store file"))
        try FileManager.default.removeItem(at: url)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "gone.json")
        #expect(try CLIRunner.run(["plan"], in: dir).stdout.contains("stores/web.json: the store file is a symlink to 'gone.json', which does not exist"))
    }

    /// A write follows a symlink to its target, keeps the target's mode, and keeps keys it does not know.
    @Test func writingAStoreFileKeepsItAsTheUserMadeIt() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let link = Self.storeURL(dir, "wholesale")
        let real = dir.appendingPathComponent("shared/wholesale-real.json")
        try FileManager.default.createDirectory(at: real.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Self.replaceInFile(link, "{\n  \"locations\"", "{\n  \"notes\": {\"owner\": \"ops\", \"since\": 2024},\n  \"locations\"")
        try FileManager.default.moveItem(at: link, to: real)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "../shared/wholesale-real.json")
        #expect(chmod(real.path, 0o600) == 0)
        let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "../shared/wholesale-real.json", "still a link")
        let attributes = try FileManager.default.attributesOfItem(atPath: real.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: real)) as! [String: Any]
        #expect((object["notes"] as? [String: Any])?["owner"] as? String == "ops", "unknown keys are kept")
        #expect((object["requests"] as? [Any])?.isEmpty == false, "the push landed in the target")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: real.deletingLastPathComponent().path).filter { $0.contains("stockyard-tmp") }
        #expect(leftovers.isEmpty)
    }

    /// A temporary file left by a writer killed mid-write is removed by the next write.
    @Test func aTemporaryFileLeftByAKilledWriteIsRemoved() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let stale = dir.appendingPathComponent("stores/.wholesale.json.stockyard-tmp-0123456789ab")
        try Data("{\"half".utf8).write(to: stale)
        let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(!FileManager.default.fileExists(atPath: stale.path))
    }
}
