import Foundation

extension EmulatedShop {
    static let reasons: Set<String> = [
        "correction", "cycle_count_available", "damaged", "movement_created", "movement_updated", "movement_received",
        "movement_canceled", "other", "promotion", "quality_control", "received", "reservation_created",
        "reservation_deleted", "reservation_updated", "restock", "safety_stock", "shrinkage",
    ]

    /// `inventorySetQuantities` as of 2026-04: `@idempotent` required, `changeFromQuantity` on every
    /// quantity (a number is compared, `null` opts out), all or nothing.
    func setQuantities(version: String, document: String, variables: [String: Any]) -> Result<(data: [String: Any], nodes: Int), GraphQLFailure> {
        let strict = version >= "2026-04" || version == "unstable"
        let key = Self.idempotencyKey(document, variables)
        if strict && (key ?? "").isEmpty {
            return .failure(GraphQLFailure(message: "The @idempotent directive with a key is required for inventorySetQuantities.", code: "BAD_REQUEST"))
        }
        guard let input = variables["input"] as? [String: Any], let quantities = input["quantities"] as? [[String: Any]] else {
            return .failure(
                GraphQLFailure(message: "Variable $input of type InventorySetQuantitiesInput! was provided invalid value", code: "INVALID_VARIABLE"))
        }
        if strict, let missing = quantities.firstIndex(where: { $0["changeFromQuantity"] == nil }) {
            return .failure(
                GraphQLFailure(
                    message: "quantities[\(missing)].changeFromQuantity must be given: the expected quantity, or null to skip the check.", code: "BAD_REQUEST"))
        }
        let fingerprint = (try? JSONSerialization.data(withJSONObject: input, options: [.sortedKeys])) ?? Data()
        if let key, let record = idempotency[key] {
            guard record.fingerprint == fingerprint else {
                return .success(
                    (
                        Self.payload(
                            group: nil,
                            errors: [
                                Self.userError(
                                    "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", ["input"],
                                    "The same idempotency key cannot be used with different operation parameters.")
                            ]), 0
                    ))
            }
            stats.idempotentReplays += 1
            return .success((record.data, 0))
        }
        let data = applyQuantities(input, quantities)
        if let key { idempotency[key] = (fingerprint, data) }
        return .success((data, 0))
    }

    /// Checks every quantity, then applies all of them or none.
    func applyQuantities(_ input: [String: Any], _ quantities: [[String: Any]]) -> [String: Any] {
        var errors: [[String: Any]] = []
        let name = input["name"] as? String ?? ""
        if name != "available" && name != "on_hand" {
            errors.append(Self.userError("INVALID_NAME", ["input", "name"], "The quantity name must be either 'available' or 'on_hand'."))
        }
        if !Self.reasons.contains(input["reason"] as? String ?? "") {
            errors.append(Self.userError("INVALID_REASON", ["input", "reason"], "The specified reason is invalid."))
        }
        var changes: [(location: Int, item: Int, quantity: Int)] = []
        var seen = Set<[Int]>()
        for (i, q) in quantities.enumerated() {
            let field = ["input", "quantities", "\(i)"]
            guard let location = (q["locationId"] as? String).flatMap({ Self.legacyID($0, kind: "Location") }),
                locations.contains(where: { $0.legacyID == location })
            else {
                errors.append(Self.userError("INVALID_LOCATION", field + ["locationId"], "The specified location could not be found."))
                continue
            }
            guard let item = (q["inventoryItemId"] as? String).flatMap({ Self.legacyID($0, kind: "InventoryItem") }), items[item] != nil else {
                errors.append(Self.userError("INVALID_INVENTORY_ITEM", field + ["inventoryItemId"], "The specified inventory item could not be found."))
                continue
            }
            guard let level = levels[location]?[item] else {
                errors.append(
                    Self.userError("ITEM_NOT_STOCKED_AT_LOCATION", field + ["inventoryItemId"], "The specified inventory item is not stocked at the location."))
                continue
            }
            guard let quantity = q["quantity"] as? Int else {
                errors.append(Self.userError("INVALID_QUANTITY_TOO_LOW", field + ["quantity"], "The quantity is invalid."))
                continue
            }
            guard seen.insert([location, item]).inserted else {
                errors.append(
                    Self.userError("NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR", field, "The combination of inventoryItemId and locationId must be unique."))
                continue
            }
            let current = name == "on_hand" ? level.onHand : level.available
            if let expected = q["changeFromQuantity"] as? Int, expected != current {
                errors.append(
                    Self.userError("CHANGE_FROM_QUANTITY_STALE", field + ["changeFromQuantity"], "The changeFromQuantity value does not match persisted value.")
                )
                continue
            }
            changes.append((location, item, quantity))
        }
        guard errors.isEmpty else { return Self.payload(group: nil, errors: errors) }
        for change in changes {
            var level = levels[change.location]![change.item]!
            let delta = change.quantity - (name == "on_hand" ? level.onHand : level.available)
            level.available += delta
            level.onHand += delta
            if delta != 0 { level.updatedAt = now() }
            levels[change.location]![change.item] = level
            if delta != 0 { stats.appliedWrites += 1 }
        }
        defer { nextAdjustmentGroup += 1 }
        return Self.payload(group: "gid://shopify/InventoryAdjustmentGroup/\(nextAdjustmentGroup)", errors: [])
    }

    static func payload(group: String?, errors: [[String: Any]]) -> [String: Any] {
        ["inventorySetQuantities": ["inventoryAdjustmentGroup": group.map { ["id": $0] } ?? NSNull(), "userErrors": errors] as [String: Any]]
    }

    static func userError(_ code: String, _ field: [String], _ message: String) -> [String: Any] {
        ["code": code, "field": field, "message": message]
    }

    /// The key of `@idempotent(key: $var)` or `@idempotent(key: "literal")`.
    static func idempotencyKey(_ document: String, _ variables: [String: Any]) -> String? {
        guard let start = document.range(of: "@idempotent(") else { return nil }
        let rest = document[start.upperBound...]
        guard let close = rest.firstIndex(of: ")") else { return nil }
        let argument = rest[..<close].trimmingCharacters(in: .whitespacesAndNewlines)
        guard argument.hasPrefix("key:") else { return nil }
        let value = argument.dropFirst(4).trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("$") { return variables[String(value.dropFirst())] as? String }
        if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { return String(value.dropFirst().dropLast()) }
        return nil
    }
}
