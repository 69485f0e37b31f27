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
        return .failed(doing: doing, place: path, reason: error.localizedDescription)
    }

    static func map(_ error: DatabaseError, path: String, doing: String) -> StateError {
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB, .SQLITE_FORMAT:
            return .notStockyard(place: path, reason: message, hint: nil)
        case .SQLITE_CORRUPT:
            return .damaged(place: path, .corrupt(reason: message))
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(place: path, reason: message)
        case .SQLITE_READONLY, .SQLITE_PERM:
            return .cannotWrite(place: path, reason: message)
        case .SQLITE_CANTOPEN:
            return .cannotOpen(place: path, reason: message)
        default:
            return .failed(doing: doing, place: path, reason: message)
        }
    }
}
