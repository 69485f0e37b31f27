import ArgumentParser
import Foundation
import StockyardEngine
import StockyardState

extension StockyardCommand.State {
    /// `stockyard state unlock`: releases the lock of an apply that is gone.
    struct Unlock: AsyncParsableCommand {
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
                    Terminal.writeErr(
                        "The state is not locked. Cleared the record left by `\(left.command)` (pid \(left.pid) on \(left.host), since \(left.since)), which ended without releasing its lock.\n"
                    )
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
}
