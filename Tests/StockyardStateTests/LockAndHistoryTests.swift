import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

@Suite("The apply lock")
struct LockTests {
    let alice = LockInfo(holder: "alice-1", host: "ci-1", pid: 4242, since: "2025-01-02T03:04:05Z", command: "apply plan.json")
    let bob = LockInfo(holder: "bob-2", host: "laptop", pid: 7, since: "2025-01-02T03:05:00Z", command: "apply")

    @Test("acquire, contend, release", arguments: Backend.all)
    func acquireContendRelease(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            #expect(try await store.currentLock() == nil)
            #expect(try await store.acquireLock(alice) == nil)
            #expect(try await store.currentLock() == alice)

            // A second process (another store on the same state) is told who holds it.
            let other = try state.reopen(create: true)
            #expect(try await other.acquireLock(bob) == alice)
            // The holder is not let in twice.
            #expect(try await store.acquireLock(alice) == alice)

            // Someone else's release does nothing.
            try await other.releaseLock(holder: "bob-2")
            #expect(try await store.currentLock() == alice)

            try await store.releaseLock(holder: "alice-1")
            #expect(try await store.currentLock() == nil)
            #expect(try await other.acquireLock(bob) == nil)
            #expect(try await state.reopen(create: false).currentLock() == bob)
        }
    }

    @Test("releasing without a holder clears any lock (state unlock)", arguments: Backend.all)
    func forceRelease(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            #expect(try await store.acquireLock(alice) == nil)
            try await store.releaseLock(holder: nil)
            #expect(try await store.currentLock() == nil)
            try await store.releaseLock(holder: nil)
        }
    }

    @Test("concurrent acquirers: exactly one wins", arguments: Backend.all)
    func concurrentAcquire(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            _ = try await state.store.load()
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for index in 0..<8 {
                    let store = try state.reopen(create: true)
                    group.addTask {
                        let info = LockInfo(holder: "h\(index)", host: "h", pid: Int32(index), since: "now", command: "apply")
                        return try await store.acquireLock(info) == nil
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
    @Test("entries come back newest first, with their records", arguments: Backend.all)
    func orderAndContent(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
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
            try await store.commit([.putStore(Sample.shopify)], history: entries[0])
            try await store.commit([.putWarehouse(Sample.leeds)], history: entries[1])
            try await store.commit([.putWarehouse(renamed)], history: entries[2])
            try await store.commit([.putConnection(Sample.leedsLink)], history: entries[3])
            try await store.commit([.deleteConnection(Sample.leedsLink.id)], history: entries[4])

            #expect(try await store.history(limit: 100) == entries.reversed())
            #expect(try await store.history(limit: 2) == [entries[4], entries[3]])
            #expect(try await store.history(limit: 0).isEmpty)
            #expect(try await state.reopen(create: false).history(limit: 1) == [entries[4]])
        }
    }

    @Test("records are kept as sorted-key JSON", arguments: Backend.databases)
    func sortedKeyJSON(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let entry = Sample.history("warehouse.leeds", .create, before: nil, after: .warehouse(Sample.leeds))
            try await store.commit([.putWarehouse(Sample.leeds)], history: entry)
            let json = try await state.rawValue("SELECT after_json FROM history")
            #expect(json == #"{"code":"LDS","key":"leeds","kind":"own","name":"Leeds DC","protect":true}"#)
            #expect(try await state.rawValue("SELECT count(*) FROM history WHERE before_json IS NULL") == "1")
        }
    }

    @Test("a history entry without mutations is still recorded", arguments: Backend.all)
    func historyOnly(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let entry = Sample.history("store.acme-uk", .update, before: nil, after: nil)
            try await store.commit([], history: entry)
            #expect(try await store.history(limit: 5) == [entry])
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
