import AsyncHTTPClient
import Foundation
import Logging
import StockyardEngine

/// Sends GraphQL operations to one store's Admin API, and keeps at it the way Shopify asks:
/// paced by the leaky bucket, waiting out `Throttled` and 429, backing off from 5xx and timeouts.
/// A call either returns a whole, well-formed answer or throws one clear `ShopifyError`.
struct ShopifyClient: Sendable {
    let settings: ShopifyStoreSettings
    let url: String
    let token: ShopifyAccessToken
    let throttle: ShopifyThrottle
    let permits: AsyncSemaphore
    let http: HTTPClient
    let logger: Logger

    var store: String { settings.storeKey }

    /// What one HTTP exchange came to.
    enum Outcome<Payload: Sendable>: Sendable {
        case success(Payload)
        /// Shopify asked us to slow down: wait this long and send the same request again.
        case rateLimited(wait: Duration, reason: String)
        /// May pass: back off and try again, within the attempt budget.
        case transient(malformed: Bool, String)
        case failed(ShopifyError)
    }

    func send<Variables: Encodable & Sendable, Payload: Decodable & Sendable>(
        _ operation: ShopifyOperation, _ variables: Variables, as: Payload.Type = Payload.self
    ) async throws -> Payload {
        // Encoded once: every retry sends the same bytes, idempotency key included.
        let body = try JSONEncoder().encode(GraphQLRequestBody(query: operation.document, operationName: operation.operationName, variables: variables))
        let policy = settings.retry
        var failures = 0
        var rateLimits = 0
        while true {
            let limitedSoFar = rateLimits
            let outcome: Outcome<Payload> = try await permits.withPermit {
                let pause = await throttle.reserve(operation.operationName)
                if pause > .zero {
                    logger.debug("pacing before the next request", metadata: ["store": "\(store)", "seconds": "\(ShopifyThrottle.seconds(pause))"])
                    try await Task.sleep(for: pause)
                }
                return try await attempt(operation, body: body, rateLimits: limitedSoFar)
            }
            switch outcome {
            case .success(let payload):
                return payload
            case .rateLimited(let wait, let reason):
                rateLimits += 1
                guard rateLimits <= policy.maxThrottleWaits else {
                    throw ShopifyError.keptThrottling(store: store, reason: reason, waits: policy.maxThrottleWaits)
                }
                logger.notice("rate-limited; waiting", metadata: ["store": "\(store)", "reason": "\(reason)", "seconds": "\(ShopifyThrottle.seconds(wait))"])
                try await Task.sleep(for: wait)
            case .transient(let malformed, let reason):
                failures += 1
                guard failures < policy.maxAttempts else {
                    throw ShopifyError.gaveUp(store: store, malformed: malformed, reason: reason, attempts: failures)
                }
                let pause = policy.backoff(afterFailure: failures)
                logger.notice(
                    "request failed; retrying", metadata: ["store": "\(store)", "reason": "\(reason)", "seconds": "\(ShopifyThrottle.seconds(pause))"])
                try await Task.sleep(for: pause)
            case .failed(let error):
                throw error
            }
        }
    }

    /// One POST. Throws only when the task is cancelled; every other way it can end is an `Outcome`.
    private func attempt<Payload: Decodable & Sendable>(_ operation: ShopifyOperation, body: Data, rateLimits: Int) async throws -> Outcome<Payload> {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Stockyard")
        request.headers.add(name: "X-Shopify-Access-Token", value: token.value)
        request.body = .bytes(body)
        let timeout = settings.retry.requestTimeout
        let status: UInt
        let retryAfter: String?
        let bytes: Data
        do {
            let response = try await http.execute(request, timeout: .milliseconds(Self.milliseconds(timeout)))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            status = response.status.code
            retryAfter = response.headers.first(name: "Retry-After")
            if let served = response.headers.first(name: "X-Shopify-API-Version"), served != settings.apiVersion {
                logger.warning(
                    "Shopify answered with another API version", metadata: ["store": "\(store)", "asked": "\(settings.apiVersion)", "served": "\(served)"])
            }
            bytes = Data(buffer.readableBytesView)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .transient(malformed: false, describeTransportError(error, timeout: timeout))
        }
        return await interpret(status: status, retryAfter: retryAfter, bytes: bytes, operation: operation, rateLimits: rateLimits)
    }

    private func interpret<Payload: Decodable & Sendable>(
        status: UInt, retryAfter: String?, bytes: Data, operation: ShopifyOperation, rateLimits: Int
    ) async -> Outcome<Payload> {
        switch status {
        case 200:
            return await interpretGraphQL(bytes, operation: operation, rateLimits: rateLimits)
        case 401:
            return .failed(.tokenRejected(store: store))
        case 403:
            return .failed(.accessRefused(store: store))
        case 402:
            return .failed(.frozen(store: store))
        case 404:
            return .failed(.noAdminAPI(store: store, url: "\(url)"))
        case 423:
            return .failed(.shopLocked(store: store))
        case 429:
            let wait = Self.parseRetryAfter(retryAfter) ?? settings.retry.backoff(afterFailure: rateLimits + 1)
            guard wait <= settings.retry.maxRetryAfter else {
                return .failed(.askedToWait(store: store, seconds: Int(ShopifyThrottle.seconds(wait))))
            }
            return .rateLimited(wait: wait, reason: "HTTP 429")
        case 500...599:
            return .transient(malformed: false, "Shopify answered HTTP \(status)")
        case 300...399:
            return .failed(.redirected(store: store, status: status))
        default:
            return .failed(.httpStatus(store: store, status: status))
        }
    }

