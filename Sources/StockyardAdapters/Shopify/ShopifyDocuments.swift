import Foundation

/// The GraphQL operations Stockyard sends, each kept as a `.graphql` resource file so that it
/// can be read, diffed and pasted into Shopify's GraphiQL as is.
enum ShopifyOperation: String, Sendable, CaseIterable {
    case locations = "Locations"
    case inventoryLevels = "InventoryLevels"
    case setInventoryQuantities = "SetInventoryQuantities"
    case bulkRunQuery = "BulkRunQuery"
    case bulkOperation = "BulkOperation"

    /// The access scope the operation needs, named in the error when Shopify denies it.
    var scope: String {
        switch self {
        case .locations: return "read_locations"
        case .inventoryLevels, .bulkRunQuery, .bulkOperation: return "read_inventory"
        case .setInventoryQuantities: return "write_inventory"
        }
    }

    /// The name written in the document, sent as `operationName`.
    var operationName: String { "Stockyard\(rawValue)" }

    /// The document text, loaded from the bundle once; `nil` if this build lacks its resources.
    var document: String? { Self.loaded[self] }

    /// Loaded lazily (a static `let`), so that configs without Shopify stores never touch the bundle.
    private static let loaded: [ShopifyOperation: String] = {
        var out: [ShopifyOperation: String] = [:]
        for operation in ShopifyOperation.allCases {
            let url = Bundle.module.url(forResource: operation.rawValue, withExtension: "graphql", subdirectory: "GraphQL")
                ?? Bundle.module.url(forResource: operation.rawValue, withExtension: "graphql")
            if let url, let text = try? String(contentsOf: url, encoding: .utf8) { out[operation] = text }
        }
        return out
    }()
}
