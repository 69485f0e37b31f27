import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("A new state, on every backend")
struct NewStateTests {
    @Test("create makes a lineage, and an empty hub", arguments: Backend.all)
    func createMakesLineage(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let loaded = try await state.store.load()
            let lineage = try #require(loaded.lineage)
            #expect(UUID(uuidString: lineage) != nil)
            #expect(loaded.contents == .empty)
        }
    }

    @Test("the lineage is stable across reopening, with or without create", arguments: Backend.all)
    func lineageIsStable(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            try await state.store.commit(Sample.seed, history: nil)
            let lineage = try await state.store.load().lineage
            #expect(lineage != nil)
            #expect(try await state.reopen(create: true).load().lineage == lineage)
            #expect(try await state.reopen(create: false).load().lineage == lineage)
        }
    }

    @Test("two new states get different lineages", arguments: Backend.all)
    func lineagesDiffer(backend: Backend) async throws {
        let first = try await withNewState(backend) { state in try await state.store.load().lineage }
        let second = try await withNewState(backend) { state in try await state.store.load().lineage }
        #expect(first != nil && second != nil && first != second)
    }

    @Test("a reader opened without create sees what a writer commits", arguments: Backend.all)
    func readerSeesWriter(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            _ = try await state.store.load()
            let reader = try state.reopen(create: false)
            #expect(try await reader.load().stores.isEmpty)
            try await state.store.commit([.putStore(Sample.shopify)], history: nil)
            #expect(try await reader.load().stores == ["acme-uk": Sample.shopify])
        }
    }
}

@Suite("Opening a state file")
struct OpeningTests {
    @Test("create makes the parent directory and the file")
    func createMakesFile() throws {
        try withNewStore { _, path in
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("a missing file without create is an empty hub and writes nothing")
    func missingFileIsEmptyHub() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("nested/state.db").path
            let store = try SQLiteStateStore(path: path, create: false)
            #expect(try store.load() == .empty)
            #expect(try store.load().lineage == nil)
            #expect(try store.history(limit: 10).isEmpty)
            #expect(try store.currentLock() == nil)
            try store.releaseLock(holder: nil)
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nested").path))
        }
    }

