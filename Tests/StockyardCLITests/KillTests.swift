import Foundation
import StockyardTestSupport
import Testing

/// Kills `apply` and `sync` on the demo at random moments, with SIGKILL and with SIGINT/SIGTERM, and
/// checks that the next command opens the state, finishes the work, and ends with exactly the stock
/// numbers an uninterrupted run gives: no sale lost or counted twice, every store file valid JSON.
///
/// Seeded: a failure names its seed and round, and `STOCKYARD_KILL_SEED` replays it.
@Suite struct KillTests {
    /// One kind of work to interrupt: a scratch copy to start from, the command, and the numbers an
    /// uninterrupted run leaves in the store files.
    struct Work: Sendable, CustomStringConvertible {
        var name: String
        var template: URL
        var command: [String]
        /// The command that finishes what a killed one left.
        var finish: [String]
        var expected: [String: [String: [String: Int]]]
        var description: String { name }
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["STOCKYARD_KILL_SEED"].flatMap(UInt64.init) ?? 0x5EED_16

    /// Quantities of every store file, by store, location and SKU; fails on a file that is not JSON.
    static func stock(_ dir: URL) throws -> [String: [String: [String: Int]]] {
        var out: [String: [String: [String: Int]]] = [:]
        for store in ["web", "wholesale"] {
            let data = try Data(contentsOf: dir.appendingPathComponent("stores/\(store).json"))
            let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "stores/\(store).json is not a JSON object")
            out[store] = try #require(object["quantities"] as? [String: [String: Int]])
        }
        return out
    }

