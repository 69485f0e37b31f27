import Foundation

/// An HTTP answer, built by the shop and written by the server after `delay`.
struct EmulatorReply: Sendable {
    var status: Int
    var headers: [String: String] = ["Content-Type": "application/json; charset=utf-8"]
    var body: Data
    var delay: Duration = .zero
}

/// A GraphQL `errors` answer in place of `data`.
struct GraphQLFailure: Error {
    var message: String
    var code: String
}

extension EmulatedShop {
    /// Serves one `POST /admin/api/{version}/graphql.json` the way Shopify does: faults first, then
    /// the token, then the cost limit, then the operation.
    func serve(version: String, token: String?, body: Data) -> EmulatorReply {
        stats.totalRequests += 1
        guard Self.isVersion(version) else { return Self.json(404, ["errors": "Not Found"]) }
        stats.apiVersions.insert(version)
        guard let request = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], let query = request["query"] as? String else {
            return Self.json(400, ["errors": ["query": "Required parameter missing or invalid"]])
        }
        let document = Self.stripComments(query)
        let variables = request["variables"] as? [String: Any] ?? [:]
        if let name = request["operationName"] as? String { stats.operationNames.insert(name) }
        let operation = Self.detect(document)
        stats.requests[operation, default: 0] += 1
        var delay = latency
        var lostStatus: Int?
        var cutOff = false
        if let fault = takeFault(operation, continuation: variables["after"] is String) {
            stats.injectedFaults += 1
            switch fault {
            case .throttled:
                return throttled(requested: cost(of: operation, variables).requested, injected: true)
            case .tooManyRequests(let retryAfter):
                var reply = Self.json(429, ["errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."])
                reply.headers["Retry-After"] = retryAfter
                return reply
            case .serverError(let status):
                return Self.html(status)
            case .slow(let extra):
                delay += extra
            case .malformedJSON:
                cutOff = true
            case .unauthorized:
                stats.unauthorizedResponses += 1
                return Self.unauthorized
            case .lostResponse(let status):
                lostStatus = status
            case .concurrentSale(let units, let sku, let location):
                if sellLanded(units, sku: sku, at: location) { stats.concurrentSales[sku, default: 0] += units }
            }
        }
        guard token == self.token else {
            stats.unauthorizedResponses += 1
            return Self.unauthorized
        }
        var reply = execute(operation, version: version, document: document, variables: variables)
        reply.headers["X-Shopify-API-Version"] = version
        if let lostStatus { reply = Self.html(lostStatus) }
        if cutOff { reply.body = reply.body.prefix(reply.body.count / 2) }
        reply.delay = delay
        return reply
    }

    /// Charges the bucket and runs the operation.
    func execute(_ operation: EmulatedOperation, version: String, document: String, variables: [String: Any]) -> EmulatorReply {
        let price = cost(of: operation, variables)
        refill()
        if price.requested > 1000 {
            return Self.json(
                200,
                [
                    "errors": [
                        Self.error("Query cost is \(Int(price.requested)), which exceeds the single query max cost limit (1000).", code: "MAX_COST_EXCEEDED")
                    ]
                ])
        }
        guard bucket >= price.requested else {
            stats.throttledResponses += 1
            return throttled(requested: price.requested, injected: false)
        }
        let result: Result<(data: [String: Any], nodes: Int), GraphQLFailure>
        switch operation {
        case .locations: result = locationsPage(document, variables)
        case .inventoryLevels: result = inventoryLevelsPage(document, variables)
        case .inventoryItems: result = inventoryItemsPage(document, variables)
        case .inventorySetQuantities: result = setQuantities(version: version, document: document, variables: variables)
        case .bulkOperationRunQuery: result = runBulkQuery(version: version, variables: variables)
        case .bulkOperation: result = bulkOperationNode(variables)
        case .unknown: result = .failure(GraphQLFailure(message: "Field doesn't exist on type 'QueryRoot'", code: "undefinedField"))
        }
        switch result {
        case .success(let (data, nodes)):
            let actual = price.base + Double(nodes) * price.perNode
            bucket -= actual
            stats.pointsConsumed += actual
            stats.points[operation, default: 0] += actual
            var answer: [String: Any] = ["data": data, "extensions": costExtension(requested: price.requested, actual: actual)]
            if !fieldErrors.isEmpty { answer["errors"] = fieldErrors }
            fieldErrors = []
            return Self.json(200, answer)
        case .failure(let failure):
            bucket -= price.base
            stats.pointsConsumed += price.base
            stats.points[operation, default: 0] += price.base
            return Self.json(
                200, ["errors": [Self.error(failure.message, code: failure.code)], "extensions": costExtension(requested: price.requested, actual: price.base)])
        }
    }

    /// Shopify's static cost: 2 per connection plus, per requested node, 1 for it and 1 per nested object.
    func cost(of operation: EmulatedOperation, _ variables: [String: Any]) -> (requested: Double, base: Double, perNode: Double) {
        let first = Double(variables["first"] as? Int ?? 0)
        switch operation {
        case .locations: return (2 + first * 3, 2, 3)
        case .inventoryLevels: return (3 + first * 3, 3, 3)
        // Per item: itself, its inventoryLevel and the level's quantities.
        case .inventoryItems: return (2 + first * 3, 2, 3)
        case .inventorySetQuantities: return (10, 10, 0)
        // A bulk query is one mutation (10 points), whatever it exports; polling its status is 1.
        case .bulkOperationRunQuery: return (10, 10, 0)
        case .bulkOperation: return (1, 1, 0)
        case .unknown: return (1, 1, 0)
        }
    }

    func refill() {
        let now = ContinuousClock.now
        let elapsed = now - bucketTime
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        bucket = min(limits.maximumAvailable, bucket + seconds * limits.restoreRate)
        bucketTime = now
    }

    func throttled(requested: Double, injected: Bool) -> EmulatorReply {
        // An injected throttle reports a bucket a fifth of a second short, so the wait it implies is short.
        let available = injected ? max(0, requested - limits.restoreRate * 0.2) : bucket
        return Self.json(
            200,
            [
                "errors": [Self.error("Throttled", code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits")],
                "extensions": [
                    "cost": [
                        "requestedQueryCost": Int(requested), "actualQueryCost": NSNull(),
                        "throttleStatus": throttleStatus(available: available),
                    ]
                ],
            ])
    }

    func costExtension(requested: Double, actual: Double) -> [String: Any] {
        ["cost": ["requestedQueryCost": Int(requested), "actualQueryCost": Int(actual), "throttleStatus": throttleStatus(available: bucket)]]
    }

    func throttleStatus(available: Double) -> [String: Any] {
        ["maximumAvailable": limits.maximumAvailable, "currentlyAvailable": Int(available.rounded(.down)), "restoreRate": limits.restoreRate]
    }

    func takeFault(_ operation: EmulatedOperation, continuation: Bool) -> ShopifyFault? {
        guard
            let i = faults.firstIndex(where: { scheduled in
                switch scheduled.target {
                case .anyRequest: return true
                case .operation(let target): return target == operation
                case .continuationPage: return continuation
                }
            })
        else { return nil }
        let fault = faults[i].fault
        faults[i].remaining -= 1
        if faults[i].remaining <= 0 { faults.remove(at: i) }
        return fault
    }

    // MARK: - Building answers

    static let unauthorized = json(401, ["errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"])

    static func json(_ status: Int, _ object: [String: Any]) -> EmulatorReply {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return EmulatorReply(status: status, body: body)
    }

    /// What a load balancer in front of Shopify sends for a 5xx: a page, not JSON.
    static func html(_ status: Int) -> EmulatorReply {
        EmulatorReply(
            status: status, headers: ["Content-Type": "text/html"],
            body: Data("<html><body><h1>\(status) Service Unavailable</h1></body></html>".utf8))
    }

    static func error(_ message: String, code: String, documentation: String? = nil) -> [String: Any] {
        var extensions: [String: Any] = ["code": code]
        if let documentation { extensions["documentation"] = documentation }
        return ["message": message, "extensions": extensions]
    }

    static func isVersion(_ v: String) -> Bool {
        let u = Array(v.utf8)
        return v == "unstable"
            || (u.count == 7 && u[4] == UInt8(ascii: "-") && u.enumerated().allSatisfy { $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) })
    }

    /// Which root field the document asks for. Not a GraphQL parser: the adapter's three documents are known.
    static func detect(_ document: String) -> EmulatedOperation {
        if document.contains("inventorySetQuantities(") { return .inventorySetQuantities }
        if document.contains("bulkOperationRunQuery(") { return .bulkOperationRunQuery }
        if document.contains("node(") && document.contains("BulkOperation") { return .bulkOperation }
        if document.contains("inventoryItems(") { return .inventoryItems }
        if document.contains("locations(") { return .locations }
        if document.contains("location(") && document.contains("inventoryLevels") { return .inventoryLevels }
        return .unknown
    }

    static func stripComments(_ document: String) -> String {
        document.split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.firstIndex(of: "#").map { line[..<$0] } ?? line }
            .joined(separator: "\n")
    }
}
