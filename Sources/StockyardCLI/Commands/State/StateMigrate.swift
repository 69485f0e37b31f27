import ArgumentParser
import Foundation
import StockyardEngine
import StockyardState

extension StockyardCommand.State {
    /// `stockyard state migrate --to URL`: moves the state to another backend, and proves the copy.
    struct Migrate: AsyncParsableCommand {
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
            Terminal.writeOut(
                """
                Migrated \(StateLocator.describe(from)) to \(target).
                Copied and verified object by object: \(report.stores) stores, \(report.warehouses) warehouses, \
                \(report.connections) connections, \(report.stockRows) stock rows, \(report.syncMarks) sync marks, \(report.readMarks) read marks, \
                \(report.pendingPushes) pending pushes, \(report.historyEntries) history entries.
                Lineage \(report.lineage ?? "none") kept: saved plans still apply.
                Use --state \(target) (or STOCKYARD_STATE) from now on; keep the old state as a backup.

                """)
        }
    }
}