    static func copy(_ template: URL) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-kill-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: template, to: dir)
        return dir
    }

    /// The three kinds of work, each with its expected end numbers from one uninterrupted run.
    static func works() throws -> [Work] {
        let first = try CLIRunner.scratchCopy(of: "demo")
        let saved = try CLIRunner.scratchCopy(of: "demo")
        #expect(try CLIRunner.run(["plan", "--out", "plan.json"], in: saved).status == 0)
        // Sync: the live demo, with sales in both stores since the last sync.
        let live = try SyncCommandTests.liveDemo()
        for sku in ["FH-HOUSE-250", "FH-ESPRESSO-250", "FH-GROUND-250", "FH-DECAF-250"] {
            try SyncCommandTests.sell(live, store: "web", location: "loc-leeds", sku: sku, units: 2)
            try SyncCommandTests.sell(live, store: "wholesale", location: "ws-leeds-dc", sku: sku, units: 1)
            try SyncCommandTests.sell(live, store: "web", location: "loc-bristol", sku: sku, units: 3)
        }
        var works = [
            Work(name: "first apply", template: first, command: ["apply", "--auto-approve"], finish: ["apply", "--auto-approve"], expected: [:]),
            Work(name: "apply of a saved plan", template: saved, command: ["apply", "plan.json"], finish: ["apply", "plan.json"], expected: [:]),
            Work(name: "sync", template: live, command: ["sync", "--once"], finish: ["sync", "--once"], expected: [:]),
        ]
        for index in works.indices {
            let reference = try copy(works[index].template)
            defer { try? FileManager.default.removeItem(at: reference) }
            let run = try CLIRunner.run(works[index].command, in: reference)
            #expect(run.status == 0, "\(works[index].name): \(run.stderr)")
            works[index].expected = try stock(reference)
        }
        return works
    }

    static func remove(_ works: [Work]) {
        for work in works { try? FileManager.default.removeItem(at: work.template) }
    }

    /// Waits until the process handles SIGINT and SIGTERM itself (Linux: its caught-signal mask
    /// shows them), so that a signal tests Stockyard and not the moment before it started.
    static func waitUntilHandlingSignals(_ process: Process) {
        let status = "/proc/\(process.processIdentifier)/status"
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline && process.isRunning {
            guard let text = try? String(contentsOfFile: status, encoding: .utf8) else { return }
            let wanted: UInt64 = 1 << UInt64(SIGINT - 1) | 1 << UInt64(SIGTERM - 1)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
                let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16),
                mask & wanted == wanted
            {
                return
            }
            Thread.sleep(forTimeInterval: 0.002)
        }
    }

    /// After an interrupted run: the next command finishes the work, and the numbers are exactly
    /// those of an uninterrupted run.
    static func expectFinished(_ work: Work, in dir: URL, _ context: String) throws {
        _ = try stock(dir)  // every store file is valid JSON right after the kill
        let finish = try CLIRunner.run(work.finish, in: dir)
        #expect(finish.status == 0, "\(context): \(work.finish.joined(separator: " ")) failed: \(finish.stderr)")
        if work.command[0] == "apply" {
            let plan = try CLIRunner.run(["plan", "--detailed-exitcode"], in: dir)
            #expect(plan.status == 0, "\(context): changes left after finishing: \(plan.stdout)\(plan.stderr)")
        }
        #expect(try stock(dir) == work.expected, "\(context): the store numbers differ from an uninterrupted run")
    }

    @Test func killNineAtRandomMomentsLosesNothing() throws {
        let works = try Self.works()
        defer { Self.remove(works) }
        var random = SeededGenerator(seed: Self.seed)
        var killed = 0
        var round = 0
        // Until 100 kills landed while the command ran (one that finished first counts as a round,
        // not a kill), slowed enough that 200 ms span most of a run even on a fast, idle machine.
        while killed < 100 && round < 400 {
            defer { round += 1 }
            let work = works[round % works.count]
            let dir = try Self.copy(work.template)
            defer { try? FileManager.default.removeItem(at: dir) }
            let delay = Int.random(in: 0...200, using: &random)
            let context = "seed \(Self.seed) round \(round) (\(work.name), SIGKILL after \(delay) ms)"
            let started = try CLIRunner.start(
                work.command, in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "20", "STOCKYARD_TEST_SYNC_DELAY_MS": "20"])
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
            if started.process.isRunning {
                kill(started.process.processIdentifier, SIGKILL)
                killed += 1
            }
            _ = started.wait()
            // A SIGKILLed holder cannot release its lock: `state unlock` sees it is gone.
            let unlock = try CLIRunner.run(["state", "unlock"], in: dir)
            #expect(unlock.status == 0, "\(context): \(unlock.stderr)")
            let show = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)
            #expect(show.status == 0, "\(context): the state does not open: \(show.stderr)")
            try Self.expectFinished(work, in: dir, context)
        }
        #expect(killed >= 100, "only \(killed) kills in \(round) rounds landed while the command ran")
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func aSignalStopsBetweenChangesReleasesTheLockAndSaysSo(signal: Int32) throws {
        let works = try Self.works()
        defer { Self.remove(works) }
        var random = SeededGenerator(seed: Self.seed &+ UInt64(signal))
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        var interrupted = 0
        for round in 0..<18 {
            let work = works[round % works.count]
            let dir = try Self.copy(work.template)
            defer { try? FileManager.default.removeItem(at: dir) }
            let delay = Int.random(in: 0...200, using: &random)
            let context = "seed \(Self.seed) round \(round) (\(work.name), \(name) after \(delay) ms)"
            // Slowed a little, so that most signals land while changes are being made.
            let started = try CLIRunner.start(
                work.command, in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "25", "STOCKYARD_TEST_SYNC_DELAY_MS": "80"])
            Self.waitUntilHandlingSignals(started.process)
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
            kill(started.process.processIdentifier, signal)
            let result = started.wait()
            #expect(started.process.terminationReason == .exit, "\(context): died of the signal")
            if result.status == 0 {
                // It finished before the signal came.
                #expect(try Self.stock(dir) == work.expected, "\(context)")
                continue
            }
            interrupted += 1
            #expect(result.status == 128 + signal, "\(context): exit \(result.status): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            let last = lines.last.map(String.init) ?? ""
            #expect(last.hasPrefix("Interrupted by \(name): "), "\(context): \(result.stderr)")
            #expect(lines.filter { $0.hasPrefix("Interrupted by") }.count == 1, "\(context): \(result.stderr)")
            let show = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)
            if show.stdout.isEmpty == false {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
                #expect(object["lock"] is NSNull, "\(context): a lock was left behind: \(show.stdout)")
            }
            try Self.expectFinished(work, in: dir, context)
        }
        #expect(interrupted >= 12, "only \(interrupted) of 18 runs were interrupted")
    }

    @Test func aSignalBetweenIntervalSyncsEndsAtOnce() throws {
        let dir = try SyncCommandTests.liveDemo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let started = try CLIRunner.start(["sync", "--interval", "1m"], in: dir)
        #expect(started.waitForOutput("Sync complete", count: 1, timeout: 30))
        kill(started.process.processIdentifier, SIGTERM)
        let result = started.wait()
        #expect(result.status == 143, "\(result.stderr)")
        #expect(result.stderr.hasSuffix("Interrupted by SIGTERM: stopped after a sync; nothing was in progress.\n"), "\(result.stderr)")
        let show = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect(object["lock"] is NSNull)
    }
}
