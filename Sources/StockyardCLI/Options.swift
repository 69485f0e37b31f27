import ArgumentParser
import Foundation
import StockyardAdapters

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

/// What the operator allows a config to reach, given outside the config: shared by every command
/// that reads or writes a store (plan, apply, sync, init). A config may come from anyone who can
/// open a pull request; these flags and variables come from whoever runs the pipeline.
struct TrustOptions: ParsableArguments {
    @Option(
        name: .customLong("allow-endpoint"),
        help: ArgumentHelp(
            "Allow a store's `endpoint:` to send requests to this base URL instead of https://SHOP (repeatable; also $STOCKYARD_ALLOWED_ENDPOINTS, comma-separated).",
            valueName: "url"))
    var allowedEndpoints: [String] = []

    @Option(
        name: .customLong("credentials-dir"),
        help: ArgumentHelp(
            "Allow `credentials: file:` to read inside this folder besides the config's folder, e.g. /run/secrets (repeatable). Names of env: credentials other than *SHOPIFY* come from $STOCKYARD_CREDENTIAL_ENV.",
            valueName: "dir"))
    var credentialDirectories: [String] = []

    @Option(
        name: .customLong("allow-path"),
        help: ArgumentHelp("Allow `file` stores to read and write inside this folder besides the config's folder (repeatable).", valueName: "dir"))
    var allowedPaths: [String] = []

    func validate() throws {
        for endpoint in allowedEndpoints where TrustPolicy.normalizedEndpoint(endpoint) == nil {
            throw ValidationError("--allow-endpoint must be an http:// or https:// base URL (no user, query or fragment), not '\(endpoint)'")
        }
        // A typo in the variable would otherwise quietly allow nothing.
        let listed = ProcessInfo.processInfo.environment[TrustPolicy.endpointsVariable] ?? ""
        for entry in listed.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            if TrustPolicy.normalizedEndpoint(entry) == nil {
                throw ValidationError(
                    "\(TrustPolicy.endpointsVariable) holds '\(entry)', which is not an http:// or https:// base URL (no user, query or fragment)")
            }
        }
    }

    /// The flags plus the operator's environment. Relative folders are taken from the working directory.
    var policy: TrustPolicy {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        func absolute(_ path: String) -> String { URL(fileURLWithPath: path, relativeTo: here).standardizedFileURL.path }
        return TrustPolicy.operatorChoice(
            allowEndpoints: allowedEndpoints, credentialDirectories: credentialDirectories.map(absolute),
            storeDirectories: allowedPaths.map(absolute))
    }
}
