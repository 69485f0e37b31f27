import ArgumentParser
import Foundation
import StockyardEngine
import StockyardState

extension StockyardCommand {
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
