import Foundation
import Hummingbird
// Hummingbird's own dependency, imported only to keep the emulator's server log quiet.
import Logging

/// A local stand-in for one shop's Admin GraphQL API, over real HTTP on loopback.
///
/// Serves `POST /admin/api/{version}/graphql.json` on 127.0.0.1 at a port the system picks, so
/// tests run in parallel without clashing and never reach past the machine. `shop` holds the
/// data, the token, the cost limit, the scheduled faults and the statistics.
public final class ShopifyEmulator: Sendable {
    public let shop: EmulatedShop
    public let port: Int
    private let server: Task<Void, any Error>

    /// The base URL to put in a store's `endpoint:`.
    public var endpoint: String { "http://127.0.0.1:\(port)" }

    private init(shop: EmulatedShop, port: Int, server: Task<Void, any Error>) {
        self.shop = shop
        self.port = port
        self.server = server
    }

    /// Starts a server and returns once it listens.
    public static func start(token: String, limits: CostLimits = .standard) async throws -> ShopifyEmulator {
        let shop = EmulatedShop(token: token, limits: limits)
        let router = Router()
        router.post("/admin/api/:version/graphql.json") { request, context -> Response in
            await shop.begin()
            do {
                let body = try await request.body.collect(upTo: 16 << 20)
                let reply = await shop.serve(
                    version: context.parameters.get("version") ?? "", token: request.headers[.init("X-Shopify-Access-Token")!],
                    body: Data(body.readableBytesView))
                if reply.delay > .zero { try await Task.sleep(for: reply.delay) }
                await shop.end()
                return Self.response(reply)
            } catch {
                await shop.end()
                throw error
            }
        }
        // A bulk operation's result file, where `node(id:)` says its `url` is (no token: the URL is the secret).
        router.get("/bulk/:file") { _, context -> Response in
            let file = context.parameters.get("file") ?? ""
            guard file.hasSuffix(".jsonl"), let number = Int(file.dropLast(6)), let data = await shop.bulkResult(number) else {
                return Response(status: .notFound)
            }
            var buffer = ByteBuffer()
            buffer.writeBytes(data)
            return Response(status: .ok, headers: [.contentType: "application/jsonl"], body: .init(byteBuffer: buffer))
        }
        let (bound, signal) = AsyncStream<Result<Int, any Error>>.makeStream()
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in signal.yield(.success(channel.localAddress?.port ?? 0)) },
            logger: Logger(label: "shopify-emulator", factory: { _ in SwiftLogNoOpLogHandler() }))
        let server = Task {
            do {
                try await app.run()
            } catch {
                signal.yield(.failure(error))
                throw error
            }
            signal.finish()
        }
        for await result in bound {
            let port = try result.get()
            guard port > 0 else { break }
            await shop.setBulkBaseURL("http://127.0.0.1:\(port)")
            return ShopifyEmulator(shop: shop, port: port, server: server)
        }
        server.cancel()
        throw EmulatorStartError()
    }

    /// Stops listening and waits until the server is gone.
    public func stop() async {
        server.cancel()
        _ = await server.result
    }

    static func response(_ reply: EmulatorReply) -> Response {
        var headers = HTTPFields()
        for (name, value) in reply.headers {
            headers[.init(name)!] = value
        }
        var buffer = ByteBuffer()
        buffer.writeBytes(reply.body)
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: buffer))
    }
}

struct EmulatorStartError: Error, CustomStringConvertible {
    var description: String { "the Shopify emulator did not start listening" }
}

extension ShopifyEmulator {
    /// Starts an emulator, runs `body` with it, and stops it whatever happens.
    public static func with<T: Sendable>(
        token: String, limits: CostLimits = .standard, _ body: (ShopifyEmulator) async throws -> T
    ) async throws -> T {
        let emulator = try await start(token: token, limits: limits)
        do {
            let value = try await body(emulator)
            await emulator.stop()
            return value
        } catch {
            await emulator.stop()
            throw error
        }
    }
}
