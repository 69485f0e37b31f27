import AsyncHTTPClient
import Foundation
import StockyardEngine

/// Reads one location's inventory levels whole through a Shopify bulk operation: start it
/// (`bulkOperationRunQuery`, 10 points), poll its status (1 point each) until it ends, then stream
/// its JSONL result file line by line. A 20,000-SKU location costs some 60,000 points read a page
/// at a time, and a few dozen this way.
///
/// Shopify runs at most five bulk queries at a time per shop from API version 2026-01 (one before):
/// `permits` keeps this process within that, and an operation another app holds is waited out.
/// A bulk operation that fails, is cancelled or expires is an error naming the location and why;
/// its partial data is never used. The result URL is fetched without the access token.
struct InventoryBulkReader: Sendable {
    let client: ShopifyClient
    let permits: AsyncSemaphore

    var settings: ShopifyStoreSettings { client.settings }
    var store: String { client.store }

    /// The most bulk queries one shop runs at once for an API version.
    static func concurrency(apiVersion: String) -> Int {
        apiVersion >= "2026-01" || apiVersion == "unstable" ? 5 : 1
    }

    /// The bulk query for one location. Bulk queries take no variables, so the id is written into
    /// the text, and only after it is checked to be a location id Shopify itself gave; `filter` is
    /// one Stockyard wrote (`updated_at:>='…'`), never text from outside.
    static func query(locationID: String, filter: String? = nil) -> String? {
        let prefix = "gid://shopify/Location/"
        guard locationID.hasPrefix(prefix), locationID.count > prefix.count,
            locationID.dropFirst(prefix.count).allSatisfy({ $0.isASCII && $0.isNumber }),
            filter?.allSatisfy({ $0.isASCII && $0 != "\"" && $0 != "\\" }) ?? true
        else { return nil }
        let arguments = filter.map { "(query: \"\($0)\")" } ?? ""
        return """
            { location(id: "\(locationID)") { id inventoryLevels\(arguments) { edges { node { id item { id sku } \
            quantities(names: ["available", "on_hand"]) { name quantity } updatedAt } } } } }
            """
    }

    func read(at locationID: String, filter: String? = nil) async throws -> [String: ShopifyStoreAdapter.StockedItem] {
        guard let query = Self.query(locationID: locationID, filter: filter) else {
            throw ShopifyError.noLocation(store: store, locationID: locationID)
        }
        return try await permits.withPermit {
            let deadline = ContinuousClock.now + settings.bulkTimeout
            let id = try await start(query, locationID: locationID, until: deadline)
            guard let url = try await awaitResult(id, locationID: locationID, until: deadline) else { return [:] }
            return try await download(url, locationID: locationID)
        }
    }

    /// Starts the operation; waits while the shop already runs as many as it allows.
    private func start(_ query: String, locationID: String, until deadline: ContinuousClock.Instant) async throws -> String {
        while true {
            guard let payload = try await client.send(.bulkRunQuery, BulkRunVariables(query: query), as: BulkRunData.self).bulkOperationRunQuery else {
                throw ShopifyError.noResult(store: store, what: "the bulk read")
            }
            if let operation = payload.bulkOperation, payload.userErrors.isEmpty { return operation.id }
            if payload.userErrors.contains(where: { $0.code == "OPERATION_IN_PROGRESS" }), ContinuousClock.now < deadline {
                try await Task.sleep(for: settings.bulkPollInterval)
                continue
            }
            let text = payload.userErrors.map(\.message).joined(separator: "; ")
            throw ShopifyError.bulkRefused(store: store, locationID: locationID, reason: client.token.scrub(text))
        }
    }

