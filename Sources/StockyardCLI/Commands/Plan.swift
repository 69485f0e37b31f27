import ArgumentParser
import Foundation
import StockyardConfig
import StockyardEngine

extension PlanFormat: ExpressibleByArgument {}

extension StockyardCommand {
    /// `stockyard plan`: what apply would change, for people and for pipelines.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what would change: stores, warehouses and connections to create, update or delete.",
            discussion: """
                Reads the config, the hub's state and every store, and prints the changes apply would make, \
                in order, each with its risk. Writes nothing but --out.

                Exit codes: 0 success (no changes, or changes without --detailed-exitcode); 1 error; \
                2 success with changes (with --detailed-exitcode); 64 usage error.

                Examples:
                  stockyard plan --config examples/demo/stockyard.yaml
                  stockyard plan --format markdown > plan.md
                  stockyard plan --out plan.json --detailed-exitcode
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @OptionGroup var warningOptions: WarningOptions
        @OptionGroup var trustOptions: TrustOptions

        @Option(help: "Output format: text, json or markdown.")
        var format: PlanFormat = .text

        @Option(help: ArgumentHelp("Also save the plan as JSON, for `stockyard apply FILE`.", valueName: "file"))
        var out: String?

        @Flag(help: "Exit 2 when the plan has changes (0 when it has none).")
        var detailedExitcode = false

        @Option(name: .customLong("store"), help: ArgumentHelp("Plan only this store (repeatable).", valueName: "key"))
        var stores: [String] = []

        @Option(name: .customLong("exclude"), help: ArgumentHelp("Leave this store out (repeatable).", valueName: "key"))
        var excluded: [String] = []

        @Flag(help: "Leave the diagram of what changes out of the Markdown comment.")
        var noDiagram = false

        func run() async throws {
            let service = PlanService(
                configPath: configOptions.configURL.path, configDisplayPath: configOptions.config,
                statePath: stateOptions.stateLocation(configURL: configOptions.configURL),
                selectedStores: stores.isEmpty ? nil : Set(stores), excludedStores: Set(excluded), trust: trustOptions.policy)
            let early = service.startReadingState()
            // The early reading's task holds the state it read as long as it is held.
            defer { UntilExit.keep(early) }
            var loaded = try service.loadConfig()
            defer { UntilExit.keep(loaded) }
            // A `--store` or `--exclude` the config does not have is said before the state and the
            // stores are read (a config with errors says those first).
            if let config = loaded.validConfig {
                try StoreSelection.check(stores + excluded, in: config, file: configOptions.config)
                // The text is for quoting the source lines of the config's errors, and it has none:
                // freed before the plan is made (13 MB at 100,000 connections, at the peak).
                loaded.source = []
            }
            let today = Day.fromEnvironment()
            guard var result = try await service.makePlan(loaded, today: today, early: early) else {
                let diagnostics = loaded.allDiagnostics(today: today)
                if format == .json {
                    Terminal.writeOut(DiagnosticJSON.report(diagnostics))
                } else {
                    let printer = DiagnosticPrinter(
                        source: loaded.source, style: Style(enabled: Terminal.colorAllowed(fd: 2)), allWarnings: warningOptions.allWarnings)
                    Terminal.writeErr(printer.render(diagnostics, subject: configOptions.config))
                }
                throw ExitCode(1)
            }
            // Freed beside the output only when it holds many numbers (200 SKUs a location): freeing
            // it costs time beside the output, keeping it costs memory by the number.
            UntilExit.release(result.madeFrom, ifMoreThan: UntilExit.freedBesideAbove, counting: PlanService.numbersHeld)
            result.madeFrom = (HubState(), [:])
            // Also when the exit code says errors or changes.
            defer { UntilExit.keep(result) }
            let plan = result.plan
            if format == .json {
                // Written as rendered, piece by piece: a large plan is never held whole as text.
                JSONPlanRenderer.write(plan) { Terminal.writeOut(bytes: $0) }
            } else if format == .text {
                TextPlanRenderer(color: Terminal.colorAllowed(fd: 1), allWarnings: warningOptions.allWarnings).write(plan) { Terminal.writeOut($0) }
            } else {
                Terminal.writeOut(
                    PlanRenderer.render(
                        plan, as: format, color: format == .text && Terminal.colorAllowed(fd: 1), diagram: !noDiagram,
                        allWarnings: warningOptions.allWarnings))
            }
            if let out {
                try PlanFile.write(plan, to: out)
            }
            if plan.hasErrors { throw ExitCode(1) }
            if detailedExitcode && plan.hasChanges { throw ExitCode(2) }
        }

    }
}

/// Saving and reading plan files.
enum PlanFile {
    /// Writes the JSON plan atomically (a reader never sees half a plan) and private (0600).
    static func write(_ plan: StockyardEngine.Plan, to path: String) throws {
        do {
            try PrivateFile.write(Data(JSONPlanRenderer.render(plan).utf8), to: path)
        } catch {
            throw CLIFailure.planUnwritable(path: path, reason: error.localizedDescription)
        }
    }

    static func read(_ path: String) throws -> StockyardEngine.Plan {
        // Size and kind first: a named pipe or /dev/zero would never end, a huge file fill memory.
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            throw CLIFailure.planMissing(path: path)
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw CLIFailure.planNotRegularFile(path: path)
        }
        if let size = (attributes[.size] as? NSNumber)?.intValue, size > PlanDocument.maximumBytes {
            throw CLIFailure.planTooLarge(path: path, size: size, limit: PlanDocument.maximumBytes)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure.planUnreadable(path: path)
        }
        do {
            return try PlanDocument.decode(data, file: path)
        } catch {
            throw CLIFailure.failed(error)
        }
    }
}

extension PlanFile {
    /// The plan the config, the state and the stores call for now, to hold a saved plan to.
    static func replan(_ service: PlanService, _ loaded: LoadedConfig, today: Day, for path: String) async throws -> StockyardEngine.Plan {
        guard let result = try await service.makePlan(loaded, today: today) else { throw ExitCode(1) }
        let errors = result.plan.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            throw CLIFailure.planUncheckable(path: path, errors: errors.map(\.message))
        }
        return result.plan
    }
}

extension Day {
    /// Today, or `STOCKYARD_TODAY` (YYYY-MM-DD) for reproducible runs and tests.
    static func fromEnvironment() -> Day {
        if let text = ProcessInfo.processInfo.environment["STOCKYARD_TODAY"], let day = Day(iso: text) { return day }
        return Day.today()
    }
}
