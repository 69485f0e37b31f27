import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardState

/// The state backends the shared tests run against: the in-memory store the engine's tests use and
/// SQLite always; PostgreSQL when `STOCKYARD_TEST_POSTGRES_URL` names a server (`.ci/postgres.sh`
/// starts one), and always on CI, where a missing server must fail the suite rather than quietly
/// test half of it.
enum Backend: String, Sendable, CustomTestStringConvertible {
    case memory, sqlite, postgres

    /// Every store: the contract all three are held to.
    static let all: [Backend] = [.memory] + databases
    /// The databases, for what only they have: raw rows, copying one state into another.
    static let databases: [Backend] = PostgresTestServer.isWanted ? [.sqlite, .postgres] : [.sqlite]

    var testDescription: String { rawValue }
}

enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["STOCKYARD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let onCI = ProcessInfo.processInfo.environment["CI"].map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false
    static var isWanted: Bool { url != nil || onCI }
    /// The test server's self-signed certificate, when it speaks TLS (`.ci/postgres.sh` with openssl).
    static let rootCertificate = ProcessInfo.processInfo.environment["STOCKYARD_TEST_POSTGRES_ROOTCERT"].flatMap { $0.isEmpty ? nil : $0 }

    /// The server's location, or a failure that says how to get one.
    static func location() throws -> PostgresLocation {
        guard let url else {
            throw TestSetupError(
                "CI is set but STOCKYARD_TEST_POSTGRES_URL is not: the PostgreSQL state tests need a server; run them through .ci/postgres.sh (as .ci/run does)"
            )
        }
        return try PostgresLocation(url: url)
    }

    /// A schema name no other test uses: tests run in parallel, and each gets a state of its own.
    static func uniqueSchema() -> String {
        "stockyard_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// A fresh, empty state for one test, and the means to open it again as another process would.
final class TestState: @unchecked Sendable {
    let backend: Backend
    /// The store the test starts with, opened with `create`.
    let store: any StateStore
    private let open: @Sendable (Bool) throws -> any StateStore
    private let lock = NSLock()
    private var opened: [any StateStore] = []

    init(backend: Backend, open: @escaping @Sendable (Bool) throws -> any StateStore) throws {
        self.backend = backend
        self.open = open
        self.store = try open(true)
        opened = [store]
    }

    /// Another store on the same state, as a second process would open it.
    func reopen(create: Bool) throws -> any StateStore {
        let store = try open(create)
        lock.withLock { opened.append(store) }
        return store
    }

    /// The first column of the first row of `sql`, as text, straight from the database.
    func rawValue(_ sql: String) async throws -> String? {
        switch store {
        case let sqlite as SQLiteStateStore: try sqlite.fetchRawValue(sql)
        case let postgres as PostgresStateStore: try await postgres.fetchRawValue(sql)
        default: nil
        }
    }

    /// Runs `sql` straight on the database, past every check: to damage a state on purpose.
    func executeRaw(_ sql: String) async throws {
        switch store {
        case let sqlite as SQLiteStateStore: try sqlite.executeRawSQL(sql)
        case let postgres as PostgresStateStore: try await postgres.executeRawSQL(sql)
        default: Issue.record("\(backend) has no SQL")
        }
    }

    func close() async {
        for store in lock.withLock({ opened }) {
            await store.close()
        }
    }
}

/// Runs `body` with a new state on `backend`: an in-memory store (which every reopening shares, as
/// processes share a file), a SQLite file in a temporary directory, or a PostgreSQL schema of its
/// own, dropped afterwards.
func withNewState<T>(_ backend: Backend, _ body: (TestState) async throws -> T) async throws -> T {
    switch backend {
    case .memory:
        let store = InMemoryStateStore(HubState(lineage: UUID().uuidString.lowercased()))
        return try await body(TestState(backend: backend) { _ in store })
    case .sqlite:
        return try await withTemporaryDirectoryAsync { dir in
            let path = dir.appendingPathComponent("state/stockyard.db").path
            let state = try TestState(backend: backend) { create in try SQLiteStateStore(path: path, create: create) }
            return try await body(state)
        }
    case .postgres:
        let server = try PostgresTestServer.location()
        let location = server.inSchema(PostgresTestServer.uniqueSchema())
        let state = try TestState(backend: backend) { create in try PostgresStateStore(location: location, create: create) }
        do {
            let result = try await body(state)
            await state.close()
            try await dropSchema(of: location, on: server)
            return result
        } catch {
            await state.close()
            try? await dropSchema(of: location, on: server)
            throw error
        }
    }
}

private func dropSchema(of location: PostgresLocation, on server: PostgresLocation) async throws {
    guard let schema = location.schema else { return }
    let admin = try PostgresStateStore(location: server, create: false)
    try await admin.executeRawSQL("DROP SCHEMA IF EXISTS \(PostgresSQL.identifier(schema)) CASCADE")
    await admin.close()
}
