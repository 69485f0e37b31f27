/// The JSON around every GraphQL exchange. Only the fields Stockyard uses are decoded; the rest
/// is ignored, because Shopify adds fields in new API versions and that must not break reading.

struct GraphQLRequestBody<Variables: Encodable & Sendable>: Encodable, Sendable {
    var query: String
    var operationName: String
    var variables: Variables
}

struct GraphQLEnvelope<Payload: Decodable>: Decodable {
    var data: Payload?
    var errors: [GraphQLErrorEntry]?
    var extensions: GraphQLExtensions?

    enum CodingKeys: String, CodingKey { case data, errors, extensions }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        extensions = try? c.decodeIfPresent(GraphQLExtensions.self, forKey: .extensions)
        // Shopify answers some failures with `"errors": "text"` instead of a list.
        if let list = try? c.decodeIfPresent([GraphQLErrorEntry].self, forKey: .errors) {
            errors = list
        } else if let text = try? c.decodeIfPresent(String.self, forKey: .errors) {
            errors = [GraphQLErrorEntry(message: text)]
        } else {
            errors = nil
        }
        // With errors, `data` may be partial or null: decoding it must not hide the errors.
        if errors?.isEmpty ?? true {
            data = try c.decodeIfPresent(Payload.self, forKey: .data)
        } else {
            data = try? c.decodeIfPresent(Payload.self, forKey: .data)
        }
    }
}

struct GraphQLErrorEntry: Decodable, Sendable {
    struct Extensions: Decodable, Sendable {
        var code: String?
    }

    var message: String
    var extensions: Extensions?

    init(message: String, code: String? = nil) {
        self.message = message
        self.extensions = code.map { Extensions(code: $0) }
    }

    var code: String? { extensions?.code }
}

struct GraphQLExtensions: Decodable, Sendable {
    var cost: QueryCost?
}

/// `extensions.cost`: what the query cost and how full Shopify's leaky bucket is.
struct QueryCost: Decodable, Sendable {
    var requestedQueryCost: Double?
    var actualQueryCost: Double?
    var throttleStatus: ThrottleStatus?
}

struct ThrottleStatus: Decodable, Sendable, Hashable {
    var maximumAvailable: Double
    var currentlyAvailable: Double
    var restoreRate: Double
}

/// A Relay connection page: `edges { cursor node }` and `pageInfo`.
struct Connection<Node: Decodable & Sendable>: Decodable, Sendable {
    struct Edge: Decodable, Sendable {
        var node: Node
    }

    struct PageInfo: Decodable, Sendable {
        var hasNextPage: Bool
        var endCursor: String?
    }

    var edges: [Edge]
    var pageInfo: PageInfo
}
