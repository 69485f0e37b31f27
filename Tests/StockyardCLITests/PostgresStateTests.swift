import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardState

/// The CLI against a real PostgreSQL state: several processes at once, migration, and failures.
/// Each test gets a database of its own, so the tests can run in parallel.
@Suite("The CLI on a PostgreSQL state", .enabled(if: PostgresCLI.isWanted))
struct PostgresStateTests {
    func scratch() throws -> URL { try CLIRunner.scratchCopy(of: "demo") }

    /// How many changes the demo's first plan holds: what a first apply applies.
    func changesToApply(_ dir: URL, state: String) throws -> Int {
        let plan = try CLIRunner.run(["plan", "--format", "json", "--state", state], in: dir)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any], "\(plan.stderr)")
        let summary = try #require(object["summary"] as? [String: Any])
        return try #require(summary["total"] as? Int)
    }

    func historyAddresses(_ dir: URL, state: String) throws -> [String] {
        let history = try CLIRunner.run(["history", "--format", "json", "--limit", "1000", "--state", state], in: dir)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [[String: Any]], "\(history.stderr)")
        return entries.compactMap { $0["address"] as? String }
    }

    @Test func applyThenPlanShowsNoChangesAndTheURLIsShownWithoutItsPassword() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let total = try changesToApply(dir, state: url)
            let apply = try CLIRunner.run(["apply", "--auto-approve", "--state", url], in: dir)
            #expect(apply.status == 0, "\(apply.stderr)")
            #expect(apply.stderr.contains("Apply complete: \(total) applied, 0 already applied"), "\(apply.stderr)")
            let plan = try CLIRunner.run(["plan", "--detailed-exitcode", "--state", url], in: dir)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            #expect(try historyAddresses(dir, state: url).count == total)
            // Nothing is written beside the config: the state is in the database.
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(".stockyard").path))

            let show = try CLIRunner.run(["state", "show"], in: dir, environment: ["STOCKYARD_STATE": url])
            #expect(show.status == 0, "\(show.stderr)")
            #expect(show.stdout.contains("State: \(try PostgresCLI.withoutPassword(url))\n"), "\(show.stdout)")
            for output in [apply.stdout, apply.stderr, plan.stdout, plan.stderr, show.stdout, show.stderr] {
                #expect(!output.contains(try PostgresCLI.password()))
            }
        }
    }

    @Test func concurrentAppliesExactlyOneApplies() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let total = try changesToApply(dir, state: url)
            let runs = try (0..<4).map { _ in
                try CLIRunner.start(["apply", "--auto-approve", "--state", url], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "200"])
            }
            let results = runs.map { $0.wait() }
            // One applies. Each other one either failed at once naming the holder, or got the lock
            // only after the winner finished and found every change already applied.
            for result in results where result.status != 0 {
                #expect(result.stderr.contains("the state is locked by `stockyard apply` (pid "), "\(result.stderr)")
            }
            #expect(results.filter { $0.stderr.contains("Apply complete: \(total) applied") }.count == 1, "\(results.map(\.stderr))")
            #expect(results.filter { $0.status != 0 }.count >= 1, "the applies were expected to overlap")
            let addresses = try historyAddresses(dir, state: url)
            #expect(addresses.count == total)
            #expect(Set(addresses).count == total)
            #expect(try CLIRunner.run(["plan", "--detailed-exitcode", "--state", url], in: dir).status == 0)
        }
    }

    @Test func lockTimeoutWaitsForTheOtherApply() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let total = try changesToApply(dir, state: url)
            let first = try CLIRunner.start(["apply", "--auto-approve", "--state", url], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "50"])
            try await Task.sleep(for: .milliseconds(500))
            let second = try CLIRunner.run(["apply", "--auto-approve", "--lock-timeout", "60s", "--state", url], in: dir)
            let firstResult = first.wait()
            #expect(firstResult.status == 0, "\(firstResult.stderr)")
            #expect(second.status == 0, "\(second.stderr)")
            #expect(try historyAddresses(dir, state: url).count == total)
        }
    }

    @Test func aKilledApplyHoldsNoLockAndTheNextApplyFinishesTheJob() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let total = try changesToApply(dir, state: url)
            let run = try CLIRunner.start(["apply", "--auto-approve", "--state", url], in: dir, environment: ["STOCKYARD_TEST_APPLY_DELAY_MS": "150"])
            // Killed between changes, once a few have landed: watched, not timed, so a busy machine
            // cannot let the apply finish first.
            #expect(run.waitForOutput("applied ", count: 3, timeout: 60), "the apply never got going")
            kill(run.process.processIdentifier, SIGKILL)
            _ = run.wait()
            let left = try changesToApply(dir, state: url)
            #expect(left > 0 && left < total, "expected a part-applied state, \(left) of \(total) changes left")
            // The server ended the dead process's session, and its advisory lock with it.
            let show = try CLIRunner.run(["state", "show", "--state", url], in: dir)
            #expect(!show.stdout.contains("Locked by"), "\(show.stdout)")
            let unlock = try CLIRunner.run(["state", "unlock", "--state", url], in: dir)
            #expect(unlock.status == 0, "\(unlock.stderr)")
            #expect(
                unlock.stderr.contains("The state is not locked. Cleared the record left by `stockyard apply` (pid \(run.process.processIdentifier) on "),
                "\(unlock.stderr)")
            let resumed = try CLIRunner.run(["apply", "--auto-approve", "--state", url], in: dir)
            #expect(resumed.status == 0, "\(resumed.stderr)")
            #expect(resumed.stderr.contains("Apply complete: \(left) applied"), "\(resumed.stderr)")
            #expect(try CLIRunner.run(["plan", "--detailed-exitcode", "--state", url], in: dir).status == 0)
            #expect(try historyAddresses(dir, state: url).count == total)
        }
    }

    @Test func aSQLiteStateMigratesLosslessly() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let apply = try CLIRunner.run(["apply", "--auto-approve"], in: dir)
            #expect(apply.status == 0, "\(apply.stderr)")
            let sqliteHistory = try CLIRunner.run(["history", "--format", "json", "--limit", "1000"], in: dir)
            let sqliteShow = try CLIRunner.run(["state", "show", "--format", "json"], in: dir)

            let migrate = try CLIRunner.run(["state", "migrate", "--to", url], in: dir)
            #expect(migrate.status == 0, "\(migrate.stderr)")
            #expect(
                migrate.stdout.contains("Migrated \(dir.appendingPathComponent(".stockyard/state.sqlite").path) to \(try PostgresCLI.withoutPassword(url))."),
                "\(migrate.stdout)")
            #expect(migrate.stdout.contains("Copied and verified object by object:"), "\(migrate.stdout)")
            #expect(!(migrate.stdout + migrate.stderr).contains(try PostgresCLI.password()))

            let plan = try CLIRunner.run(["plan", "--detailed-exitcode", "--state", url], in: dir)
            #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
            let postgresHistory = try CLIRunner.run(["history", "--format", "json", "--limit", "1000", "--state", url], in: dir)
            #expect(postgresHistory.stdout == sqliteHistory.stdout)
            #expect(try CLIRunner.run(["state", "show", "--format", "json", "--state", url], in: dir).stdout == sqliteShow.stdout)

            // A plan saved against the SQLite state still applies to the copy: the lineage moved with it.
            try PostgresCLI.edit(dir) { $0.replacingOccurrences(of: "name: York Shop", with: "name: York Shop & Café") }
            #expect(try CLIRunner.run(["plan", "--out", "plan.json"], in: dir).status == 0)
            let applySaved = try CLIRunner.run(["apply", "plan.json", "--state", url], in: dir)
            #expect(applySaved.status == 0, "\(applySaved.stderr)")

            let again = try CLIRunner.run(["state", "migrate", "--to", url], in: dir)
            #expect(again.status == 1)
            #expect(again.stderr.contains("is not empty"), "\(again.stderr)")
        }
    }

    @Test func aWrongPasswordIsAClearErrorWithoutThePassword() async throws {
        try await PostgresCLI.withDatabase { url in
            let dir = try scratch()
            defer { try? FileManager.default.removeItem(at: dir) }
            let wrong = "n0t-the-Passw0rd-\(UUID().uuidString.prefix(6))"
            let real = try PostgresCLI.password()
            let bad = url.replacingOccurrences(of: ":\(real)@", with: ":\(wrong)@")
            for arguments in [["plan", "--state", bad], ["apply", "--auto-approve", "--state", bad], ["history", "--state", bad]] {
                let started = Date()
                let result = try CLIRunner.run(arguments, in: dir)
                #expect(result.status == 1, "\(arguments[0]): \(result.stdout)\(result.stderr)")
                #expect(Date().timeIntervalSince(started) < 30, "\(arguments[0]) must fail at once, not after retrying")
                let location = try PostgresLocation(url: url)
                #expect(
                    result.stderr.contains(
                        "error: could not log in to PostgreSQL at \(location.host):\(location.port) (database '\(location.database)', user '\(location.username)'): password authentication failed"
                    ),
                    "\(arguments[0]): \(result.stderr)"
                )
                let output = result.stdout + result.stderr
                #expect(!output.contains(wrong) && !output.contains(real), "\(arguments[0]) leaked a password")
            }
        }
    }
}