    /// Polls until the operation ends; its result URL, or nil when it exported nothing. The first
    /// polls come quickly (a small export is ready in moments), then every `bulkPollInterval`.
    private func awaitResult(_ id: String, locationID: String, until deadline: ContinuousClock.Instant) async throws -> String? {
        var pause = settings.bulkPollInterval / 16
        while true {
            guard let node = try await client.send(.bulkOperation, BulkOperationVariables(id: id), as: BulkOperationData.self).node else {
                throw ShopifyError.unknownBulkOperation(store: store, id: "\(id)")
            }
            switch node.status {
            case "COMPLETED":
                return node.url
            case "FAILED":
                throw ShopifyError.bulkFailed(store: store, locationID: locationID, code: node.errorCode.map { "\($0)" })
            case "CANCELED", "CANCELING":
                throw ShopifyError.bulkCancelled(store: store, locationID: locationID)
            case "EXPIRED":
                throw ShopifyError.bulkExpired(store: store, locationID: locationID)
            default:
                guard ContinuousClock.now < deadline else {
                    throw ShopifyError.bulkTimedOut(store: store, locationID: locationID, seconds: ShopifyThrottle.seconds(settings.bulkTimeout))
                }
                try await Task.sleep(for: pause)
                pause = min(pause * 2, settings.bulkPollInterval)
            }
        }
    }

    /// Streams the JSONL file, a line at a time; a download cut short is tried again from the start.
    private func download(_ url: String, locationID: String) async throws -> [String: ShopifyStoreAdapter.StockedItem] {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
            scheme == "https" || (scheme == "http" && ShopifyStoreSettings.isLoopback(host))
        else {
            throw ShopifyError.bulkURLNotHTTPS(store: store)
        }
        var failures = 0
        while true {
            do {
                return try await downloadOnce(url, locationID: locationID)
            } catch let error as TransportFailure {
                failures += 1
                guard failures < settings.retry.maxAttempts else {
                    throw ShopifyError.bulkDownloadFailed(store: store, locationID: locationID, reason: error.reason, attempts: failures)
                }
                try await Task.sleep(for: settings.retry.backoff(afterFailure: failures))
            }
        }
    }

    struct TransportFailure: Error {
        var reason: String
    }

    private func downloadOnce(_ url: String, locationID: String) async throws -> [String: ShopifyStoreAdapter.StockedItem] {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "User-Agent", value: "Stockyard")
        var items: [String: ShopifyStoreAdapter.StockedItem] = [:]
        var pending: [UInt8] = []
        do {
            let response = try await client.http.execute(request, timeout: .milliseconds(ShopifyClient.milliseconds(settings.bulkTimeout)))
            guard response.status.code == 200 else { throw TransportFailure(reason: "HTTP \(response.status.code)") }
            for try await buffer in response.body {
                pending.append(contentsOf: buffer.readableBytesView)
                var start = pending.startIndex
                while let newline = pending[start...].firstIndex(of: 0x0A) {
                    try take(pending[start..<newline], into: &items, locationID: locationID)
                    start = newline + 1
                }
                pending.removeFirst(start - pending.startIndex)
            }
        } catch let error as ShopifyError {
            throw error
        } catch let error as TransportFailure {
            throw error
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw TransportFailure(reason: "\(error)")
        }
        if !pending.isEmpty { try take(pending[...], into: &items, locationID: locationID) }
        return items
    }

    /// One line: the location (no `__parentId`), or one of its levels.
    private func take(_ line: ArraySlice<UInt8>, into items: inout [String: ShopifyStoreAdapter.StockedItem], locationID: String) throws {
        let bytes = Array(line)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { return }
        let level: BulkLevelLine
        do {
            try JSONPreflight.check(bytes)
            level = try JSONDecoder().decode(BulkLevelLine.self, from: Data(bytes))
        } catch {
            throw ShopifyError.bulkLineUnreadable(store: store, locationID: locationID, reason: client.token.scrub("\(error)"))
        }
        guard let parent = level.parentID else { return }
        guard parent == locationID, let item = level.item else {
            throw ShopifyError.bulkLineForeign(store: store, locationID: locationID, parent: parent)
        }
        let available = level.quantities?.first { $0.name == "available" }?.quantity
        try ShopifyStoreAdapter.record(item, available: available, changedAt: level.updatedAt, at: locationID, store: store, into: &items)
    }
}
