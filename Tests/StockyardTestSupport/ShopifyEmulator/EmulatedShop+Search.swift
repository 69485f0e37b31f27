import Foundation
import StockyardEngine

/// Shopify's search syntax (`query:` arguments), as far as the adapter uses it: `updated_at` with
/// a comparator and a quoted date on `inventoryLevels`, and `sku:"…"` terms joined by `OR` on
/// `inventoryItems`. Anything else is answered with an error, so a query the emulator does not
/// understand is never silently taken to match everything.
extension EmulatedShop {
    /// One `updated_at` comparison.
    struct TimeFilter {
        var comparator: String
        var instant: Date

        func matches(_ date: Date) -> Bool {
            // Shopify keeps `updatedAt` to the second, as it shows it.
            let t = date.timeIntervalSince1970.rounded(.down)
            let bound = instant.timeIntervalSince1970
            switch comparator {
            case ">": return t > bound
            case ">=": return t >= bound
            case "<": return t < bound
            case "<=": return t <= bound
            default: return t == bound
            }
        }
    }

    /// `updated_at:>='2026-11-30T10:00:00Z'`, several terms meaning AND; nil and empty match every level.
    static func levelFilters(_ query: String?) -> Result<[TimeFilter], GraphQLFailure> {
        guard let query, !query.trimmingCharacters(in: .whitespaces).isEmpty else { return .success([]) }
        var filters: [TimeFilter] = []
        for term in query.split(separator: " ") where term != "AND" {
            guard term.hasPrefix("updated_at:") else {
                return .failure(
                    GraphQLFailure(message: "Invalid search term '\(term)': the emulator filters inventoryLevels by updated_at only.", code: "BAD_REQUEST"))
            }
            var rest = term.dropFirst("updated_at:".count)
            var comparator = ""
            while let c = rest.first, c == ">" || c == "<" || c == "=" {
                comparator.append(c)
                rest = rest.dropFirst()
            }
            let quote = rest.first
            guard quote == "'" || quote == "\"", rest.count >= 2, rest.last == quote,
                let instant = parseTime(String(rest.dropFirst().dropLast()))
            else {
                return .failure(GraphQLFailure(message: "Invalid date in '\(term)': dates must be quoted ISO 8601.", code: "BAD_REQUEST"))
            }
            filters.append(TimeFilter(comparator: comparator, instant: instant))
        }
        return .success(filters)
    }

    static func parseTime(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    /// `sku:"A" OR sku:"B"` (double or single quotes, `\` escapes, or a bare word) → the SKUs.
    static func skuTerms(_ query: String) -> [String]? {
        var skus: [String] = []
        var chars = Substring(query)
        func skipSpaces() { while chars.first == " " { chars = chars.dropFirst() } }
        while true {
            skipSpaces()
            if chars.isEmpty { break }
            if chars.hasPrefix("OR ") {
                chars = chars.dropFirst(3)
                continue
            }
            guard chars.hasPrefix("sku:") else { return nil }
            chars = chars.dropFirst(4)
            var value = ""
            if let quote = chars.first, quote == "\"" || quote == "'" {
                chars = chars.dropFirst()
                var closed = false
                while let c = chars.first {
                    chars = chars.dropFirst()
                    if c == "\\", let next = chars.first {
                        value.append(next)
                        chars = chars.dropFirst()
                    } else if c == quote {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { return nil }
            } else {
                while let c = chars.first, c != " " {
                    value.append(c)
                    chars = chars.dropFirst()
                }
            }
            skus.append(value)
        }
        return skus
    }

    /// `inventoryItems(first:after:query:) { … inventoryLevel(locationId:) { … } }`, by item id.
    func inventoryItemsPage(_ document: String, _ variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        guard let first = variables["first"] as? Int, (1...250).contains(first) else {
            return .failure(GraphQLFailure(message: "The maximum number of items that can be requested per page is 250.", code: "BAD_REQUEST"))
        }
        guard let query = variables["query"] as? String, let skus = Self.skuTerms(query) else {
            return .failure(GraphQLFailure(message: "Invalid search: the emulator finds inventory items by sku only.", code: "BAD_REQUEST"))
        }
        let location = (variables["locationId"] as? String).flatMap { Self.legacyID($0, kind: "Location") }
        let wanted = Set(skus)
        var matching = items.values.filter { $0.sku.map(wanted.contains) ?? false }.map(\.id).sorted()
        switch Self.position(after: variables["after"]) {
        case .failure(let failure): return .failure(failure)
        case .success(let last?): matching = matching.filter { $0 > last }
        case .success(nil): break
        }
        let page = Array(matching.prefix(first))
        let edges: [[String: Any]] = page.map { itemID in
            var level: Any = NSNull()
            if let location, let l = levels[location]?[itemID] {
                level =
                    [
                        "quantities": [["name": "available", "quantity": l.available], ["name": "on_hand", "quantity": l.onHand]],
                        "updatedAt": UTCTimestamp.string(from: l.updatedAt),
                    ] as [String: Any]
            }
            return [
                "cursor": Self.cursor(itemID),
                "node": ["id": "gid://shopify/InventoryItem/\(itemID)", "sku": items[itemID]?.sku ?? NSNull(), "inventoryLevel": level] as [String: Any],
            ]
        }
        let connection: [String: Any] = ["edges": edges, "pageInfo": Self.pageInfo(page, more: matching.count > first, after: variables["after"])]
        return .success((["inventoryItems": connection], page.count))
    }
}
