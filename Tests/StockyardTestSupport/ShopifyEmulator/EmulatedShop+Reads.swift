import Foundation
import StockyardEngine

extension EmulatedShop {
    /// `locations(first:after:includeInactive:includeLegacy:sortKey: ID)`: edges, nodes and pageInfo.
    func locationsPage(_ document: String, _ variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        guard let first = variables["first"] as? Int else {
            return .failure(GraphQLFailure(message: "you must provide one of first or last", code: "argumentLiteralsIncompatible"))
        }
        guard (1...250).contains(first) else {
            return .failure(GraphQLFailure(message: "The maximum number of items that can be requested per page is 250.", code: "BAD_REQUEST"))
        }
        let includeInactive = document.contains("includeInactive: true")
        let includeLegacy = document.contains("includeLegacy: true")
        var list =
            locations
            .filter { (includeInactive || $0.isActive) && (includeLegacy || !$0.isLegacy) }
            .sorted { $0.legacyID < $1.legacyID }
        switch Self.position(after: variables["after"]) {
        case .failure(let failure): return .failure(failure)
        case .success(let last?): list = list.filter { $0.legacyID > last }
        case .success(nil): break
        }
        let page = Array(list.prefix(first))
        var edges: [[String: Any]] = page.map { ["cursor": Self.cursor($0.legacyID), "node": Self.node($0)] }
        for field in deniedLocationFields.sorted() where document.contains("\(field) {") || document.contains("\(field)\n") {
            for index in edges.indices {
                var node = edges[index]["node"] as! [String: Any]
                node[field] = NSNull()
                edges[index]["node"] = node
                var error = Self.error("Access denied for \(field) field.", code: "ACCESS_DENIED")
                error["path"] = ["locations", "edges", index, "node", field] as [Any]
                fieldErrors.append(error)
            }
        }
        return .success(
            (["locations": ["edges": edges, "pageInfo": Self.pageInfo(page.map(\.legacyID), more: list.count > first, after: variables["after"])]], page.count))
    }

    /// `location(id:) { inventoryLevels(first:after:) }`: `location` is null for an unknown id.
    /// `query:` filters by `updated_at`; `updatedAt` is in each node when the document asks for it.
    func inventoryLevelsPage(_ document: String, _ variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        guard let gid = variables["locationId"] as? String, let first = variables["first"] as? Int else {
            return .failure(GraphQLFailure(message: "Variable $locationId of type ID! was provided invalid value", code: "INVALID_VARIABLE"))
        }
        guard (1...250).contains(first) else {
            return .failure(GraphQLFailure(message: "The maximum number of items that can be requested per page is 250.", code: "BAD_REQUEST"))
        }
        guard let legacy = Self.legacyID(gid, kind: "Location"), let location = locations.first(where: { $0.legacyID == legacy }) else {
            return .success((["location": NSNull()], 0))
        }
        let filters: [TimeFilter]
        switch Self.levelFilters(variables["query"] as? String) {
        case .failure(let failure): return .failure(failure)
        case .success(let parsed): filters = parsed
        }
        var stocked = (levels[legacy] ?? [:]).filter { _, level in filters.allSatisfy { $0.matches(level.updatedAt) } }.sorted { $0.key < $1.key }
        let withTime = document.contains("updatedAt")
        switch Self.position(after: variables["after"]) {
        case .failure(let failure): return .failure(failure)
        case .success(let last?): stocked = stocked.filter { $0.key > last }
        case .success(nil): break
        }
        let page = Array(stocked.prefix(first))
        let edges: [[String: Any]] = page.map { itemID, level in
            var node: [String: Any] = [
                "id": "gid://shopify/InventoryLevel/\(legacy)?inventory_item_id=\(itemID)",
                "item": ["id": "gid://shopify/InventoryItem/\(itemID)", "sku": items[itemID]?.sku ?? NSNull()] as [String: Any],
                "quantities": [["name": "available", "quantity": level.available], ["name": "on_hand", "quantity": level.onHand]],
            ]
            if withTime { node["updatedAt"] = UTCTimestamp.string(from: level.updatedAt) }
            return ["cursor": Self.cursor(itemID), "node": node]
        }
        let connection: [String: Any] = ["edges": edges, "pageInfo": Self.pageInfo(page.map(\.key), more: stocked.count > first, after: variables["after"])]
        return .success((["location": ["id": location.gid, "inventoryLevels": connection]], page.count))
    }

    static func node(_ l: EmulatedLocation) -> [String: Any] {
        let a = l.address
        return [
            "id": l.gid,
            "legacyResourceId": "\(l.legacyID)",
            "name": l.name,
            "isActive": l.isActive,
            "fulfillsOnlineOrders": l.isActive,
            "isFulfillmentService": l.fulfillmentService != nil,
            "fulfillmentService": l.fulfillmentService.map { ["handle": $0.lowercased().replacingOccurrences(of: " ", with: "-"), "serviceName": $0] }
                ?? NSNull(),
            "address": [
                "address1": a?.address1 ?? NSNull(), "address2": a?.address2 ?? NSNull(), "city": a?.city ?? NSNull(),
                "zip": a?.zip ?? NSNull(), "countryCode": a?.countryCode ?? NSNull(),
            ] as [String: Any],
        ]
    }

    static func pageInfo(_ ids: [Int], more: Bool, after: Any?) -> [String: Any] {
        [
            "hasNextPage": more,
            "hasPreviousPage": after is String,
            "startCursor": ids.first.map(cursor) ?? NSNull(),
            "endCursor": ids.last.map(cursor) ?? NSNull(),
        ]
    }

    /// Opaque, like Shopify's: base64 of a small JSON object.
    static func cursor(_ id: Int) -> String {
        Data("{\"last_id\":\(id),\"last_value\":\"\(id)\"}".utf8).base64EncodedString()
    }

    /// The id a cursor stands for; `nil` for the first page.
    static func position(after: Any?) -> Result<Int?, GraphQLFailure> {
        guard let cursor = after as? String else { return .success(nil) }
        guard let data = Data(base64Encoded: cursor),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let id = object["last_id"] as? Int
        else { return .failure(GraphQLFailure(message: "Invalid cursor for current pagination sort.", code: "BAD_REQUEST")) }
        return .success(id)
    }
}
