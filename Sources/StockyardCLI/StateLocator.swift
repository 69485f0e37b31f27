import Foundation
import StockyardEngine
import StockyardState

/// Opens the state a `--state` value (or `STOCKYARD_STATE`) names.
enum StateLocator {
    static func open(_ location: String, create: Bool) throws -> any StateStore {
        do {
            return try SQLiteStateStore(path: location, create: create)
        } catch {
            throw CLIFailure.report(error.message)
        }
    }
}
