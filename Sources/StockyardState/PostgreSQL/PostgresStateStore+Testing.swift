import Logging
import PostgresNIO
import StockyardEngine

extension PostgresStateStore {
    /// Runs raw SQL on a new connection of its own (so it works before the schema exists), for
    /// tests that fake what another Stockyard version or a hand edit would leave behind, and that
    /// create and drop their schemas. Internal: reachable only through `@testable import`.
    func executeRawSQL(_ sql: String) async throws {
        let connection = try await connect()
        do {
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            try await connection.close()
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// The first column of the first row of a raw query, as text, for the same tests.
    func fetchRawValue(_ sql: String) async throws -> String? {
        let connection = try await connect()
        do {
            var value: String?
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT (\(sql))::text"), logger: logger)
            for try await text in rows.decode(String?.self) where value == nil { value = text }
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
