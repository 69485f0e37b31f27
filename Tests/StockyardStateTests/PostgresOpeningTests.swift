import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

/// What only a PostgreSQL state does: lazy creation, schemas, migrations, and clear connection errors.
@Suite("Opening a PostgreSQL state", .enabled(if: PostgresTestServer.isWanted))
struct PostgresOpeningTests {
    /// A store on a schema nobody has created, and the server's own location, for raw checks.
    func freshSchema(create: Bool) throws -> (PostgresStateStore, PostgresStateStore) {
        let server = try PostgresTestServer.location()
        let store = try PostgresStateStore(location: server.inSchema(PostgresTestServer.uniqueSchema()), create: create)
        return (store, try PostgresStateStore(location: server, create: false))
    }

    @Test("without create, a state with no tables is an empty hub, and nothing is created")
    func readOnlyWhenFresh() async throws {
        let (store, admin) = try freshSchema(create: false)
        let schema = try #require(store.location.schema)
        #expect(try await store.load() == .empty)
        #expect(try await store.history(limit: 10).isEmpty)
        #expect(try await store.currentLock() == nil)
        try await store.releaseLock(holder: nil)
        let commit = await #expect(throws: StateError.self) { try await store.commit([.putStore(Sample.shopify)], history: nil) }
        #expect(commit?.message.contains("read-only") == true)
        let lock = await #expect(throws: StateError.self) {
            try await store.acquireLock(LockInfo(holder: "a", host: "h", pid: 1, since: "now", command: "apply"))
        }
        #expect(lock?.message.contains("read-only") == true)
        #expect(try await admin.fetchRawValue("SELECT count(*) FROM pg_namespace WHERE nspname = '\(schema)'") == "0")
        await store.close()
        await admin.close()
    }

    @Test("the schema version and migrations are recorded")
    func schemaRecorded() async throws {
        try await withNewState(.postgres) { state throws in
            _ = try await state.store.load()
            #expect(try await state.rawValue("SELECT value FROM meta WHERE key = 'schema_version'") == "2")
            #expect(try await state.rawValue("SELECT string_agg(identifier, ',' ORDER BY identifier) FROM schema_migrations") == "v1,v2")
            #expect(try await state.rawValue("SELECT count(*) FROM lock") == "0")
        }
    }

    @Test("a state of schema 1 (Stockyard 0.2) is migrated on open: its records kept, read marks added")
    func schemaOneIsMigrated() async throws {
        try await withNewState(.postgres) { state throws in
            let store = try #require(state.store as? PostgresStateStore)
            try await store.commit(Sample.seed + [.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 4])], history: nil)
            let before = try await store.load()
            try await store.executeRawSQL("DROP TABLE read_marks")
            try await store.executeRawSQL("DELETE FROM schema_migrations WHERE identifier = 'v2'")
            try await store.executeRawSQL("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            let reopened = try state.reopen(create: false)
            #expect(try await reopened.load() == before)
            #expect(try await state.rawValue("SELECT value FROM meta WHERE key = 'schema_version'") == "2")
            let mark = ReadMark(store: Sample.leedsLink.store, locationID: Sample.leedsLink.locationID, readThrough: Date(), fullReadAt: Date())
            try await reopened.commit([.setReadMark(mark)], history: nil)
            #expect(try await reopened.load().readMarks == [mark.id: mark])
        }
    }

    @Test("a state with a migration this build does not know, or a higher version, is refused as newer")
    func newerIsRefused() async throws {
        try await withNewState(.postgres) { state throws in
            let store = try #require(state.store as? PostgresStateStore)
            try await store.commit(Sample.seed, history: nil)
            try await store.executeRawSQL("INSERT INTO schema_migrations (identifier) VALUES ('v3')")
            for create in [false, true] {
                let error = await #expect(throws: StateError.self) { try await state.reopen(create: create).load() }
                #expect(error?.message == "the state at \(store.location) was written by a newer Stockyard (schema 3); upgrade Stockyard to use it")
            }
            try await store.executeRawSQL("DELETE FROM schema_migrations WHERE identifier = 'v3'")
            try await store.executeRawSQL("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
            let error = await #expect(throws: StateError.self) { try await state.reopen(create: true).load() }
            #expect(error?.message.contains("newer Stockyard (schema 7)") == true)
        }
    }

    @Test("a schema holding someone else's tables is refused, and left alone")
    func foreignIsRefused() async throws {
        let (store, admin) = try freshSchema(create: true)
        let name = try #require(store.location.schema)
        let schema = PostgresSQL.identifier(name)
        try await admin.executeRawSQL("CREATE SCHEMA \(schema)")
        try await admin.executeRawSQL("CREATE TABLE \(schema).orders (id int)")
        let error = await #expect(throws: StateError.self) { try await store.load() }
        #expect(error?.message.contains("is not a Stockyard state database: it holds tables Stockyard did not create") == true)
        #expect(try await admin.fetchRawValue("SELECT count(*) FROM pg_tables WHERE schemaname = '\(name)'") == "1")
        await store.close()
        try await admin.executeRawSQL("DROP SCHEMA \(schema) CASCADE")
        await admin.close()
    }

    @Test("stores created at the same moment agree on one state")
    func concurrentCreation() async throws {
        let location = try PostgresTestServer.location().inSchema(PostgresTestServer.uniqueSchema())
        let stores = try (0..<6).map { _ in try PostgresStateStore(location: location, create: true) }
        let lineages = try await withThrowingTaskGroup(of: String?.self) { group in
            for store in stores { group.addTask { try await store.load().lineage } }
            return try await group.reduce(into: Set<String?>()) { $0.insert($1) }
        }
        #expect(lineages.count == 1 && lineages.first! != nil)
        for store in stores { await store.close() }
        try await stores[0].executeRawSQL("DROP SCHEMA \(PostgresSQL.identifier(location.schema!)) CASCADE")
    }

    @Test("a wrong password is a clear error that does not contain it")
    func wrongPassword() async throws {
        var url = try #require(PostgresTestServer.url)
        let real = try PostgresTestServer.location()
        let wrong = "Wr0ng-p@ss-\(UUID().uuidString.prefix(8))"
        let encoded = wrong.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed)!
        url = url.replacingOccurrences(of: ":\(real.password!)@", with: ":\(encoded)@")
        let store = try PostgresStateStore(location: try PostgresLocation(url: url), create: true)
        let error = await #expect(throws: StateError.self) { try await store.load() }
        // The store's first connection is its own (`PostgresConnection.connect`), not the pool's,
        // which would retry for a minute and then report its own timeout: the server's answer in the
        // message below is what shows the first attempt failed and was reported. (A bound on the
        // time taken cannot show it: a loaded 2-core machine running the suite took 137 s.)
        let message = try #require(error?.message)
        #expect(
            message.contains("could not log in to PostgreSQL at \(real.host):\(real.port) (database '\(real.database)', user '\(real.username)')"), "\(message)"
        )
        #expect(message.contains("password authentication failed"), "\(message)")
        #expect(!message.contains(wrong) && !message.contains(encoded) && !message.contains(real.password!))
        await store.close()
    }

    @Test("nothing listening, a missing database, and TLS that cannot be had or trusted: each says so")
    func connectionFailures() async throws {
        let real = try PostgresTestServer.location()
        let password = try #require(real.password)
        func failure(_ url: String) async throws -> String {
            let store = try PostgresStateStore(location: try PostgresLocation(url: url), create: false)
            let error = await #expect(throws: StateError.self) { try await store.load() }
            await store.close()
            let message = try #require(error?.message)
            #expect(!message.contains(password))
            return message
        }
        let base = "postgres://\(real.username):\(password)@\(real.host)"
        let refused = try await failure("\(base):1/\(real.database)")
        #expect(refused.contains("could not connect to PostgreSQL at \(real.host):1"), "\(refused)")
        #expect(refused.lowercased().contains("refused"), "\(refused)")
        let missing = try await failure("\(base):\(real.port)/no_such_db_\(UUID().uuidString.prefix(6))")
        #expect(missing.contains("does not exist"), "\(missing)")
        if PostgresTestServer.rootCertificate == nil {
            let tls = try await failure("\(base):\(real.port)/\(real.database)?sslmode=require")
            #expect(tls.contains("does not accept TLS, but sslmode=require needs it"), "\(tls)")
        } else {
            let untrusted = try await failure("\(base):\(real.port)/\(real.database)?sslmode=verify-full")
            #expect(untrusted.contains("the server's TLS certificate is not trusted; name the CA"), "\(untrusted)")
        }
    }

    @Test(
        "TLS: require encrypts, verify-full checks the certificate against sslrootcert",
        .enabled(if: PostgresTestServer.rootCertificate != nil))
    func tls() async throws {
        let root = try #require(PostgresTestServer.rootCertificate)
        let url = try #require(PostgresTestServer.url)
        for query in ["sslmode=require", "sslmode=verify-ca&sslrootcert=\(root)", "sslmode=verify-full&sslrootcert=\(root)"] {
            let location = try PostgresLocation(url: "\(url)?\(query)").inSchema(PostgresTestServer.uniqueSchema())
            let store = try PostgresStateStore(location: location, create: true)
            try await store.commit([.putStore(Sample.shopify)], history: nil)
            #expect(try await store.load().stores == ["acme-uk": Sample.shopify], "\(query)")
            #expect(try await store.fetchRawValue("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()") == "true", "\(query)")
            try await store.executeRawSQL("DROP SCHEMA \(PostgresSQL.identifier(location.schema!)) CASCADE")
            await store.close()
        }
    }
}
