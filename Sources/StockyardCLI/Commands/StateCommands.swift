import ArgumentParser
import Foundation
import StockyardEngine

extension StockyardCommand {
    /// `stockyard state …`: look at and repair the hub's state.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Inspect the hub's state, release a dead lock, or move it.",
            subcommands: [StateShow.self, StateUnlock.self])
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
            let store = try PlanService.openState(path: path, create: false)
            let state = try await StateLock.load(store)
            let lock = try? await store.currentLock()
            switch format {
            case .json: Terminal.writeOut(StateReport.json(state, lock: lock).rendered())
            case .text: Terminal.writeOut(StateReport.text(state, lock: lock, path: path))
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
            guard let lock = try? await store.currentLock() else {
                Terminal.writeErr("The state is not locked.\n")
                return
            }
            let here = ProcessInfo.processInfo.hostName
            if !force, lock.host == here, kill(lock.pid, 0) == 0 || errno == EPERM {
                throw CLIFailure.report("the lock is held by `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since)), which is still running; wait for it, or pass --force if you are sure")
            }
            do {
                try await store.releaseLock(holder: nil)
            } catch {
                throw CLIFailure.report("\(error)")
            }
            Terminal.writeErr("Released the lock of `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since)).\n")
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
            let store = try PlanService.openState(path: stateOptions.stateLocation(configURL: configOptions.configURL), create: false)
            let entries: [HistoryEntry]
            do {
                entries = try await store.history(limit: limit)
            } catch {
                throw CLIFailure.report("\(error)")
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
