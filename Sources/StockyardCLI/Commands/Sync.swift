import ArgumentParser
import Foundation
import StockyardConfig
import StockyardEngine

extension StockyardCommand {
    /// `stockyard sync`: keeps stock numbers in step, per each connection's master.
    struct Sync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sync stock: pull store-master locations, push stockyard-master warehouses.",
            discussion: """
                Store master: the location's numbers are copied into its warehouse. Stockyard master: what \
                each linked location sold since the last push (its drop from the pushed number) is taken off \
                the warehouse, and the new number is pushed to every linked location, compare-and-set, so a \
                sale that lands meanwhile is never lost. A rise at a stockyard-master location is an edit made \
                in the store: the master overrides it, and sync reports it.

                Runs against the connections in the state (apply them first). Holds the same lock as apply.

                Each linked location is read only for the inventory levels its store changed since the last \
                round (Shopify's updated_at, with a two-minute overlap); every level not read is taken to hold \
                the number last synced, which each compare-and-set push checks. A location is read in full on \
                its first sync, after a push to it went unresolved, and every --full-every (24h by default); \
                a full read that finds a change the earlier reads missed says so.

                SIGINT or SIGTERM stops it between warehouses (never between a push and its record): the lock \
                is released, one line says what was synced, and the exit code is 130 or 143.

                Exit codes: 0 synced; 1 a connection failed (named); 64 usage error; 130/143 stopped by \
                SIGINT/SIGTERM.

                Examples:
                  stockyard sync --once
                  stockyard sync --interval 5m
                  stockyard sync --interval 5m --full-every 6h
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @OptionGroup var warningOptions: WarningOptions
        @OptionGroup var trustOptions: TrustOptions

        @Flag(help: "Sync once and exit (the default).") var once = false

        @Option(help: ArgumentHelp("Sync again after each interval (e.g. 30s, 5m), until stopped.", valueName: "duration"))
        var interval: LockTimeout?

        @Option(help: ArgumentHelp("Wait this long for another apply or sync's lock.", valueName: "duration"))
        var lockTimeout: LockTimeout = LockTimeout(seconds: 0)

        @Option(
            help: ArgumentHelp("Read each linked location in full at least this often (e.g. 6h, 24h); in between, only what changed.", valueName: "duration"))
        var fullEvery: LockTimeout = LockTimeout(seconds: 24 * 3600)

        func validate() throws {
            if once && interval != nil { throw ValidationError("--once and --interval cannot be combined") }
            if let interval, interval.seconds < 1 { throw ValidationError("--interval must be at least 1s") }
        }

        func run() async throws {
            Interruption.shared.install(idleMessage: "nothing was synced")
            let service = PlanService(
                configPath: configOptions.configURL.path, configDisplayPath: configOptions.config,
                statePath: stateOptions.stateLocation(configURL: configOptions.configURL), selectedStores: nil, excludedStores: [], trust: trustOptions.policy)
            let loaded = try service.loadConfig()
            guard let config = loaded.validConfig else {
                let printer = DiagnosticPrinter(
                    source: loaded.source, style: Style(enabled: Terminal.colorAllowed(fd: 2)), allWarnings: warningOptions.allWarnings)
                Terminal.writeErr(printer.render(loaded.allDiagnostics(today: Day.fromEnvironment()), subject: configOptions.config))
                throw ExitCode(1)
            }
            let adapters = try AdapterFactory.adapters(for: config, configPath: configOptions.configURL.path, trust: trustOptions.policy)
            let state = try service.openState(create: false)
            var synchronizer = Synchronizer(state: state, adapters: adapters)
            if let ms = ProcessInfo.processInfo.environment["STOCKYARD_TEST_SYNC_DELAY_MS"].flatMap(Int.init) {
                synchronizer.delayPerPush = .milliseconds(ms)
            }
            synchronizer.shouldStop = { Interruption.shared.isRequested }
            synchronizer.fullEvery = .milliseconds(Int64(fullEvery.seconds * 1000))
            if isatty(2) == 1 {
                synchronizer.onProgress = { done, total, warehouse in
                    Terminal.writeErr("\r\u{1B}[2Ksyncing \(done)/\(total) warehouses (\(warehouse))" + (done == total ? "\r\u{1B}[2K" : ""))
                }
            }
            try await closingAll([state] + Array(adapters.values)) {
                while true {
                    let ok = try await syncOnce(synchronizer, state: state)
                    guard let interval else {
                        if !ok { throw ExitCode(1) }
                        return
                    }
                    try await Task.sleep(for: .seconds(interval.seconds))
                }
            }
        }

        func syncOnce(_ synchronizer: Synchronizer, state: any StateStore) async throws -> Bool {
            let lock = try await StateLock.acquire(state, command: "stockyard sync", timeout: lockTimeout.seconds)
            let report: Synchronizer.Report
            do {
                report = try await synchronizer.syncOnce()
                // From here nothing is held (and between runs of --interval): a signal ends the
                // process at once.
                Interruption.shared.setIdleMessage("stopped after a sync; nothing was in progress")
                await lock.release()
            } catch {
                await lock.release()
                try Interruption.shared.exitIfRequested(saying: "sync stopped (\(Redaction.redactTokens(in: "\(error)"))); the lock is released")
                throw CLIFailure.syncStopped(reason: "\(error)")
            }
            if Interruption.shared.isRequested {
                let total = report.notSynced.count
                try Interruption.shared.exitIfRequested(
                    saying:
                        "\(counted(report.soldUnits, "unit")) sold, \(report.pulledUnits) pulled, \(counted(report.pushes, "number")) pushed; \(counted(total, "warehouse")) not synced\(total == 0 ? "" : " (\(report.notSynced.joined(separator: ", ")))"), \(report.failures.count) failed; the lock is released"
                )
            }
            for note in report.notes { Terminal.writeErr("\(note)\n") }
            for store in report.stores.keys.sorted() {
                let t = report.stores[store]!
                Terminal.writeErr(
                    "\(store): \(counted(t.connections, "connection")), \(counted(t.sold, "unit")) sold, \(counted(t.pulled, "unit")) pulled, \(counted(t.pushed, "number")) pushed\n"
                )
            }
            if report.fullReads + report.incrementalReads > 0 {
                Terminal.writeErr(
                    "read \(counted(report.fullReads, "location")) in full, \(report.incrementalReads) for their changes only\n")
            }
            for line in report.overridden { Terminal.writeErr("overridden: \(line.message)\n") }
            for line in report.failures { Terminal.writeErr("failed: \(Redaction.redactTokens(in: line.message))\n") }
            Terminal.writeErr(
                "Sync \(report.failures.isEmpty ? "complete" : "incomplete"): \(counted(report.connections, "connection")), \(counted(report.soldUnits, "unit")) sold, \(counted(report.pulledUnits, "unit")) pulled, \(counted(report.pushes, "number")) pushed, \(counted(report.conflicts, "conflict")) retried, \(counted(report.overridden.count, "store edit")) overridden, \(report.failures.count) failed.\n"
            )
            return report.failures.isEmpty
        }
    }
}
