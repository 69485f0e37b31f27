import Foundation
import StockyardEngine
import StockyardTestSupport
import Testing

@testable import StockyardAdapters

@Suite struct ShopifyLifecycleTests {
    @Test("an adapter's HTTP client starts with its first request and ends with close()")
    func closeEndsTheClient() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            let leeds = await emulator.shop.addLocation("Leeds warehouse")
            let store = adapter(for: emulator, token: token)
            #expect(!store.http.isRunning, "nothing is started before a request")
            let ids = try await store.locations().map(\.id)
            #expect(ids == [leeds])
            #expect(store.http.isRunning)
            // Through the protocol, as the CLI closes it.
            let closable: any StoreAdapter = store
            await closable.close()
            #expect(!store.http.isRunning)
            // Closing twice is harmless.
            await store.close()
        }
    }

    @Test("a command's adapters are closed whether its work succeeded or threw")
    func closingAllClosesOnThrow() async throws {
        let token = makeToken()
        try await ShopifyEmulator.with(token: token) { emulator in
            _ = await emulator.shop.addLocation("Leeds warehouse")
            let store = adapter(for: emulator, token: token)
            struct Stop: Error {}
            await #expect(throws: Stop.self) {
                try await closingAll([store]) {
                    _ = try await store.locations()
                    throw Stop()
                }
            }
            #expect(!store.http.isRunning)
        }
    }
}
