import ArgumentParser
import Foundation

/// `--config`, shared by every command that reads the config file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("The config file.", valueName: "path"))
    var config: String = "stockyard.yaml"

    /// The config's absolute path; relative paths inside it resolve against its folder.
    var configURL: URL {
        URL(fileURLWithPath: config, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)).standardizedFileURL
    }
}

/// `--state`, shared by every command that reads or writes the hub's state.
struct StateOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The state: a SQLite file path or a postgres://USER:PASSWORD@HOST:PORT/DB URL. Default: $STOCKYARD_STATE, else .stockyard/state.sqlite beside the config.",
            valueName: "path-or-url"))
    var state: String?

    /// Where the state lives for a config at `configURL`.
    func stateLocation(configURL: URL) -> String {
        if let state, !state.isEmpty { return state }
        if let env = ProcessInfo.processInfo.environment["STOCKYARD_STATE"], !env.isEmpty { return env }
        return configURL.deletingLastPathComponent().appendingPathComponent(".stockyard/state.sqlite").path
    }
}

/// Output formats of diagnostics.
enum DiagnosticsFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// A user error: printed as `error: message`, exit 1.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
