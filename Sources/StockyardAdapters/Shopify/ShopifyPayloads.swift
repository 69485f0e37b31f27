import StockyardEngine

/// What each operation's `data` holds, decoded only as far as Stockyard needs it.

struct PageVariables: Encodable, Sendable {
    var first: Int
    var after: String?

    enum CodingKeys: String, CodingKey { case first, after }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(first, forKey: .first)
        try c.encode(after, forKey: .after)
    }
}

struct LocationsData: Decodable, Sendable {
    struct Node: Decodable, Sendable {
        struct Address: Decodable, Sendable {
            var address1: String?
            var address2: String?
            var city: String?
            var zip: String?
            var countryCode: String?
        }

        var id: String
        var name: String
        var isActive: Bool
        var isFulfillmentService: Bool?
        var address: Address?

        var storeLocation: StoreLocation {
            StoreLocation(
                id: id, name: name, isActive: isActive,
                isFulfillmentService: isFulfillmentService ?? false,
                address: address.map {
                    PostalAddress(address1: $0.address1, address2: $0.address2, city: $0.city, zip: $0.zip, countryCode: $0.countryCode)
                })
        }
    }

    var locations: Connection<Node>
}

struct InventoryLevelsVariables: Encodable, Sendable {
    var locationId: String
    var first: Int
    var after: String?
    /// A search filter (`updated_at:>='…'`), or null for every level.
    var query: String?

    enum CodingKeys: String, CodingKey { case locationId, first, after, query }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(locationId, forKey: .locationId)
        try c.encode(first, forKey: .first)
        try c.encode(after, forKey: .after)
        try c.encode(query, forKey: .query)
    }
}

struct InventoryLevelsData: Decodable, Sendable {
    struct Level: Decodable, Sendable {
        struct Item: Decodable, Sendable {
            var id: String
            var sku: String?
        }

        struct Quantity: Decodable, Sendable {
            var name: String
            var quantity: Int
        }

        var item: Item
        var quantities: [Quantity]
        /// ISO 8601, as Shopify writes `DateTime`.
        var updatedAt: String?

        var available: Int? { quantities.first { $0.name == "available" }?.quantity }
    }

    struct Location: Decodable, Sendable {
        var id: String
        var inventoryLevels: Connection<Level>
    }

    /// `null` when no location has the id.
    var location: Location?
}

struct SetQuantitiesVariables: Encodable, Sendable {
    struct Input: Encodable, Sendable {
        var name = "available"
        /// Stockyard writes the numbers of the source of truth: a correction, in Shopify's reasons.
        var reason = "correction"
        var quantities: [Quantity]
    }

    struct Quantity: Encodable, Sendable {
        var inventoryItemId: String
        var locationId: String
        var quantity: Int
        /// Always sent: a number asks for compare-and-set, an explicit `null` opts out. Leaving the
        /// key out is an error since 2026-04.
        var changeFromQuantity: Int?

        enum CodingKeys: String, CodingKey { case inventoryItemId, locationId, quantity, changeFromQuantity }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(inventoryItemId, forKey: .inventoryItemId)
            try c.encode(locationId, forKey: .locationId)
            try c.encode(quantity, forKey: .quantity)
            try c.encode(changeFromQuantity, forKey: .changeFromQuantity)
        }
    }

    var input: Input
    var idempotencyKey: String
}

/// A mutation's `userErrors` entry, the same shape for every mutation Stockyard sends.
struct MutationUserError: Decodable, Sendable {
    var code: String?
    var field: [String]?
    var message: String
}

struct SetQuantitiesData: Decodable, Sendable {
    struct Payload: Decodable, Sendable {
        typealias UserError = MutationUserError

        var userErrors: [UserError]
    }

    var inventorySetQuantities: Payload?
}

struct BulkRunVariables: Encodable, Sendable {
    var query: String
}

struct BulkRunData: Decodable, Sendable {
    struct Payload: Decodable, Sendable {
        struct Operation: Decodable, Sendable {
            var id: String
            var status: String
        }

        var bulkOperation: Operation?
        var userErrors: [MutationUserError]
    }

    var bulkOperationRunQuery: Payload?
}

struct BulkOperationVariables: Encodable, Sendable {
    var id: String
}

struct BulkOperationData: Decodable, Sendable {
    struct Node: Decodable, Sendable {
        var id: String?
        var status: String?
        var errorCode: String?
        var url: String?
    }

    var node: Node?
}

/// One line of a bulk export of inventory levels: the location (no `__parentId`), or a level.
struct BulkLevelLine: Decodable, Sendable {
    var id: String?
    var item: InventoryLevelsData.Level.Item?
    var quantities: [InventoryLevelsData.Level.Quantity]?
    var updatedAt: String?
    var parentID: String?

    enum CodingKeys: String, CodingKey {
        case id, item, quantities, updatedAt
        case parentID = "__parentId"
    }
}

struct InventoryItemsBySKUVariables: Encodable, Sendable {
    var query: String
    var first: Int
    var after: String?
    var locationId: String

    enum CodingKeys: String, CodingKey { case query, first, after, locationId }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try c.encode(first, forKey: .first)
        try c.encode(after, forKey: .after)
        try c.encode(locationId, forKey: .locationId)
    }
}

struct InventoryItemsBySKUData: Decodable, Sendable {
    struct Node: Decodable, Sendable {
        struct Level: Decodable, Sendable {
            var quantities: [InventoryLevelsData.Level.Quantity]
            var updatedAt: String?
        }

        var id: String
        var sku: String?
        /// Null when the location does not stock the item.
        var inventoryLevel: Level?
    }

    var inventoryItems: Connection<Node>
}
