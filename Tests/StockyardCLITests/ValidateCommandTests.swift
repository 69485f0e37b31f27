import Foundation
import Testing

@Suite struct ValidateCommandTests {
    @Test(arguments: ["demo", "first-time", "two-stores"])
    func examplesAreValid(_ example: String) throws {
        let result = try CLIRunner.run(["validate", "--config", "examples/\(example)/stockyard.yaml"])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = example == "demo" ? "is valid, with 2 warnings.\n" : "is valid.\n"
        #expect(result.stderr.hasSuffix("examples/\(example)/stockyard.yaml \(expected)"))
    }

    @Test func invalidFileExitsOneWithPositionedDiagnostics() throws {
        let path = "Tests/StockyardConfigTests/Fixtures/invalid/master-sumtracker.yaml"
        let result = try CLIRunner.run(["validate", "--config", path])
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("\(path):14:17: error: `master` must be `stockyard` or `store`, not 'sumtracker'; did you mean 'stockyard'?"))
        #expect(lines[0].hasSuffix("[bad-value]"))
        #expect(lines[1] == "            master: sumtracker")
        #expect(lines[2] == "                    ^")
        #expect(lines[3] == "\(path) is not valid: 1 error, 0 warnings.")
    }

    @Test func jsonFormatIsData() throws {
        let result = try CLIRunner.run(["validate", "--config", "Tests/StockyardConfigTests/Fixtures/invalid/multiple-errors.yaml", "--format", "json"])
        #expect(result.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["valid"] as? Bool == false)
        let diagnostics = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count >= 3)
        #expect(Set(diagnostics[0].keys) == ["severity", "rule", "message", "file", "line", "column"])
    }

    @Test func literalSecretIsNeverPrinted() throws {
        for format in ["text", "json"] {
            let result = try CLIRunner.run(["validate", "--config", "Tests/StockyardConfigTests/Fixtures/invalid/literal-secret.yaml", "--format", format])
            #expect(result.status == 1)
            #expect(!(result.stdout + result.stderr).contains("shpat_"))
            #expect(!(result.stdout + result.stderr).contains("0123456789abcdef"))
        }
    }

    /// 25 own warehouses on store master: text shows ten and a count, `--all-warnings` all 25, JSON all 25.
    @Test func warningsAreCompactUnlessAllAreAskedFor() throws {
        var yaml = "version: 1\nwarehouses:\n"
        for i in 1...25 { yaml += "  w\(i): { name: W\(i), kind: own }\n" }
        yaml += "stores:\n  shop:\n    platform: file\n    path: shop.json\n    locations:\n"
        for i in 1...25 { yaml += "      L\(i): { warehouse: w\(i), master: store }\n" }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-warnings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try yaml.write(to: dir.appendingPathComponent("stockyard.yaml"), atomically: true, encoding: .utf8)

        let compact = try CLIRunner.run(["validate"], in: dir)
        #expect(compact.status == 0)
        #expect(compact.stderr.components(separatedBy: "warning: ").count - 1 == 10)
        #expect(compact.stderr.contains("… and 15 more [own-on-store-master]\n15 warnings not shown; --all-warnings prints every one.\n"))
        #expect(compact.stderr.hasSuffix("stockyard.yaml is valid, with 25 warnings.\n"))

        let all = try CLIRunner.run(["validate", "--all-warnings"], in: dir)
        #expect(all.stderr.components(separatedBy: "warning: ").count - 1 == 25)
        #expect(!all.stderr.contains("more [own-on-store-master]"))

        let json = try CLIRunner.run(["validate", "--format", "json"], in: dir)
        #expect(json.stdout.components(separatedBy: "\"own-on-store-master\"").count - 1 == 25)
    }

    @Test func missingConfigIsAClearError() throws {
        let result = try CLIRunner.run(["validate", "--config", "nowhere/stockyard.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("error: no config file at nowhere/stockyard.yaml"))
    }

    @Test func hostileInputNeverCrashes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stockyard-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let inputs: [String: Data] = [
            "deep.yaml": Data(String(repeating: "[", count: 100_000).utf8),
            "binary.yaml": Data([0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28]),
            "mapping-deep.yaml": Data(String(repeating: "a:\n ", count: 5000).utf8),
            "scalar.yaml": Data("just a string\n".utf8),
            "list.yaml": Data("- 1\n- 2\n".utf8),
        ]
        for (name, data) in inputs {
            try data.write(to: dir.appendingPathComponent(name))
            let result = try CLIRunner.run(["validate", "--config", dir.appendingPathComponent(name).path])
            #expect(result.status == 1, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(": error: "), "\(name): \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(name)")
        }
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLIRunner.run(["validate", "--no-such-flag"]).status == 64)
        #expect(try CLIRunner.run(["validate", "--format", "yaml"]).status == 64)
        #expect(try CLIRunner.run(["plan", "--format", "html"]).status == 64)
    }

    @Test func versionAndHelp() throws {
        let version = try CLIRunner.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout == "0.2.0 (development build)\n")
        for command in [
            ["validate"], ["plan"], ["show"], ["apply"], ["sync"], ["init"], ["import"], ["history"], ["state"], ["state", "show"], ["state", "unlock"],
            ["state", "migrate"],
        ] {
            let help = try CLIRunner.run(command + ["--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "\(command) --help has no example")
        }
    }
}
