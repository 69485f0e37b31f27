import ArgumentParser
import Foundation
import StockyardEngine
import StockyardState

extension StockyardCommand {
    /// `stockyard state …`: look at and repair the hub's state.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Inspect the hub's state, release a dead lock, or move it.",
            discussion: """
                Examples:
                  stockyard state show
                  stockyard state unlock
                  stockyard state migrate --to postgres://stockyard@db.internal:5432/stockyard
                """,
            subcommands: [StateShow.self, StateUnlock.self, StateMigrate.self])
    }

    struct StateShow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "List what the state holds: stores, warehouses, connections, the lock.",
            discussion: """
                Example:
                  stockyard state show --config examples/demo/stockyard.yaml --format json
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: "Output format: text or json.") var format: DiagnosticsFormat = .text

        func run() async throws {
            let path = stateOptions.stateLocation(configURL: configOptions.configURL)
            let store = try StateLocator.openForReading(path)
            let (state, lock) = try await store.closing { (try await StateLock.load(store), try? await store.currentLock()) }
            switch format {
            case .json: Terminal.writeOut(StateReport.json(state, lock: lock).rendered())
            case .text: Terminal.writeOut(StateReport.text(state, lock: lock, path: StateLocator.describe(path)))
            }
        }
    }

    struct StateUnlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Release the apply lock of a process that is gone.",
            discussion: """
                Refuses while the holder's process is still alive on this host, unless --force.

                Example:
                  stockyard state unlock
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Flag(help: "Release the lock even if its holder looks alive.") var force = false

        func run() async throws {
            let store = try PlanService.openState(path: stateOptions.stateLocation(configURL: configOptions.configURL), create: false)
            try await store.closing { try await unlock(store) }
        }

        private func unlock(_ store: any StateStore) async throws {
            let current: LockInfo?
            do {
                current = try await store.currentLock()
            } catch {
                throw CLIFailure.failed(error)
            }
            guard let lock = current else {
                let left: LockInfo?
                do {
                    left = try await store.clearStaleLock()
                } catch {
                    throw CLIFailure.failed(error)
                }
                if let left {
                    Terminal.writeErr("The state is not locked. Cleared the record left by `\(left.command)` (pid \(left.pid) on \(left.host), since \(left.since)), which ended without releasing its lock.\n")
                } else {
                    Terminal.writeErr("The state is not locked.\n")
                }
                return
            }
            let here = ProcessInfo.processInfo.hostName
            if !force, lock.host == here, kill(lock.pid, 0) == 0 || errno == EPERM {
                throw CLIFailure.lockHolderRunning(lock)
            }
            do {
                try await store.releaseLock(holder: nil)
            } catch {
                throw CLIFailure.failed(error)
            }
            if (try? await store.currentLock()) != nil {
                // PostgreSQL: the record is gone, but the lock is the holder's database session's.
                throw CLIFailure.lockSessionStillHeld(lock)
            }
            Terminal.writeErr("Released the lock of `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since)).\n")
        }
    }

    /// `stockyard state migrate --to URL`: moves the state to another backend, and proves the copy.
    struct StateMigrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "migrate",
            abstract: "Copy the state into another, empty one (a SQLite file into PostgreSQL), verified object by object.",
            discussion: """
                Copies everything the current state holds (stores, warehouses, connections, stock, sync marks, \
                pending pushes, the whole history, and the lineage, so that saved plans still apply) into the \
                target in one transaction. The target must be empty. Both states are locked while copying. Then \
                both are reloaded and compared object by object; any difference fails the command.

                The current state is left as it was: keep it as a backup, and point --state (or STOCKYARD_STATE) \
                at the target from now on. Put the password in PGPASSWORD rather than the URL to keep it out of \
                the process list and shell history.

                Examples:
                  stockyard state migrate --to postgres://stockyard@db.internal:5432/stockyard
                  stockyard state migrate --state .stockyard/state.sqlite --to 'postgres://stockyard@db:5432/stockyard?sslmode=require'
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: ArgumentHelp("The target: a postgres:// URL (or a SQLite file path).", valueName: "url"))
        var to: String
        @Option(help: ArgumentHelp("Wait this long for an apply's lock on either state (e.g. 30s). Default: fail at once.", valueName: "duration"))
        var lockTimeout: LockTimeout?

        func run() async throws {
            let from = stateOptions.stateLocation(configURL: configOptions.configURL)
            guard from != to else { throw CLIFailure.sameState }
            let source = try StateLocator.open(from, create: false)
            let report = try await source.closing {
                // Checked before the target is opened, so that nothing is created for nothing.
                guard try await StateLock.load(source).lineage != nil else {
                    throw CLIFailure.nothingToMigrate(state: StateLocator.describe(from))
                }
                let target = try StateLocator.open(to, create: true)
                return try await target.closing { try await migrate(from: source, to: target) }
            }
            try finish(report, from: from)
        }

        private func migrate(from source: any StateStore, to target: any StateStore) async throws -> StateMigration.Report {
            guard let importer = target as? any StateImporting else {
                throw CLIFailure.cannotMigrateInto(state: StateLocator.describe(to))
            }
            // Locked on both sides: no apply may write to the source mid-copy, or to the target.
            let command = "stockyard state migrate"
            let timeout = lockTimeout?.seconds ?? 0
            let sourceLock = try await StateLock.acquire(source, command: command, timeout: timeout)
            let targetLock: StateLock
            do {
                targetLock = try await StateLock.acquire(target, command: command, timeout: timeout)
            } catch {
                await sourceLock.release()
                throw error
            }
            do {
                let report = try await StateMigration.copy(from: source, to: importer)
                await targetLock.release()
                await sourceLock.release()
                return report
            } catch {
                await targetLock.release()
                await sourceLock.release()
                throw CLIFailure.migrationFailed(target: StateLocator.describe(to), reason: error)
            }
        }

        private func finish(_ report: StateMigration.Report, from: String) throws {
            let target = StateLocator.describe(to)
            guard report.isExact else {
                throw CLIFailure.copyDiffers(target: target, source: StateLocator.describe(from), differences: report.differences)
            }
            Terminal.writeOut("""
                Migrated \(StateLocator.describe(from)) to \(target).
                Copied and verified object by object: \(report.stores) stores, \(report.warehouses) warehouses, \
                \(report.connections) connections, \(report.stockRows) stock rows, \(report.syncMarks) sync marks, \(report.readMarks) read marks, \
                \(report.pendingPushes) pending pushes, \(report.historyEntries) history entries.
                Lineage \(report.lineage ?? "none") kept: saved plans still apply.
                Use --state \(target) (or STOCKYARD_STATE) from now on; keep the old state as a backup.

                """)
        }
    }

    /// `stockyard history`: the applied changes, newest first.
    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List applied changes, newest first.",
            discussion: """
                Example:
                  stockyard history --limit 20
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: "How many entries.") var limit: Int = 50
        @Option(help: "Output format: text or json.") var format: DiagnosticsFormat = .text

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() async throws {
            let store = try StateLocator.openForReading(stateOptions.stateLocation(configURL: configOptions.configURL))
            let entries: [HistoryEntry]
            do {
                entries = try await store.closing { try await store.history(limit: limit) }
            } catch {
                throw CLIFailure.failed(error)
            }
            switch format {
            case .json:
                Terminal.writeOut(JSONValue.array(entries.map(StateReport.json)).rendered())
            case .text:
                if entries.isEmpty { Terminal.writeOut("No changes have been applied.\n") }
                for e in entries {
                    Terminal.writeOut("\(e.time)  \(e.planID)  \(e.action.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0))  \(e.address)\n")
                }
            }
        }
    }
}

