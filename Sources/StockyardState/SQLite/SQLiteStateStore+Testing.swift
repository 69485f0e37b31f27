import GRDB
import StockyardEngine

extension SQLiteStateStore {
    /// Runs raw SQL against the file, for tests that must fake what another Stockyard version or a
    /// hand edit would leave behind. Internal: reachable only through `@testable import`.
    func executeRawSQL(_ sql: String) throws {
        guard let pool else { throw readOnlyError }
        try pool.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    /// The first column of the first row of a raw query, as text, for the same tests.
    func fetchRawValue(_ sql: String) throws -> String? {
        guard let reader else { return nil }
        return try reader.read { db in try String.fetchOne(db, sql: sql) }
    }
}