    private func interpretGraphQL<Payload: Decodable & Sendable>(_ bytes: Data, operation: ShopifyOperation, rateLimits: Int) async -> Outcome<Payload> {
        let envelope: GraphQLEnvelope<Payload>
        do {
            // The same strict JSON as every other input: a repeated key or a nesting that would
            // exhaust the stack is refused before `JSONDecoder` sees it.
            let raw = [UInt8](bytes)
            do {
                try JSONPreflight.check(raw)
            } catch {
                // A cut-off or garbled body: usually a proxy or a connection failing mid-answer.
                if error.kind == .syntax { return .transient(malformed: true, "Shopify sent a response that is not valid JSON") }
                return .failed(.notAcceptableJSON(store: store, operation: operation.operationName, reason: token.scrub(error.message), offset: error.offset))
            }
            envelope = try JSONDecoder().decode(GraphQLEnvelope<Payload>.self, from: bytes)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // A cut-off or garbled body: usually a proxy or a connection failing mid-answer.
            return .transient(malformed: true, "Shopify sent a response that is not valid JSON")
        } catch let error as DecodingError {
            return .failed(.unexpectedShape(store: store, operation: operation.operationName, reason: Self.describe(error)))
        } catch {
            return .failed(.unreadableAnswer(store: store, operation: operation.operationName, reason: token.scrub("\(error)")))
        }
        let cost = envelope.extensions?.cost
        if let errors = envelope.errors, !errors.isEmpty {
            if errors.contains(where: { $0.code == "THROTTLED" }) {
                let wait =
                    await throttle.waitAfterThrottle(cost, operation: operation.operationName)
                    ?? settings.retry.backoff(afterFailure: rateLimits + 1)
                // A little over the computed time, so the retry does not land just short of it.
                return .rateLimited(wait: wait + .milliseconds(50), reason: "Throttled")
            }
            await throttle.record(cost, operation: operation.operationName)
            let text = token.scrub(errors.prefix(3).map(\.message).joined(separator: "; "))
            if errors.contains(where: { $0.code == "INTERNAL_SERVER_ERROR" }) {
                return .transient(malformed: false, "Shopify reported an internal error: \(text)")
            }
            if errors.contains(where: { $0.code == "ACCESS_DENIED" }) {
                return .failed(.accessDenied(store: store, reason: text, scope: "\(operation.scope)"))
            }
            return .failed(.refused(store: store, operation: operation.operationName, reason: text))
        }
        await throttle.record(cost, operation: operation.operationName)
        guard let data = envelope.data else {
            return .failed(.noData(store: store, operation: operation.operationName))
        }
        return .success(data)
    }

    private func describeTransportError(_ error: any Error, timeout: Duration) -> String {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout {
                return "Shopify did not answer within \(Self.wholeSeconds(timeout))"
            }
            if e == .connectTimeout {
                return "could not connect to \(url) (timed out)"
            }
            if e == .remoteConnectionClosed {
                return "Shopify closed the connection before answering"
            }
        }
        let text = String(describing: error)
        let host = URL(string: url).map { u in u.port.map { "\(u.host ?? ""):\($0)" } ?? (u.host ?? url) } ?? url
        // NIO's errors are not public types here; their text is enough to tell the common cases apart.
        if text.contains("Connection refused") { return "could not connect to \(host) (connection refused)" }
        if ["UnknownHost", "Name or service not known", "nodename nor servname", "NXDOMAIN"].contains(where: text.contains) {
            return "could not find \(host) (the name does not resolve); check `shop` and `endpoint`"
        }
        if text.lowercased().contains("ssl") || text.lowercased().contains("tls") || text.contains("certificate") {
            return "could not set up a secure connection to \(host): \(token.scrub(text))"
        }
        return "could not reach \(host): \(token.scrub(text))"
    }

    /// `Retry-After` in seconds (Shopify sends `2.0`), or as an HTTP date.
    static func parseRetryAfter(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds.isFinite, seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    static func wholeSeconds(_ d: Duration) -> String {
        let ms = milliseconds(d)
        return ms % 1000 == 0 ? "\(ms / 1000) s" : String(format: "%.1f s", Double(ms) / 1000)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(path(context.codingPath + [key]))"
        case .valueNotFound(_, let context): return "\(path(context.codingPath)) is null"
        case .typeMismatch(_, let context): return "\(path(context.codingPath)) has the wrong type"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
