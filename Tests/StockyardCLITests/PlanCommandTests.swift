import Foundation
import Testing

@testable import StockyardCLI

@Suite struct PlanCommandTests {
    @Test func demoAgainstAnEmptyStateCreatesEverything() throws {
        let result = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--detailed-exitcode"])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stdout.contains("+ store.web"))
        #expect(result.stdout.contains("+ warehouse.leeds"))
        #expect(result.stdout.contains("+ connection.wholesale[\"Leeds DC\"]"))
        #expect(result.stdout.hasSuffix("Plan: 12 to create, 0 to update, 0 to delete.\n"))
        // plan never writes the state
        #expect(!FileManager.default.fileExists(atPath: CLIRunner.repository.appendingPathComponent("examples/demo/.stockyard").path))
    }

    @Test func withoutDetailedExitcodeChangesExitZero() throws {
        #expect(try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml"]).status == 0)
    }

    /// A plan starts over once with glibc's malloc on huge pages (where the system gives them on
    /// request): the same plan with it, without it (`glibc.malloc.hugetlb=0`), and with other
    /// tunables the operator set; and a config on standard input is read by the run that plans.
    @Test func theSamePlanWithOrWithoutHugePages() throws {
        // A config large enough to start over for (the demo's, then a megabyte of comments).
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("stockyard.yaml")
        var text = try String(contentsOf: config, encoding: .utf8)
        text += String(repeating: "# " + String(repeating: "-", count: 78) + "\n", count: MallocArenas.hugePagesFrom / 80 + 1)
        try text.write(to: config, atomically: true, encoding: .utf8)
        #expect(MallocArenas.configSize(["stockyard", "plan", "--config", config.path]) ?? 0 >= MallocArenas.hugePagesFrom)
        let arguments = ["plan", "--config", "stockyard.yaml", "--format", "json"]
        let plain = try CLIRunner.run(arguments, in: dir)
        #expect(plain.status == 0, "\(plain.stderr)")
        for tunables in ["glibc.malloc.hugetlb=0", "glibc.malloc.check=0", "glibc.malloc.hugetlb=1"] {
            let other = try CLIRunner.run(arguments, in: dir, environment: ["GLIBC_TUNABLES": tunables])
            #expect(other.status == 0, "\(tunables): \(other.stderr)")
            #expect(other.stdout == plain.stdout, "\(tunables)")
        }
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["plan", "--config", "/dev/stdin", "--format", "json", "--state", "/dev/null/none.sqlite"]
        process.currentDirectoryURL = CLIRunner.repository.appendingPathComponent("examples/demo")
        process.environment = ProcessInfo.processInfo.environment.merging(["STOCKYARD_TODAY": "2026-06-01", "NO_COLOR": "1"]) { $1 }
        process.standardInput = try FileHandle(forReadingFrom: CLIRunner.repository.appendingPathComponent("examples/demo/stockyard.yaml"))
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let piped = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // The config's stores are read from its folder, which /dev/stdin's is not: a plan with
        // an error for each, made from the whole config.
        let written = String(decoding: piped, as: UTF8.self)
        #expect(process.terminationStatus == 1)
        #expect(written.contains("\"config_file\": \"/dev/stdin\""))
        #expect(written.contains("\"address\": \"warehouse.leeds\""))
    }

    @Test func samInputsGiveByteIdenticalPlans() throws {
        let a = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "json"])
        let b = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "json"])
        #expect(a.status == 0)
        #expect(a.stdout == b.stdout)
        let md1 = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "markdown"])
        let md2 = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--format", "markdown"])
        #expect(md1.stdout == md2.stdout)
        #expect(md1.stdout.contains("> [!WARNING]"))
    }

    @Test func savedPlanRoundTripsThroughShow() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let planned = try CLIRunner.run(["plan", "--out", "plan.json", "--format", "json"], in: dir)
        #expect(planned.status == 0, "\(planned.stderr)")
        let saved = try String(contentsOf: dir.appendingPathComponent("plan.json"), encoding: .utf8)
        #expect(saved == planned.stdout)
        let shown = try CLIRunner.run(["show", "plan.json", "--format", "json"], in: dir)
        #expect(shown.stdout == saved)
        let text = try CLIRunner.run(["show", "plan.json"], in: dir)
        let direct = try CLIRunner.run(["plan"], in: dir)
        #expect(text.stdout == direct.stdout)
    }

    @Test func typoInALocationNameSuggestsTheStoreName() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("stockyard.yaml")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "York shop:", with: "York shpo:")
        try text.write(to: config, atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["plan"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("error: store 'web' has no location named 'York shpo'; nearest: 'York shop' [location-not-found]"))
    }

    @Test func malformedStoreFileIsAPositionedError() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try "{\n  \"locations\": [\n    { \"id\": \"a\" \"name\": \"b\" }\n  ]\n}\n".write(
            to: dir.appendingPathComponent("stores/web.json"), atomically: true, encoding: .utf8)
        let result = try CLIRunner.run(["plan"], in: dir)
        #expect(result.status == 1)
        #expect(result.stdout.contains("store 'web' could not be read: stores/web.json:3:"))
        #expect(result.stdout.contains("[store-unreadable]"))
    }

    @Test func unknownStoreSelectionIsAnError() throws {
        let result = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--store", "wholsale"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no store 'wholsale'") && result.stderr.contains("did you mean 'wholesale'?"))
    }

    /// Said before the state is read: a damaged state does not hide the typo.
    @Test func anUnknownStoreIsSaidBeforeTheStateIsRead() throws {
        let dir = try CLIRunner.scratchCopy(of: "demo")
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data(repeating: 0x5A, count: 4096).write(to: dir.appendingPathComponent("damaged.sqlite"))
        let damaged = try CLIRunner.run(["plan", "--state", "damaged.sqlite"], in: dir)
        #expect(damaged.status == 1 && !damaged.stderr.contains("no store"))
        let result = try CLIRunner.run(["plan", "--state", "damaged.sqlite", "--exclude", "wholsale"], in: dir)
        #expect(result.status == 1)
        #expect(result.stderr == "error: no store 'wholsale' in stockyard.yaml; did you mean 'wholesale'?\n")
        #expect(result.stdout.isEmpty)
    }

    @Test func storeSelectionPlansOnlyThatStore() throws {
        let result = try CLIRunner.run(["plan", "--config", "examples/demo/stockyard.yaml", "--store", "wholesale", "--format", "json"])
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\"store\": \"web\""))
        #expect(result.stdout.contains("\"store\": \"wholesale\""))
    }
}
