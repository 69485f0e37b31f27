import Foundation
import StockyardEngine
import StockyardState
import Testing

/// The state file as the commands treat it: private when created, never created or written by a
/// command that only reads, nothing left behind by a refused apply, and a journal replayed before
/// the next plan.
@Suite struct StateFileTests {
    static func mode(_ url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    static func setMode(_ mode: Int, _ url: URL) throws {
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    static func edit(_ dir: URL, _ transform: (String) -> String) throws {
        let url = dir.appendingPathComponent("stockyard.yaml")
        try transform(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func aNewStateAndItsFolderArePrivateAlsoWhenMigratedInto() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(try Self.mode(dir.appendingPathComponent(".stockyard")) == 0o700)
        #expect(try Self.mode(dir.appendingPathComponent(".stockyard/state.sqlite")) == 0o600)

        let migrate = try CLIRunner.run(["state", "migrate", "--to", "copy/state.sqlite"], in: dir)
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(try Self.mode(dir.appendingPathComponent("copy")) == 0o700)
        #expect(try Self.mode(dir.appendingPathComponent("copy/state.sqlite")) == 0o600)
    }

    @Test func readingCommandsReadAStateTheyCannotWrite() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        let folder = dir.appendingPathComponent(".stockyard")
        let file = folder.appendingPathComponent("state.sqlite")
        defer {
            try? Self.setMode(0o700, folder)
            try? FileManager.default.removeItem(at: dir)
        }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        // Not writable, first the file alone, then its folder too.
        for folderMode in [0o700, 0o500] {
            try Self.setMode(0o400, file)
            try Self.setMode(folderMode, folder)
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            let plan = try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir, obeyingFilePermissions: true)
            #expect(plan.status == 0, "folder \(String(folderMode, radix: 8)): \(plan.stderr)")
            #expect(plan.stdout.hasSuffix("No changes. The hub and its stores match the config.\n"))
            let show = try CLIRunner.run(["state", "show"], in: dir, obeyingFilePermissions: true)
            #expect(show.status == 0, "folder \(String(folderMode, radix: 8)): \(show.stderr)")
            #expect(show.stdout.contains("Connections (6):"))
            let history = try CLIRunner.run(["history", "--format", "json", "--limit", "100"], in: dir, obeyingFilePermissions: true)
            #expect(history.status == 0, "folder \(String(folderMode, radix: 8)): \(history.stderr)")
            let entries = try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [Any]
            #expect(entries?.count == 12)
            if folderMode == 0o500 {
                #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == before)
            }
            // A command that writes says why it cannot.
            let sync = try CLIRunner.run(["sync", "--once"], in: dir, obeyingFilePermissions: true)
            #expect(sync.status == 1)
            #expect(sync.stderr.contains("state.sqlite"), "\(sync.stderr)")
        }
    }

    @Test func readingCommandsNeverCreateAState() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        for arguments in [["plan"], ["state", "show"], ["history"], ["import"]] {
            let result = try CLIRunner.run(arguments, in: dir)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".stockyard").path))
    }

    @Test func aRefusedFirstApplyLeavesNothingBehind() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        try Self.edit(dir) { $0.replacingOccurrences(of: "name: Leeds Dispatch Centre", with: "name: Leeds DC") }
        #expect(try CLIRunner.run(["plan", "--out", "plan.json"], in: dir).status == 0)
        // The state the plan was made against is gone (or --state points elsewhere).
        try FileManager.default.removeItem(at: dir.appendingPathComponent(".stockyard"))
        let apply = try CLIRunner.run(["apply", "plan.json"], in: dir)
        #expect(apply.status == 1)
        #expect(apply.stderr.contains("the plan was made against a state (lineage "), "\(apply.stderr)")
        #expect(apply.stderr.contains("nothing was changed"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".stockyard").path))
    }

    @Test func aMigrationWithNothingToCopyCreatesNoTarget() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let migrate = try CLIRunner.run(["state", "migrate", "--to", "copy/state.sqlite"], in: dir)
        #expect(migrate.status == 1)
        #expect(migrate.stderr.contains("nothing to migrate"))
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("copy").path))
    }

    /// What a kill between journaling a push and sending it leaves, then the next apply: the push
    /// is replayed before the plan reads the store, so the plan does not take it for a sale.
    @Test func theApplyAfterACrashReplaysTheJournalBeforePlanning() async throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try CLIRunner.run(["apply", "--auto-approve"], in: dir).status == 0)
        // York switches to stockyard master; meanwhile its house blend was recounted in the store.
        try Self.edit(dir) {
            $0.replacingOccurrences(
                of:
                    "        master: store         # trial: Stockyard only copies the shop's numbers for now\n        testing_until: 2027-09-30   # until we switch it to stockyard master\n",
                with: "")
        }
        try SyncCommandTests.sell(dir, store: "web", location: "loc-york", sku: "FH-HOUSE-250", units: 2)
        let plan = try CLIRunner.run(["plan", "--format", "json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let changes = try #require(object["changes"] as? [[String: Any]])
        let york = try #require(changes.first { ($0["address"] as? String) == "connection.web[\"York shop\"]" })
        let impact = try #require(york["impact"] as? [String: Any])
        let moves = try #require(impact["changes"] as? [[String: Any]])
        let writes = moves.map { QuantityWrite(locationID: "loc-york", sku: $0["sku"] as! String, expected: $0["from"] as? Int, quantity: $0["to"] as! Int) }
        #expect(!writes.isEmpty)

        // The killed apply had journaled its push and died before sending it.
        let state = try SQLiteStateStore(path: dir.appendingPathComponent(".stockyard/state.sqlite").path, create: false)
        try state.commit(
            [.addPendingPush(PendingPush(key: "apply-killed-0000000000000000", store: "web", locationID: "loc-york", writes: writes))], history: nil)

        let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
        #expect(apply.status == 0, "\(apply.stderr)")
        #expect(apply.stderr.contains("resolved an interrupted push to web location loc-york"))
        #expect(!apply.stderr.contains("stale"))
        for write in writes {
            #expect(try SyncCommandTests.quantity(dir, store: "web", location: "loc-york", sku: write.sku) == write.quantity, "\(write.sku)")
        }
        #expect(try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir).status == 0)
    }
}