/// Renderings of the state and its history.
enum StateReport {
    static func text(_ state: HubState, lock: LockInfo?, path: String) -> String {
        var out = "State: \(path)\nLineage: \(state.lineage ?? "(none: nothing applied yet)")\n"
        if let lock { out += "Locked by `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since))\n" }
        out += "\nStores (\(state.stores.count)):\n"
        for key in state.stores.keys.sorted() {
            let s = state.stores[key]!
            out += "  \(key)  \(s.platform.rawValue)  \(s.target)\n"
        }
        out += "\nWarehouses (\(state.warehouses.count)):\n"
        for key in state.warehouses.keys.sorted() {
            let w = state.warehouses[key]!
            out += "  \(key)  \(w.kind.rawValue)  \(ConnectionAddress.quoted(w.name))\(w.code.map { "  code \($0)" } ?? "")\(w.protect ? "  protected" : "")  \(state.units(in: key)) units\n"
        }
        out += "\nConnections (\(state.connections.count)):\n"
        for id in state.connections.keys.sorted() {
            let c = state.connections[id]!
            out += "  \(c.displayName) -> \(c.warehouse)  \(c.master.rawValue) master\(c.protect ? "  protected" : "")\n"
        }
        return out
    }

    static func json(_ state: HubState, lock: LockInfo?) -> JSONValue {
        .object([
            ("lineage", .optional(state.lineage)),
            ("lock", lock.map { l in .object([("holder", .string(l.holder)), ("host", .string(l.host)), ("pid", .int(Int(l.pid))), ("since", .string(l.since)), ("command", .string(l.command))]) } ?? .null),
            ("stores", .array(state.stores.keys.sorted().map { JSONPlanRenderer.record(.store(state.stores[$0]!)) })),
            ("warehouses", .array(state.warehouses.keys.sorted().map { key in
                var object = JSONPlanRenderer.record(.warehouse(state.warehouses[key]!))
                if case .object(var pairs) = object { pairs.append(("units", .int(state.units(in: key)))); object = .object(pairs) }
                return object
            })),
            ("connections", .array(state.connections.keys.sorted().map { JSONPlanRenderer.record(.connection(state.connections[$0]!)) })),
        ])
    }

    static func json(_ e: HistoryEntry) -> JSONValue {
        .object([
            ("time", .string(e.time)), ("plan_id", .string(e.planID)), ("address", .string(e.address)), ("action", .string(e.action.rawValue)),
            ("before", e.before.map(JSONPlanRenderer.record) ?? .null), ("after", e.after.map(JSONPlanRenderer.record) ?? .null),
        ])
    }
}
