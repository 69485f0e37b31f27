import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

/// The advisory lock's own behaviour: what a row alone could not do.
@Suite("The PostgreSQL apply lock", .enabled(if: PostgresTestServer.isWanted))
struct PostgresLockTests {
    let alice = LockInfo(holder: "alice-1", host: "ci-1", pid: 4242, since: "2025-01-02T03:04:05Z", command: "apply plan.json")
    let bob = LockInfo(holder: "bob-2", host: "laptop", pid: 7, since: "2025-01-02T03:05:00Z", command: "apply")

    @Test("a holder whose session died holds nothing: the next acquire wins and replaces its row")
    func deadHolder() async throws {
        try await withNewState(.postgres) { state throws in
            let crashed = try state.reopen(create: true)
            #expect(try await crashed.acquireLock(alice) == nil)
            // The process dies without releasing: its session ends, its row stays.
            await crashed.close()
            #expect(try await state.rawValue("SELECT holder FROM lock") == "alice-1")
            #expect(try await state.store.currentLock() == nil)
            #expect(try await state.store.acquireLock(bob) == nil)
            #expect(try await state.store.currentLock() == bob)
        }
    }

    @Test("state unlock clears a dead holder's row, and leaves a live holder's alone")
    func unlockClearsStaleRow() async throws {
        try await withNewState(.postgres) { state throws in
            let store = try #require(state.store as? PostgresStateStore)
            let crashed = try state.reopen(create: true)
            #expect(try await crashed.acquireLock(alice) == nil)
            #expect(try await store.clearStaleLock() == nil)
            #expect(try await state.rawValue("SELECT count(*) FROM lock") == "1")
            await crashed.close()
            #expect(try await afterSessionEnds { try await store.clearStaleLock() } == alice)
            #expect(try await state.rawValue("SELECT count(*) FROM lock") == "0")
            #expect(try await store.clearStaleLock() == nil)
            // releaseLock(holder: nil) clears a dead holder's row too.
            let again = try state.reopen(create: true)
            #expect(try await again.acquireLock(bob) == nil)
            await again.close()
            try await store.releaseLock(holder: nil)
            #expect(try await state.rawValue("SELECT count(*) FROM lock") == "0")
        }
    }

    @Test("a live holder whose row was cleared still holds the lock, and is still reported")
    func liveHolderWithoutRow() async throws {
        try await withNewState(.postgres) { state throws in
            #expect(try await state.store.acquireLock(alice) == nil)
            let other = try state.reopen(create: true)
            try await other.releaseLock(holder: nil)
            #expect(try await state.rawValue("SELECT count(*) FROM lock") == "0")
            let holder = try #require(try await other.acquireLock(bob))
            #expect(holder.holder == "unknown")
            #expect(holder.command.contains("lock record was removed"))
            #expect(try await other.currentLock()?.holder == "unknown")
            // The real holder can still write, and release.
            try await state.store.commit([.putStore(Sample.shopify)], history: nil)
            try await state.store.releaseLock(holder: "alice-1")
            #expect(try await other.acquireLock(bob) == nil)
        }
    }

    @Test("a holder whose lock session was cut off cannot write any more")
    func lostLockStopsWrites() async throws {
        try await withNewState(.postgres) { state throws in
            #expect(try await state.store.acquireLock(alice) == nil)
            try await state.store.commit([.putStore(Sample.shopify)], history: nil)
            let killed = try await state.rawValue(
                """
                SELECT count(pg_terminate_backend(pid)) FROM pg_locks
                WHERE locktype = 'advisory' AND objsubid = 2 AND (classid::bigint, objid::bigint) = (\(LockSession.keySQL))
                """
            )
            #expect(killed == "1")
            try await Task.sleep(for: .milliseconds(200))
            let error = await #expect(throws: StateError.self) {
                try await state.store.commit([.putStore(Sample.file)], history: nil)
            }
            #expect(error != nil)
            // Someone else may take over, and the write that was refused is not there.
            let other = try state.reopen(create: true)
            #expect(try await other.acquireLock(bob) == nil)
            #expect(try await other.load().stores.keys.sorted() == ["acme-uk"])
        }
    }

    @Test("states in two schemas of one database lock independently")
    func schemasAreIndependent() async throws {
        try await withNewState(.postgres) { first throws in
            try await withNewState(.postgres) { second throws in
                #expect(try await first.store.acquireLock(alice) == nil)
                #expect(try await second.store.acquireLock(bob) == nil)
                #expect(try await first.store.currentLock() == alice)
                #expect(try await second.store.currentLock() == bob)
            }
        }
    }
}

/// What `read` returns once it returns something, asked again for up to ten seconds: the server
/// ends a closed session (and drops its advisory lock) a moment after the socket closes, later
/// still on a busy machine.
private func afterSessionEnds<T: Sendable>(_ read: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + .seconds(10)
    while true {
        if let value = try await read() { return value }
        if ContinuousClock.now > deadline { return nil }
        try await Task.sleep(for: .milliseconds(50))
    }
}
