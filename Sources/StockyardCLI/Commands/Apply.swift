import ArgumentParser
import Foundation
import StockyardConfig
import StockyardEngine
import StockyardState

extension StockyardCommand {
    /// `stockyard apply`: carries out exactly the reviewed plan, or refuses before touching anything.
    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the hub match the config: apply a saved plan, or plan, show and ask.",
            discussion: """
                With PLANFILE, applies exactly that plan, and refuses, naming each object, when the config \
                or any object the plan touches changed since it was made. Without it, plans, shows the plan \
                and asks for `yes`; with no terminal to ask on, it needs --auto-approve.

                Before anything changes it checks the safety rails: `safety:` thresholds \
                (--allow-large-change), protected objects, and warehouses holding stock (--allow-stock-loss). \
                Each change is one state transaction: a killed apply leaves a consistent state, and the next \
                plan shows what is left.

                SIGINT or SIGTERM stops it between changes: the lock is released, one line says what was \
                and was not applied, and the exit code is 130 or 143.

                Exit codes: 0 applied (or nothing to do); 1 refused or failed; 64 usage error; 130/143 \
                stopped by SIGINT/SIGTERM.

                Examples:
                  stockyard plan --out plan.json && stockyard apply plan.json
                  stockyard apply --config examples/demo/stockyard.yaml --auto-approve
                """)

        @Argument(help: "A plan saved with `stockyard plan --out FILE`.")
        var planFile: String?

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @OptionGroup var warningOptions: WarningOptions
        @OptionGroup var trustOptions: TrustOptions

        @Flag(help: "Apply without asking (needed when there is no terminal to ask on).")
        var autoApprove = false

        @Flag(help: "Allow a plan past the `safety:` update and delete thresholds.")
        var allowLargeChange = false

        @Flag(help: "Allow deleting warehouses that still hold stock.")
        var allowStockLoss = false

        @Option(help: ArgumentHelp("Wait this long for another apply's lock (e.g. 30s, 2m). Default: fail at once.", valueName: "duration"))
        var lockTimeout: LockTimeout = LockTimeout(seconds: 0)

        func run() async throws {
            Interruption.shared.install(idleMessage: "nothing was applied")
            let service = PlanService(
                configPath: configOptions.configURL.path, configDisplayPath: configOptions.config,
                statePath: stateOptions.stateLocation(configURL: configOptions.configURL),
                selectedStores: nil, excludedStores: [], trust: trustOptions.policy)
            let loaded = try service.loadConfig()
            let today = Day.fromEnvironment()
            guard let config = loaded.validConfig else {
                let printer = DiagnosticPrinter(
                    source: loaded.source, style: Style(enabled: Terminal.colorAllowed(fd: 2)), allWarnings: warningOptions.allWarnings)
                Terminal.writeErr(printer.render(loaded.allDiagnostics(today: today), subject: configOptions.config))
                throw ExitCode(1)
            }
            // What the operator allows the stores to reach, before any lock, read or request.
            try AdapterFactory.preflight(config.stores, baseURL: configOptions.configURL.deletingLastPathComponent(), trust: trustOptions.policy)
            var saved: StockyardEngine.Plan?
            var fresh: StockyardEngine.Plan?
            if let planFile {
                let plan = try PlanFile.read(planFile)
                if plan.configSHA256 != config.sha256 {
                    throw CLIFailure.configChangedSincePlan(config: configOptions.config, then: plan.configSHA256, now: config.sha256)
                }
                if plan.hasErrors { throw CLIFailure.planHasErrors(path: planFile) }
                saved = plan
                // A saved plan is untrusted: plan again, and apply only changes the config calls for.
                if plan.hasChanges { fresh = try await PlanFile.replan(service, loaded, today: today, for: planFile) }
            }

            // A state that does not exist yet is created only once the plan passes its checks, so a
            // refused or cancelled first apply leaves nothing behind.
            var state = try service.openState(create: false)
            do {
                let hasState = try await StateLock.load(state).lineage != nil
                if hasState && saved == nil {
                    // Pushes a crash left journaled are resolved before planning: the plan then reads
                    // the stores as they are, and a replayed push is not mistaken for a sale.
                    try await withLock(state, ifStopped: "nothing was applied") {
                        let applier = try makeApplier(state: state, config: config)
                        for note in try await closingAll(Array(applier.adapters.values), applier.recoverInterruptedPushes) {
                            Terminal.writeErr("\(note)\n")
                        }
                    }
                }
                guard let plan = try await decide(saved, service: service, loaded: loaded, today: today) else {
                    await state.close()
                    return
                }
                if !hasState {
                    // A new plan with a lineage was made after another apply created the state
                    // meanwhile: it exists now, and is checked under the lock like any other.
                    if saved != nil || plan.stateLineage == nil {
                        try refuseIfUnsafe(plan, fresh: fresh, current: .empty, config: config)
                    }
                    await state.close()
                    state = try service.openState(create: true)
                }
                try await withLock(state, ifStopped: "every change was attempted") {
                    try await applyLocked(plan, fresh: fresh, state: state, config: config)
                }
                await state.close()
            } catch {
                await state.close()
                throw error
            }
        }

        /// The plan to apply: the saved one, or a new one, shown and confirmed. `nil`: nothing to do.
        func decide(_ saved: StockyardEngine.Plan?, service: PlanService, loaded: LoadedConfig, today: Day) async throws -> StockyardEngine.Plan? {
            let plan: StockyardEngine.Plan
            if let saved {
                plan = saved
            } else {
                guard let result = try await service.makePlan(loaded, today: today) else { throw ExitCode(1) }
                plan = result.plan
                Terminal.writeOut(PlanRenderer.render(plan, as: .text, color: Terminal.colorAllowed(fd: 1), allWarnings: warningOptions.allWarnings))
                if plan.hasErrors { throw ExitCode(1) }
            }
            guard plan.hasChanges else {
                if saved != nil { Terminal.writeOut("No changes. The hub and its stores match the config.\n") }
                return nil
            }
            if saved == nil && !autoApprove { try confirm() }
            return plan
        }

        /// Runs `body` holding the apply lock, and releases it whatever happens. A signal that came
        /// meanwhile is reported, once the lock is released, with what `body` got done.
        func withLock(_ state: any StateStore, ifStopped done: String, _ body: () async throws -> Void) async throws {
            let lock = try await StateLock.acquire(state, command: "stockyard apply", timeout: lockTimeout.seconds)
            do {
                try await body()
            } catch let stop as Interruption.Stop {
                await lock.release()
                try Interruption.shared.exitIfRequested(saying: stop.done + "; the lock is released")
                throw ExitCode(1)
            } catch {
                await lock.release()
                throw error
            }
            await lock.release()
            try Interruption.shared.exitIfRequested(saying: done + "; the lock is released")
        }

        /// Refuses, before anything is written, a plan that is stale against `current` or breaks a
        /// safety rail, or a saved plan holding changes that planning again (`fresh`) does not.
        func refuseIfUnsafe(_ plan: StockyardEngine.Plan, fresh: StockyardEngine.Plan?, current: HubState, config: DesiredConfig) throws {
            if let planned = plan.stateLineage, planned != current.lineage {
                guard let now = current.lineage else {
                    throw CLIFailure.planStateMissing(
                        lineage: planned, state: StateLocator.describe(stateOptions.stateLocation(configURL: configOptions.configURL)))
                }
                throw CLIFailure.planOtherState(lineage: planned, current: now)
            }
            let refusals =
                (fresh.map { PlanGuard.conformance(of: plan, to: $0, state: current) } ?? [])
                + PlanGuard.staleness(of: plan, against: current)
                + PlanGuard.safety(
                    of: plan, state: current, thresholds: config.safety, options: .init(allowLargeChange: allowLargeChange, allowStockLoss: allowStockLoss))
            if !refusals.isEmpty { throw CLIFailure.applyRefused(refusals) }
        }

        func makeApplier(state: any StateStore, config: DesiredConfig) throws -> Applier {
            var applier = Applier(
                state: state, adapters: try AdapterFactory.adapters(for: config, configPath: configOptions.configURL.path, trust: trustOptions.policy))
            if let ms = ProcessInfo.processInfo.environment["STOCKYARD_TEST_APPLY_DELAY_MS"].flatMap(Int.init) {
                applier.delayPerChange = .milliseconds(ms)
            }
            applier.shouldStop = { Interruption.shared.isRequested }
            return applier
        }

        func applyLocked(_ plan: StockyardEngine.Plan, fresh: StockyardEngine.Plan?, state: any StateStore, config: DesiredConfig) async throws {
            let current = try await StateLock.load(state)
            try refuseIfUnsafe(plan, fresh: fresh, current: current, config: config)
            var applier = try makeApplier(state: state, config: config)
            let style = Style(enabled: Terminal.colorAllowed(fd: 2))
            applier.onStep = { step in
                switch step.outcome {
                case .applied: Terminal.writeErr("\(style.green("applied")) \(step.change.address)\n")
                case .alreadyApplied: Terminal.writeErr("already applied \(step.change.address)\n")
                case .failed: Terminal.writeErr("\(style.red("failed")) \(step.change.address): \(Redaction.redactTokens(in: step.message ?? ""))\n")
                case .skipped: Terminal.writeErr("\(style.yellow("skipped")) \(step.change.address): \(step.message ?? "")\n")
                }
            }
            let report = try await closingAll(Array(applier.adapters.values)) { [applier] in
                // After the replay before planning (an existing state), this finds nothing; a saved
                // plan applied after a crash needs it.
                for note in try await applier.recoverInterruptedPushes() { Terminal.writeErr("\(note)\n") }
                return await applier.apply(plan, current: current)
            }
            let counts =
                "\(report.count(.applied)) applied, \(report.count(.alreadyApplied)) already applied, \(report.count(.failed)) failed, \(report.count(.skipped)) skipped"
            // What a signal that comes once the lock is released says.
            Interruption.shared.setIdleMessage("\(counts), \(report.notAttempted.count) not attempted; nothing was in progress")
            if Interruption.shared.isRequested {
                // The one line a signal gets; `withLock` prints it, releases the lock, exits 130 or 143.
                throw Interruption.Stop(done: "\(counts), \(report.notAttempted.count) not attempted (run apply again to finish)")
            }
            Terminal.writeErr("Apply \(report.succeeded ? "complete" : "incomplete"): \(counts).\n")
            if !report.succeeded { throw ExitCode(1) }
        }

        func confirm() throws {
            guard Terminal.isInteractive() else {
                throw CLIFailure.noTerminalToConfirm
            }
            Terminal.writeOut("\nApply these changes? Only 'yes' is accepted: ")
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
                throw CLIFailure.applyCancelled
            }
        }
    }
}

/// `--lock-timeout 30s`, `2m`, `500ms` or plain seconds.
struct LockTimeout: ExpressibleByArgument, CustomStringConvertible {
    var description: String { seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(seconds)s" }

    var seconds: Double

    init(seconds: Double) { self.seconds = seconds }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            if let n = Double(argument.dropLast(suffix.count)), n >= 0 {
                seconds = n * factor
                return
            }
        }
        guard let n = Double(argument), n >= 0 else { return nil }
        seconds = n
    }
}
