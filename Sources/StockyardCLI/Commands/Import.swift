import ArgumentParser
import Foundation
import StockyardAdapters
import StockyardConfig
import StockyardEngine

extension StockyardCommand {
    /// `stockyard import`: the config that describes the current state.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the config that describes the current state, so that plan shows no changes.",
            discussion: """
                The state keeps stores, warehouses and connections. What it does not keep (a Shopify \
                store's credentials reference, endpoint and api_version, trial dates, `unmanaged_locations`, \
                `safety` and `lint`) is carried over from --config when that file loads; otherwise Shopify \
                credentials default to env:KEY_SHOPIFY_TOKEN.

                Example:
                  stockyard import --state .stockyard/state.sqlite --output stockyard.yaml
                """)

        @OptionGroup var configOptions: ConfigOptions
        @OptionGroup var stateOptions: StateOptions
        @Option(help: ArgumentHelp("Write here instead of standard output.", valueName: "path")) var output: String?
        @Flag(help: "Overwrite the output file if it exists.") var force = false

        func run() async throws {
            let store = try StateLocator.openForReading(stateOptions.stateLocation(configURL: configOptions.configURL))
            let state = try await store.closing { try await StateLock.load(store) }
            // What the state does not keep (credentials, endpoints, trials, lint and safety settings)
            // comes from the current config, when there is one that loads.
            let current = (try? ConfigLoader.load(path: configOptions.configURL.path))?.config
            let text = ConfigWriter.write(ImportedConfig.make(from: state, keeping: current), options: .init(header: ImportedConfig.header))
            guard let output else {
                Terminal.writeOut(text)
                try ignoreState(besideConfigIn: configOptions.configURL.deletingLastPathComponent())
                return
            }
            if FileManager.default.fileExists(atPath: output) && !force {
                throw CLIFailure.outputExists(path: output)
            }
            try WriteFile.atomically(text, to: output, display: output)
            Terminal.writeErr("Wrote \(output).\n")
            try ignoreState(besideConfigIn: URL(fileURLWithPath: output).standardizedFileURL.deletingLastPathComponent())
        }
    }
}