    @Test("writing to a missing file opened without create is refused")
    func missingFileIsReadOnly() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("state.db").path
            let store = try SQLiteStateStore(path: path, create: false)
            let commit = #expect(throws: StateError.self) { try store.commit([.putStore(Sample.shopify)], history: nil) }
            #expect(commit?.message.contains("read-only") == true)
            let lock = #expect(throws: StateError.self) {
                try store.acquireLock(LockInfo(holder: "a", host: "h", pid: 1, since: "now", command: "apply"))
            }
            #expect(lock?.message.contains("read-only") == true)
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test("the schema version is recorded")
    func schemaVersionRecorded() throws {
        try withNewStore { store, _ throws in
            #expect(try store.fetchRawValue("SELECT value FROM meta WHERE key = 'schema_version'") == "2")
            #expect(try store.fetchRawValue("SELECT group_concat(identifier) FROM grdb_migrations") == "v1,v2")
            #expect(try store.fetchRawValue("PRAGMA journal_mode") == "wal")
            #expect(try store.fetchRawValue("PRAGMA foreign_keys") == "1")
        }
    }

    @Test("a state of schema 1 (Stockyard 0.2) is migrated on open: its records kept, read marks added")
    func schemaOneIsMigrated() throws {
        try withNewStore { store, path in
            try store.commit(Sample.seed + [.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 4])], history: nil)
            let before = try store.load()
            try store.executeRawSQL("DROP TABLE read_marks")
            try store.executeRawSQL("DELETE FROM grdb_migrations WHERE identifier = 'v2'")
            try store.executeRawSQL("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            let reopened = try SQLiteStateStore(path: path, create: false)
            #expect(try reopened.fetchRawValue("SELECT value FROM meta WHERE key = 'schema_version'") == "2")
            #expect(try reopened.load() == before)
            let mark = ReadMark(store: Sample.leedsLink.store, locationID: Sample.leedsLink.locationID, readThrough: Date(), fullReadAt: Date())
            try reopened.commit([.setReadMark(mark)], history: nil)
            #expect(try reopened.load().readMarks == [mark.id: mark])
        }
    }

    @Test("a state of schema 1 is read by reading commands as it is: no read marks, nothing migrated")
    func schemaOneIsReadWithoutMigrating() throws {
        try withNewStore { store, path in
            try store.commit(Sample.seed + [.setSyncMarks(Sample.leedsLink.id, quantities: ["SKU-1": 4])], history: nil)
            let before = try store.load()
            try store.executeRawSQL("DROP TABLE read_marks")
            try store.executeRawSQL("DELETE FROM grdb_migrations WHERE identifier = 'v2'")
            try store.executeRawSQL("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
            let reader = try SQLiteStateStore(path: path, access: .read)
            #expect(try reader.load() == before)
            #expect(try reader.loadForPlan().connections == before.connections)
            #expect(try store.fetchRawValue("SELECT value FROM meta WHERE key = 'schema_version'") == "1")
            #expect(try store.fetchRawValue("SELECT count(*) FROM sqlite_master WHERE name = 'read_marks'") == "0")
        }
    }

    @Test("a state with a migration this build does not know is refused as newer")
    func unknownMigrationIsNewer() throws {
        try withNewStore { store, path in
            try store.commit(Sample.seed, history: nil)
            try store.executeRawSQL("INSERT INTO grdb_migrations (identifier) VALUES ('v3')")
            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: false) }
            #expect(error?.message == "the state at \(path) was written by a newer Stockyard (schema 3); upgrade Stockyard to use it")
            // Refused for writing too, and nothing was downgraded.
            #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: true) }
            #expect(try store.fetchRawValue("SELECT count(*) FROM grdb_migrations") == "3")
        }
    }

    @Test("a state with a higher schema_version is refused as newer")
    func higherSchemaVersionIsNewer() throws {
        try withNewStore { store, path in
            try store.executeRawSQL("UPDATE meta SET value = '7' WHERE key = 'schema_version'")
            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: true) }
            #expect(error?.message.contains("newer Stockyard (schema 7)") == true)
            #expect(error?.message.contains(path) == true)
        }
    }

    @Test(
        "a text file is refused with a clear message",
        arguments: [
            Data("stores:\n  acme: {}\n".utf8),
            Data((0..<4096).map { _ in UInt8.random(in: 0...255) }),
            Data(repeating: 0x53, count: 100_000),
        ])
    func corruptFileIsRefused(contents: Data) throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("state.db").path
            try contents.write(to: URL(fileURLWithPath: path))
            for create in [false, true] {
                let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: create) }
                #expect(error?.message.hasPrefix("the state at \(path) is not a Stockyard state database: ") == true)
            }
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == contents)
        }
    }

    @Test("an SQLite database that Stockyard did not write is refused")
    func foreignDatabaseIsRefused() throws {
        try withNewStore { store, path in
            try store.executeRawSQL("DROP TABLE grdb_migrations")
            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: true) }
            #expect(error?.message.contains("is not a Stockyard state database") == true)
        }
    }

    @Test("a directory is refused")
    func directoryIsRefused() throws {
        try withTemporaryDirectory { dir in
            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: dir.path, create: true) }
            #expect(error?.message.contains("is a directory") == true)
        }
    }

    @Test("an empty file is initialised as a new state")
    func emptyFileIsNewState() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("state.db").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let store = try SQLiteStateStore(path: path, create: false)
            #expect(try store.load().lineage != nil)
        }
    }
}

@Suite("Damaged state files")
struct DamageTests {
    @Test("a Stockyard state with damaged pages is reported as damaged, not crashed on")
    func damagedPages() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("state.db").path
            do {
                let store = try SQLiteStateStore(path: path, create: true)
                var mutations = Array(Sample.seed.prefix(4))
                for index in 0..<2_000 {
                    mutations.append(
                        .putConnection(
                            ConnectionRecord(
                                store: "acme-uk", locationID: "loc-\(index)", locationName: "Location number \(index)",
                                warehouse: "leeds", master: .store
                            )
                        )
                    )
                }
                try store.commit(mutations, history: nil)
            }
            // Closing the last connection checkpoints the WAL into the main file.
            #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
            var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            for index in stride(from: 4096 * 2, to: bytes.count, by: 7) { bytes[index] = 0x5A }
            try bytes.write(to: URL(fileURLWithPath: path))

            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: false).load() }
            #expect(error?.message.hasPrefix("the state at \(path) is damaged: ") == true)
        }
    }
}
