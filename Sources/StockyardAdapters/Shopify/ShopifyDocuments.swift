/// The GraphQL operations Stockyard sends. Each document is kept verbatim in a raw string below,
/// compiled into the binary (a resource bundle beside it would be one more file to ship and to lose),
/// and can still be pasted into Shopify's GraphiQL as is.
enum ShopifyOperation: String, Sendable, CaseIterable {
    case locations = "Locations"
    case inventoryLevels = "InventoryLevels"
    case setInventoryQuantities = "SetInventoryQuantities"
    case bulkRunQuery = "BulkRunQuery"
    case bulkOperation = "BulkOperation"
    case inventoryItemsBySKU = "InventoryItemsBySKU"

    /// The access scope the operation needs, named in the error when Shopify denies it.
    var scope: String {
        switch self {
        case .locations: return "read_locations"
        case .inventoryLevels, .bulkRunQuery, .bulkOperation, .inventoryItemsBySKU: return "read_inventory"
        case .setInventoryQuantities: return "write_inventory"
        }
    }

    /// The name written in the document, sent as `operationName`.
    var operationName: String { "Stockyard\(rawValue)" }

    /// The document text, as sent in the request's `query` field.
    var document: String {
        switch self {
        case .locations:
            #"""
            # Every location of the shop, a page at a time (first: 250, the most Shopify serves per page).
            # includeInactive: deactivated locations are reported so that plan can say a linked one is inactive.
            # includeLegacy: locations that fulfillment-service (3PL) apps manage; without it they are hidden.
            # sortKey: ID keeps the order stable if a location is renamed while the pages are being read.
            # Only fields `read_locations` surely covers: isFulfillmentService tells a 3PL app's location, and
            # `fulfillmentService { … }`, which some shops put behind a fulfillment scope, is not asked for.
            query StockyardLocations($first: Int!, $after: String) {
              locations(first: $first, after: $after, includeInactive: true, includeLegacy: true, sortKey: ID) {
                edges {
                  cursor
                  node {
                    id
                    legacyResourceId
                    name
                    isActive
                    fulfillsOnlineOrders
                    isFulfillmentService
                    address {
                      address1
                      address2
                      city
                      zip
                      countryCode
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
            """#
        case .inventoryLevels:
            #"""
            # One location's inventory levels, a page at a time: the item's id (needed to write) and SKU
            # (how Stockyard names it), the `available` and `on_hand` quantities, and when the level last
            # changed. `query` is null for a full read; sync reads only what changed since its read mark
            # with `updated_at:>='2026-11-30T10:00:00Z'` (Shopify's search syntax; dates quoted).
            query StockyardInventoryLevels($locationId: ID!, $first: Int!, $after: String, $query: String) {
              location(id: $locationId) {
                id
                inventoryLevels(first: $first, after: $after, query: $query) {
                  edges {
                    cursor
                    node {
                      item {
                        id
                        sku
                      }
                      quantities(names: ["available", "on_hand"]) {
                        name
                        quantity
                      }
                      updatedAt
                    }
                  }
                  pageInfo {
                    hasNextPage
                    endCursor
                  }
                }
              }
            }
            """#
        case .setInventoryQuantities:
            #"""
            # Sets `available` quantities with compare-and-set: each quantity carries `changeFromQuantity`,
            # the number the writer last saw (or an explicit null to opt out); Shopify refuses the whole
            # mutation with CHANGE_FROM_QUANTITY_STALE when the store holds another number.
            # @idempotent: a retry after a lost response is answered with the first result, never applied twice
            # (mandatory for this mutation since API version 2026-04).
            mutation StockyardSetInventoryQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
              inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
                inventoryAdjustmentGroup {
                  id
                }
                userErrors {
                  code
                  field
                  message
                }
              }
            }
            """#
        case .bulkRunQuery:
            #"""
            # Starts a bulk operation: Shopify runs `query` (a location's inventory levels, written by
            # InventoryBulkReader) in the background and makes its result a JSONL file. One mutation costs
            # 10 points however many levels it exports, where paged reads cost about 750 per 250 levels.
            mutation StockyardBulkRunQuery($query: String!) {
              bulkOperationRunQuery(query: $query) {
                bulkOperation {
                  id
                  status
                }
                userErrors {
                  field
                  message
                  code
                }
              }
            }
            """#
        case .bulkOperation:
            #"""
            # The status of one bulk operation, polled until it ends; `url` is its JSONL result once COMPLETED.
            query StockyardBulkOperation($id: ID!) {
              node(id: $id) {
                ... on BulkOperation {
                  id
                  status
                  errorCode
                  objectCount
                  url
                }
              }
            }
            """#
        case .inventoryItemsBySKU:
            #"""
            # The items of a few SKUs (`sku:"A" OR sku:"B"`, at most 50 a request) and their level at one
            # location: the ids a push needs for SKUs sync did not read this round, and the numbers it
            # reads again after a refused write, without reading the whole location. A null
            # `inventoryLevel` means the location does not stock the item.
            query StockyardInventoryItemsBySKU($query: String!, $first: Int!, $after: String, $locationId: ID!) {
              inventoryItems(first: $first, after: $after, query: $query) {
                edges {
                  cursor
                  node {
                    id
                    sku
                    inventoryLevel(locationId: $locationId) {
                      quantities(names: ["available", "on_hand"]) {
                        name
                        quantity
                      }
                      updatedAt
                    }
                  }
                }
                pageInfo {
                  hasNextPage
                  endCursor
                }
              }
            }
            """#
        }
    }
}
