import Foundation
import StockyardEngine
import Testing

@testable import StockyardState

/// How far sync has read each location (its read mark), and the sync marks a full read drops for
/// SKUs a location no longer stocks: the same on every backend.
@Suite("Read marks")
struct ReadMarkTests {
    static let mark = ReadMark(
        store: Sample.leedsLink.store, locationID: Sample.leedsLink.locationID,
        readThrough: Date(timeIntervalSince1970: 1_795_000_123.456), fullReadAt: Date(timeIntervalSince1970: 1_794_990_000))

    @Test("a read mark survives a commit and a reopen, to the millisecond, and a later one replaces it", arguments: Backend.all)
    func roundTrip(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed + [.setReadMark(Self.mark)], history: nil)
            #expect(try await store.load().readMarks == [Self.mark.id: Self.mark])
            #expect(try await state.reopen(create: false).load().readMarks == [Self.mark.id: Self.mark])
            var later = Self.mark
            later.readThrough = Date(timeIntervalSince1970: 1_795_000_423)
            try await store.commit([.setReadMark(later)], history: nil)
            #expect(try await store.load().readMarks == [later.id: later])
        }
    }

    @Test("a connection's read mark goes with it, and a mark for no connection is refused", arguments: Backend.all)
    func followsItsConnection(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            try await store.commit(Sample.seed + [.setReadMark(Self.mark)], history: nil)
            try await store.commit([.deleteConnection(Sample.leedsLink.id)], history: nil)
            #expect(try await store.load().readMarks.isEmpty)
            let orphan = ReadMark(store: "acme-uk", locationID: "gid://shopify/Location/99", readThrough: Date(), fullReadAt: Date())
            await #expect(throws: (any Error).self) { try await store.commit([.setReadMark(orphan)], history: nil) }
        }
    }

    @Test("removeSyncMarks forgets only the given SKUs", arguments: Backend.all)
    func removeSyncMarks(backend: Backend) async throws {
        try await withNewState(backend) { state throws in
            let store = state.store
            let id = Sample.leedsLink.id
            try await store.commit(Sample.seed + [.setSyncMarks(id, quantities: ["SKU-1": 3, "SKU-2": 4, "SKU-3": 5])], history: nil)
            try await store.commit([.removeSyncMarks(id, skus: ["SKU-2", "SKU-9"])], history: nil)
            #expect(try await store.load().syncMarks[id] == ["SKU-1": 3, "SKU-3": 5])
        }
    }
}
