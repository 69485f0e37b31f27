import Foundation
import StockyardEngine

/// Shopify's bulk operations, for the one query Stockyard runs in bulk: a location's inventory
/// levels. `bulkOperationRunQuery` starts one (at most five at a time per shop from 2026-01, one
/// before), `node(id:)` reports its status, and once COMPLETED its JSONL result file is served over
/// HTTP: the location on the first line, then one line per inventory level with `__parentId`.
extension EmulatedShop {
    public struct BulkOperation: Sendable {
        public enum Ending: Sendable {
            case failed(errorCode: String)
            case canceled
        }

        var number: Int
        var locationLegacyID: Int
        /// The `inventoryLevels(query:)` of the bulk query, if it has one.
        var filter: String?
        var polls = 0
        var status = "CREATED"
        var ending: Ending?
        var errorCode: String?
        var result: Data?

        var gid: String { "gid://shopify/BulkOperation/\(number)" }
        var isRunning: Bool { status == "CREATED" || status == "RUNNING" }
    }

    /// Makes the next bulk operations end this way, one per entry.
    public func endNextBulkOperations(_ endings: [BulkOperation.Ending]) {
        bulkOutcomes += endings
    }

    /// How many status polls a bulk operation takes to finish.
    public func setBulkPollsToComplete(_ polls: Int) {
        bulkPollsToComplete = max(0, polls)
    }

    func setBulkBaseURL(_ url: String) {
        bulkBaseURL = url
    }

    /// The JSONL of a completed operation, for `GET /bulk/N.jsonl`.
    func bulkResult(_ number: Int) -> Data? {
        bulkOperations[number]?.result
    }

    var runningBulkOperations: Int { bulkOperations.values.filter(\.isRunning).count }

    func runBulkQuery(version: String, variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        guard let query = variables["query"] as? String else {
            return .failure(GraphQLFailure(message: "Variable $query of type String! was provided invalid value", code: "INVALID_VARIABLE"))
        }
        func userError(_ message: String, _ code: String) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
            .success(
                (
                    [
                        "bulkOperationRunQuery": [
                            "bulkOperation": NSNull(), "userErrors": [["field": ["query"], "message": message, "code": code]],
                        ] as [String: Any]
                    ], 0
                ))
        }
        // `location(id: "gid://shopify/Location/N") { … inventoryLevels { … } }`, the only bulk query served.
        guard query.contains("inventoryLevels"), let start = query.range(of: "location(id: \"gid://shopify/Location/"),
            let legacy = Int(query[start.upperBound...].prefix { $0.isNumber }),
            locations.contains(where: { $0.legacyID == legacy })
        else {
            return userError("Invalid bulk query: the emulator serves a location's inventoryLevels only.", "INVALID")
        }
        var filter: String?
        if let open = query.range(of: "inventoryLevels(query: \"") {
            guard let close = query[open.upperBound...].firstIndex(of: "\"") else {
                return userError("Invalid bulk query: an unterminated string.", "INVALID")
            }
            filter = String(query[open.upperBound..<close])
            if case .failure(let failure) = Self.levelFilters(filter) { return userError(failure.message, "INVALID") }
        }
        let limit = version >= "2026-01" || version == "unstable" ? 5 : 1
        guard runningBulkOperations < limit else {
            return userError("A bulk query operation for this app and shop is already in progress.", "OPERATION_IN_PROGRESS")
        }
        let operation = BulkOperation(
            number: nextBulkOperation, locationLegacyID: legacy, filter: filter, ending: bulkOutcomes.isEmpty ? nil : bulkOutcomes.removeFirst())
        nextBulkOperation += 1
        bulkOperations[operation.number] = operation
        stats.bulkOperationsStarted += 1
        stats.peakRunningBulkOperations = max(stats.peakRunningBulkOperations, runningBulkOperations)
        return .success(
            (
                [
                    "bulkOperationRunQuery": [
                        "bulkOperation": ["id": operation.gid, "status": operation.status], "userErrors": [] as [Any],
                    ] as [String: Any]
                ], 0
            ))
    }

    func bulkOperationNode(_ variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        guard let id = variables["id"] as? String, let number = Self.legacyID(id, kind: "BulkOperation"), var operation = bulkOperations[number] else {
            return .success((["node": NSNull()], 0))
        }
        if operation.isRunning {
            operation.polls += 1
            operation.status = "RUNNING"
            if operation.polls > bulkPollsToComplete {
                switch operation.ending {
                case .failed(let code)?:
                    operation.status = "FAILED"
                    operation.errorCode = code
                case .canceled?:
                    operation.status = "CANCELED"
                case nil:
                    operation.status = "COMPLETED"
                    operation.result = jsonl(location: operation.locationLegacyID, filter: operation.filter)
                }
            }
            bulkOperations[number] = operation
        }
        var node: [String: Any] = [
            "id": operation.gid, "status": operation.status, "errorCode": operation.errorCode ?? NSNull(),
            "objectCount": "\(operation.result.map { $0.split(separator: 0x0A).count } ?? 0)",
            "url": NSNull(), "partialDataUrl": NSNull(),
        ]
        if operation.status == "COMPLETED", let result = operation.result, !result.isEmpty {
            node["url"] = "\(bulkBaseURL)/bulk/\(number).jsonl"
        }
        return .success((["node": node], 0))
    }

    /// The location, then its levels (those the filter matches), one JSON object per line.
    func jsonl(location legacy: Int, filter: String? = nil) -> Data {
        let gid = "gid://shopify/Location/\(legacy)"
        let filters = (try? Self.levelFilters(filter).get()) ?? []
        var lines: [[String: Any]] = [["id": gid]]
        for (itemID, level) in (levels[legacy] ?? [:]).sorted(by: { $0.key < $1.key }) where filters.allSatisfy({ $0.matches(level.updatedAt) }) {
            lines.append([
                "id": "gid://shopify/InventoryLevel/\(legacy)?inventory_item_id=\(itemID)",
                "item": ["id": "gid://shopify/InventoryItem/\(itemID)", "sku": items[itemID]?.sku ?? NSNull()] as [String: Any],
                "quantities": [["name": "available", "quantity": level.available], ["name": "on_hand", "quantity": level.onHand]],
                "updatedAt": UTCTimestamp.string(from: level.updatedAt),
                "__parentId": gid,
            ])
        }
        var out = Data()
        for line in lines {
            out += (try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])) ?? Data()
            out.append(0x0A)
        }
        return out
    }
}
