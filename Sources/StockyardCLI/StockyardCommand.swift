import ArgumentParser
import StockyardEngine

/// The `stockyard` command: inventory topology as code.
public struct StockyardCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "stockyard",
        abstract: "Manage multi-store inventory topology as code: stores, locations, warehouses and masters.",
        discussion: """
            Keep one stockyard.yaml in git. `stockyard validate` checks it, `stockyard plan` shows what \
            would change, `stockyard apply` makes it so.

            Exit codes: 0 success; 1 error; 2 success with changes (plan --detailed-exitcode); 64 usage error.

            Example:
              stockyard plan --config examples/demo/stockyard.yaml
            """,
        version: BuildVersion.line,
        subcommands: [Init.self, Validate.self, Plan.self, Graph.self, Show.self, Apply.self, Sync.self, Import.self, History.self, State.self]
    )

    public init() {}

    /// Runs the command the arguments name. The one place a command's failure is printed: a
    /// ``CLIFailure`` as `error: …` with exit code 1, anything else as swift-argument-parser
    /// reports it (usage errors, `--help`, exit codes).
    public static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch let failure as CLIFailure {
            Terminal.writeErr(failure.report)
            exit(withError: ExitCode(1))
        } catch {
            exit(withError: error)
        }
    }
}
