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
}
