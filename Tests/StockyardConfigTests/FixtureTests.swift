import Foundation
import StockyardConfig
import StockyardEngine
import Testing

@Suite struct FixtureTests {
    @Test(arguments: Fixtures.files("valid"))
    func validFixtureHasNoErrors(_ name: String) throws {
        let loaded = try Fixtures.load("valid", name)
        let diagnostics = loaded.allDiagnostics(today: Fixtures.today)
        #expect(!diagnostics.hasErrors, "\(name): \(Fixtures.describe(diagnostics))")
        #expect(loaded.validConfig != nil)
    }

    @Test(arguments: Fixtures.files("invalid"))
    func invalidFixtureMatchesGolden(_ name: String) throws {
        let loaded = try Fixtures.load("invalid", name)
        let diagnostics = loaded.allDiagnostics(today: Fixtures.today)
        #expect(diagnostics.hasErrors, "\(name) should not be valid")
        let actual = Fixtures.describe(diagnostics)
        let golden = Fixtures.root.appendingPathComponent("invalid").appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ".expected"))
        if Fixtures.regenerate {
            try actual.write(to: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: golden, encoding: .utf8)
        #expect(actual == expected, "\(name): diagnostics differ from \(golden.lastPathComponent)")
    }

    @Test(arguments: ["demo", "first-time", "two-stores"])
    func exampleIsValidWithoutWarnings(_ name: String) throws {
        let url = Fixtures.repository.appendingPathComponent("examples/\(name)/stockyard.yaml")
        let loaded = try ConfigLoader.load(path: url.path)
        let diagnostics = loaded.allDiagnostics(today: Fixtures.today)
        // The demo is mid-trial on purpose: web seeds the shared warehouses, wholesale mirrors them.
        let expected: [RuleID] = name == "demo" ? [.storeMasterShared, .storeMasterShared] : []
        #expect(diagnostics.map(\.rule) == expected, "\(name): \(Fixtures.describe(diagnostics))")
    }

    /// The schema and the loader agree: run the Python validator over the same files.
    @Test func schemaAgreesWithLoader() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/check_schema.py"]
        process.currentDirectoryURL = Fixtures.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "scripts/check_schema.py failed:\n\(output)")
    }
}
