import ArgumentParser
import Foundation
import StockyardEngine
import StockyardState

extension StockyardCommand.State {
    /// `stockyard state show`: what the state holds.
    struct Show: AsyncParsableCommand {
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
}
