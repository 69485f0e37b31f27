import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("Creating a state file")
struct CreationTests {
    static func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test("a new state file is 0600, a folder it creates 0700, and so are SQLite's side files")
    func privateModes() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("deep/state/stockyard.db").path
            let store = try SQLiteStateStore(path: path, create: true)
            try store.commit([.putStore(Sample.shopify)], history: nil)
            #expect(try Self.mode(path) == 0o600)
            #expect(try Self.mode(dir.appendingPathComponent("deep/state").path) == 0o700)
            #expect(try Self.mode(dir.appendingPathComponent("deep").path) == 0o700)
            // Open, in WAL mode: the side files exist now, with the file's mode.
            for side in ["-wal", "-shm"] {
                #expect(try Self.mode(path + side) == 0o600, "\(side)")
            }
        }
    }

    @Test("a folder that already exists keeps its mode")
    func existingFolderKeepsItsMode() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path)
            _ = try SQLiteStateStore(path: dir.appendingPathComponent("state.db").path, create: true)
            #expect(try Self.mode(dir.path) == 0o755)
            #expect(try Self.mode(dir.appendingPathComponent("state.db").path) == 0o600)
        }
    }

    @Test("creation leaves only the state in the folder, and removes a draft a killed process left")
    func noDraftsLeft() throws {
        try withTemporaryDirectory { dir in
            // A pid that no process has: the draft's creator is gone.
            var dead: pid_t = 4_000_000
            while kill(dead, 0) == 0 || errno != ESRCH { dead -= 1 }
            let abandoned = dir.appendingPathComponent(".state.db.\(dead).0badf00d.creating").path
            #expect(FileManager.default.createFile(atPath: abandoned, contents: Data("half".utf8)))
            // One of a live process (this one) is another creation in progress: left alone.
            let live = dir.appendingPathComponent(".state.db.\(getpid()).feedface.creating").path
            #expect(FileManager.default.createFile(atPath: live, contents: Data()))
            do {
                let store = try SQLiteStateStore(path: dir.appendingPathComponent("state.db").path, create: true)
                #expect(try store.load().lineage != nil)
            }
            let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
            #expect(names == [".state.db.\(getpid()).feedface.creating", "state.db"])
        }
    }

    /// What a kill sees at any moment of a creation: the file is at its place whole, or not there.
    @Test("a state being created is never seen half-made")
    func creationIsAtomic() async throws {
        try await withTemporaryDirectoryAsync { dir in
            for round in 0..<30 {
                let path = dir.appendingPathComponent("\(round)/state.db").path
                let creating = Task.detached { try SQLiteStateStore(path: path, create: true) }
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline {
                    guard FileManager.default.fileExists(atPath: path) else { continue }
                    if try SQLiteStateStore(path: path, access: .read).load().lineage == nil {
                        Issue.record("round \(round): a reader saw the state at \(path) before it was whole")
                    }
                    break
                }
                _ = try await creating.value
            }
        }
    }

    @Test("a file a kill left with only an empty migrations table is a new state, not a foreign one")
    func halfMadeFileIsRecovered() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("state.db").path
            do {
                // What Stockyard 0.1 left when killed between GRDB's bookkeeping table and the schema.
                let store = try SQLiteStateStore(path: path, create: true)
                for table in ["read_marks", "meta", "stores", "warehouses", "connections", "stock", "sync_marks", "pending_pushes", "history", "lock"] {
                    try store.executeRawSQL("DROP TABLE IF EXISTS \(table)")
                }
                try store.executeRawSQL("DELETE FROM grdb_migrations")
                #expect(
                    try store.fetchRawValue("SELECT group_concat(name) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                        == "grdb_migrations")
            }
            // Read-only commands see an empty hub and change nothing...
            let reader = try SQLiteStateStore(path: path, access: .read)
            #expect(try reader.load() == .empty)
            #expect(try reader.history(limit: 5).isEmpty)
            // ...and the first command that writes makes it a whole state.
            let writer = try SQLiteStateStore(path: path, create: false)
            #expect(try writer.load().lineage != nil)
            try writer.commit([.putStore(Sample.shopify)], history: nil)
            #expect(try SQLiteStateStore(path: path, access: .read).load().stores.count == 1)
        }
    }

    @Test("a migrations table that records migrations, without the schema, is still refused")
    func migrationsWithoutSchemaAreRefused() throws {
        try withNewStore { store, path in
            try store.executeRawSQL("DROP TABLE meta")
            let error = #expect(throws: StateError.self) { try SQLiteStateStore(path: path, create: true) }
            #expect(error?.message.contains("is not a Stockyard state database") == true)
        }
    }
}

@Suite("Opening a state to read only")
struct ReadAccessTests {
    @Test("a missing file is an empty hub, and nothing is created")
    func missingFileIsNotCreated() throws {
        try withTemporaryDirectory { dir in
            let path = dir.appendingPathComponent("nested/state.db").path
            let store = try SQLiteStateStore(path: path, access: .read)
            #expect(try store.load() == .empty)
            #expect(try store.currentLock() == nil)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("nested").path))
        }
    }

    @Test("a state opened to read is read, and refuses writes")
    func readsAndRefusesWrites() throws {
        try withNewStore { store, path in
            try store.commit(Sample.seed, history: nil)
            let reader = try SQLiteStateStore(path: path, access: .read)
            #expect(try reader.load() == (try store.load()))
            let error = #expect(throws: StateError.self) { try reader.commit([.putStore(Sample.file)], history: nil) }
            #expect(error?.message == "state is read-only here: \(path) was opened to read only")
            #expect(throws: StateError.self) {
                try reader.acquireLock(LockInfo(holder: "a", host: "h", pid: 1, since: "now", command: "apply"))
            }
        }
    }

    @Test("a zero-byte file is an empty hub when read, and stays zero bytes")
    func zeroByteFileIsEmpty() throws {
        try withTemporaryDirectory { dir throws in
            let path = dir.appendingPathComponent("state.db").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            #expect(try SQLiteStateStore(path: path, access: .read).load() == .empty)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        }
    }
}