/// The server `.ci/postgres.sh` starts, and a database per test on it.
enum PostgresCLI {
    static let url = ProcessInfo.processInfo.environment["STOCKYARD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isWanted: Bool {
        url != nil || ["true", "1", "yes"].contains(ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? "")
    }

    static func serverURL() throws -> String {
        guard let url else {
            throw TestSetupError(
                "CI is set but STOCKYARD_TEST_POSTGRES_URL is not: these tests need a PostgreSQL server; run them through .ci/postgres.sh (as .ci/run does)")
        }
        return url
    }

    static func password() throws -> String {
        try #require(try PostgresLocation(url: try serverURL()).password)
    }

    static func withoutPassword(_ url: String) throws -> String {
        try PostgresLocation(url: url).description
    }

    /// Runs `body` with the URL of a new, empty database, dropped afterwards.
    static func withDatabase(_ body: (String) async throws -> Void) async throws {
        let server = try serverURL()
        let name = "stockyard_cli_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        var components = try #require(URLComponents(string: server))
        components.percentEncodedPath = "/" + name
        let url = try #require(components.string)
        let admin = try PostgresStateStore(location: try PostgresLocation(url: server), create: false)
        try await admin.executeRawSQL("CREATE DATABASE \(name)")
        do {
            try await body(url)
        } catch {
            try? await admin.executeRawSQL("DROP DATABASE \(name) WITH (FORCE)")
            await admin.close()
            throw error
        }
        try await admin.executeRawSQL("DROP DATABASE \(name) WITH (FORCE)")
        await admin.close()
    }

    static func edit(_ dir: URL, _ transform: (String) -> String) throws {
        let url = dir.appendingPathComponent("stockyard.yaml")
        try transform(try String(contentsOf: url, encoding: .utf8)).write(to: url, atomically: true, encoding: .utf8)
    }
}
