import ArgumentParser

extension StockyardCommand {
    /// `stockyard state …`: look at and repair the hub's state.
    struct State: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "state",
            abstract: "Inspect the hub's state, release a dead lock, or move it.",
            discussion: """
                Examples:
                  stockyard state show
                  stockyard state unlock
                  stockyard state migrate --to postgres://stockyard@db.internal:5432/stockyard
                """,
            subcommands: [Show.self, Unlock.self, Migrate.self])
    }
}
