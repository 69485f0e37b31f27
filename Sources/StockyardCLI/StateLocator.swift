import Foundation
import StockyardEngine
import StockyardState

/// Opens the state a `--state` value (or `STOCKYARD_STATE`) names: a `postgres://` or
/// `postgresql://` URL is a PostgreSQL state (for teams), anything else a SQLite file path.
enum StateLocator {
    static func open(_ location: String, create: Bool) throws -> any StateStore {
        try open(location, access: create ? .create : .write)
    }

    /// Opens the state for the commands that only read it (`plan`, `state show`, `history`): a
    /// SQLite file is opened read-only, so an immutable or unwritable state can still be read, and a
    /// missing one is not created. A PostgreSQL state opened without create never writes unless
    /// it must migrate an older schema.
    static func openForReading(_ location: String) throws -> any StateStore {
        try open(location, access: .read)
    }

    private static func open(_ location: String, access: SQLiteStateStore.Access) throws -> any StateStore {
        do {
            if PostgresLocation.matches(location) {
                return try PostgresStateStore(location: try PostgresLocation(url: location), create: access == .create)
            }
            return try SQLiteStateStore(path: location, access: access)
        } catch {
            throw CLIFailure.failed(error)
        }
    }

    /// How output names a state: a path as given, a URL without its password (a `--state` value
    /// often ends up in CI logs and pull-request comments).
    static func describe(_ location: String) -> String {
        guard PostgresLocation.matches(location) else { return location }
        return (try? PostgresLocation(url: location))?.description ?? "a PostgreSQL state (the URL is not valid)"
    }
}
