import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("The apply lock")
struct LockTests {
    let alice = LockInfo(holder: "alice-1", host: "ci-1", pid: 4242, since: "2025-01-02T03:04:05Z", command: "apply plan.json")
    let bob = LockInfo(holder: "bob-2", host: "laptop", pid: 7, since: "2025-01-02T03:05:00Z", command: "apply")

    @Test("acquire, contend, release")
    func acquireContendRelease() throws {
        try withNewStore { store, path in
            #expect(try store.currentLock() == nil)
            #expect(try store.acquireLock(alice) == nil)
            #expect(try store.currentLock() == alice)

            // A second process (another store on the same file) is told who holds it.
            let other = try SQLiteStateStore(path: path, create: true)
            #expect(try other.acquireLock(bob) == alice)
            // The holder is not let in twice.
            #expect(try store.acquireLock(alice) == alice)

            // Someone else's release does nothing.
            try other.releaseLock(holder: "bob-2")
            #expect(try store.currentLock() == alice)

            try store.releaseLock(holder: "alice-1")
            #expect(try store.currentLock() == nil)
            #expect(try other.acquireLock(bob) == nil)
            #expect(try SQLiteStateStore(path: path, create: false).currentLock() == bob)
        }
    }

    @Test("releasing without a holder clears any lock (state unlock)")
    func forceRelease() throws {
        try withNewStore { store, _ in
            #expect(try store.acquireLock(alice) == nil)
            try store.releaseLock(holder: nil)
            #expect(try store.currentLock() == nil)
            try store.releaseLock(holder: nil)
        }
    }

    @Test("concurrent acquirers: exactly one wins")
    func concurrentAcquire() async throws {
        try await withTemporaryDirectoryAsync { dir in
            let path = dir.appendingPathComponent("state.db").path
            _ = try SQLiteStateStore(path: path, create: true)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        let store = try SQLiteStateStore(path: path, create: true)
                        let info = LockInfo(holder: "h\(index)", host: "h", pid: Int32(index), since: "now", command: "apply")
                        return try store.acquireLock(info) == nil
                    }
                }
                var count = 0
                for try await won in group where won { count += 1 }
                return count
            }
            #expect(winners == 1)
        }
    }
}

@Suite("The history")
struct HistoryTests {
    @Test("entries come back newest first, with their records")
    func orderAndContent() throws {
        try withNewStore { store, path in
            var renamed = Sample.leeds
            renamed.name = "Leeds Distribution"
            let entries = [
                Sample.history("store.acme-uk", .create, before: nil, after: .store(Sample.shopify)),
                Sample.history("warehouse.leeds", .create, before: nil, after: .warehouse(Sample.leeds)),
                Sample.history("warehouse.leeds", .update, before: .warehouse(Sample.leeds), after: .warehouse(renamed)),
                Sample.history(
                    #"connection.acme-uk["Leeds DC"]"#, .create, before: nil, after: .connection(Sample.leedsLink)
                ),
                Sample.history(
                    #"connection.acme-uk["Leeds DC"]"#, .delete, before: .connection(Sample.leedsLink), after: nil
                ),
            ]
            try store.commit([.putStore(Sample.shopify)], history: entries[0])
            try store.commit([.putWarehouse(Sample.leeds)], history: entries[1])
            try store.commit([.putWarehouse(renamed)], history: entries[2])
            try store.commit([.putConnection(Sample.leedsLink)], history: entries[3])
            try store.commit([.deleteConnection(Sample.leedsLink.id)], history: entries[4])

            #expect(try store.history(limit: 100) == entries.reversed())
            #expect(try store.history(limit: 2) == [entries[4], entries[3]])
            #expect(try store.history(limit: 0).isEmpty)
            #expect(try SQLiteStateStore(path: path, create: false).history(limit: 1) == [entries[4]])
        }
    }

    @Test("records are kept as sorted-key JSON")
    func sortedKeyJSON() throws {
        try withNewStore { store, _ in
            let entry = Sample.history("warehouse.leeds", .create, before: nil, after: .warehouse(Sample.leeds))
            try store.commit([.putWarehouse(Sample.leeds)], history: entry)
            let json = try store.fetchRawValue("SELECT after_json FROM history")
            #expect(json == #"{"code":"LDS","key":"leeds","kind":"own","name":"Leeds DC","protect":true}"#)
            #expect(try store.fetchRawValue("SELECT before_json IS NULL FROM history") == "1")
        }
    }

    @Test("a history entry without mutations is still recorded")
    func historyOnly() throws {
        try withNewStore { store, _ in
            let entry = Sample.history("store.acme-uk", .update, before: nil, after: nil)
            try store.commit([], history: entry)
            #expect(try store.history(limit: 5) == [entry])
        }
    }
}

/// The async twin of `withTemporaryDirectory`.
func withTemporaryDirectoryAsync<T>(_ body: (URL) async throws -> T) async throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("stockyard-state-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try await body(url)
}
