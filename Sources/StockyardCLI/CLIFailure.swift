import Foundation
import StockyardEngine

/// Why a command stopped: every failure the CLI reports itself, worded once in ``description``.
/// Making one prints nothing; ``StockyardCommand/main()`` prints it, as `error: …` on stderr with
/// any token redacted, and exits 1.
enum CLIFailure: ReportableError {
    /// An error of the library (the state, the config file, a store) that says all there is to say.
    case failed(any Error)
    /// The trust policy refuses stores; each problem is `file:line:col: store 'key': …`.
    case storesRefused(problems: [String])
    case storeUnreadable(store: String)
    case outputExists(path: String)
    case cannotWrite(path: String, reason: String)
    case cannotIgnoreState(line: String, folder: String, reason: String)
    case noSuchStore(key: String, file: String, suggestion: String)
    case syncStopped(reason: String)

    // MARK: - Plan files
    case planUnwritable(path: String, reason: String)
    case planMissing(path: String)
    case planNotRegularFile(path: String)
    case planTooLarge(path: String, size: Int, limit: Int)
    case planUnreadable(path: String)
    case planUncheckable(path: String, errors: [String])
    case configChangedSincePlan(config: String, then: String, now: String)
    case planHasErrors(path: String)
    case planStateMissing(lineage: String, state: String)
    case planOtherState(lineage: String, current: String)
    /// The plan is stale against the state, or breaks a safety rail: every reason, in order.
    case applyRefused([PlanGuard.Refusal])
    case noTerminalToConfirm
    case applyCancelled

    // MARK: - The state and its lock
    case locked(LockInfo)
    case lockHolderRunning(LockInfo)
    case lockSessionStillHeld(LockInfo)
    case sameState
    case nothingToMigrate(state: String)
    case cannotMigrateInto(state: String)
    case migrationFailed(target: String, reason: any Error)
    /// The copy, reloaded, is not the original: at most 50 differences are listed.
    case copyDiffers(target: String, source: String, differences: [String])

    var fault: ErrorFault {
        switch self {
        case .failed(let error), .migrationFailed(_, let error):
            (error as? any ReportableError)?.fault ?? .user
        default:
            .user
        }
    }

    var description: String {
        switch self {
        case .failed(let error):
            "\(error)"
        case .storesRefused(let problems):
            "refusing to read the stores; nothing was read or sent:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        case .storeUnreadable(let store):
            "store '\(store)' cannot be read by this build"
        case .outputExists(let path):
            "\(path) already exists; pass --force to overwrite it"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        case .cannotIgnoreState(let line, let folder, let reason):
            "cannot add `\(line)` to the .gitignore beside \(folder): \(reason)"
        case .noSuchStore(let key, let file, let suggestion):
            "no store '\(key)' in \(file)\(suggestion)"
        case .syncStopped(let reason):
            "sync stopped: \(reason)"
        case .planUnwritable(let path, let reason):
            "cannot write the plan to \(path): \(reason)"
        case .planMissing(let path):
            "cannot read the plan file \(path): no such file"
        case .planNotRegularFile(let path):
            "\(path) is not a regular file; a plan file is what `stockyard plan --out FILE` wrote"
        case .planTooLarge(let path, let size, let limit):
            "\(path) is \(size) bytes, more than a plan file may be (\(limit) bytes); it is not a plan `stockyard plan --out` wrote"
        case .planUnreadable(let path):
            "cannot read the plan file \(path)"
        case .planUncheckable(let path, let errors):
            "cannot check \(path) against the config and the stores, so nothing was applied: " + errors.joined(separator: "; ")
        case .configChangedSincePlan(let config, let then, let now):
            "\(config) changed since the plan was made (sha256 \(then.prefix(12)) then, \(now.prefix(12)) now); make a new plan"
        case .planHasErrors(let path):
            "\(path) is a plan with errors; fix them and make a new plan"
        case .planStateMissing(let lineage, let state):
            "the plan was made against a state (lineage \(lineage)), but there is no state at \(state); check --state, or make a new plan; nothing was changed"
        case .planOtherState(let lineage, let current):
            "the plan was made against another state (lineage \(lineage)); this state is \(current)"
        case .applyRefused(let refusals):
            "refusing to apply; nothing was changed:"
                + refusals.map { "\n  - [\($0.kind.rawValue)] \($0.message)" }.joined()
                + (refusals.contains { $0.kind == .stale } ? "\nMake a new plan: the objects above changed since it was made." : "")
        case .noTerminalToConfirm:
            "refusing to apply without confirmation: there is no terminal to ask on; pass --auto-approve, or save the plan with `stockyard plan --out plan.json` and run `stockyard apply plan.json`"
        case .applyCancelled:
            "apply cancelled; nothing was changed"
        case .locked(let holder):
            "the state is locked by `\(holder.command)` (pid \(holder.pid) on \(holder.host), since \(holder.since)); wait for it, pass --lock-timeout, or if that process is gone run `stockyard state unlock`"
        case .lockHolderRunning(let lock):
            "the lock is held by `\(lock.command)` (pid \(lock.pid) on \(lock.host), since \(lock.since)), which is still running; wait for it, or pass --force if you are sure"
        case .lockSessionStillHeld(let lock):
            "cleared the lock record of `\(lock.command)` (pid \(lock.pid) on \(lock.host)), but its database session still holds the lock; it is released when that process ends"
        case .sameState:
            "the current state and --to are the same state"
        case .nothingToMigrate(let state):
            "nothing to migrate: the state at \(state) has never been written"
        case .cannotMigrateInto(let state):
            "\(state) cannot be migrated into"
        case .migrationFailed(let target, let reason):
            "migrating to \(target) failed: \(reason)"
        case .copyDiffers(let target, let source, let differences):
            "the copy in \(target) differs from \(source) after reloading both:\n"
                + differences.prefix(50).map { "  - \($0)\n" }.joined()
                + (differences.count > 50 ? "  … and \(differences.count - 50) more\n" : "")
                + "Keep using \(source); the copy was written but should not be used."
        }
    }

    /// What the CLI prints for it: one `error:` line (more for a list), tokens redacted, and for a
    /// bug in Stockyard a line that says so.
    var report: String {
        var text = "error: \(Redaction.redactTokens(in: description))\n"
        if fault == .bug {
            text += "note: this is a bug in Stockyard, not in the config, the state or a store; please report it with the command that was run\n"
        }
        return text
    }
}
