import Foundation
import GRDB
import StockyardEngine

/// Turns SQLite and encoding failures into ``StateError`` messages a user can act on.
///
/// Messages name the file and SQLite's own words, never the SQL arguments (which hold user data).
enum SQLiteErrors {
    static func map(_ error: any Error, path: String, doing: String) -> StateError {
        if let error = error as? StateError { return error }
        if let error = error as? DatabaseError { return map(error, path: path, doing: doing) }
        return StateError("\(doing) the state at \(path) failed: \(error.localizedDescription)")
    }

    static func map(_ error: DatabaseError, path: String, doing: String) -> StateError {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_FORMAT:
            return StateError("the state at \(path) is not a Stockyard state database: \(message)")
        case .SQLITE_CORRUPT:
            return StateError("the state at \(path) is damaged: \(message); restore it from a backup")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StateError("the state at \(path) is busy: another process kept it locked for too long (\(message))", isBusy: true)
        case .SQLITE_READONLY, .SQLITE_PERM:
            return StateError("the state at \(path) cannot be written: \(message)")
        case .SQLITE_CANTOPEN:
            return StateError("could not open the state at \(path): \(message)")
        default:
            return StateError("\(doing) the state at \(path) failed: \(message)")
        }
    }
}
