/// What the hub's state holds about its stores, warehouses and connections.
public struct HubState: Sendable, Hashable {
    /// A random id given to a state when it is first written; a plan names the state it was made against.
    public var lineage: String?
    public var stores: [String: StoreRecord]
    public var warehouses: [String: WarehouseRecord]
    public var connections: [ConnectionRecord.ID: ConnectionRecord]
    /// Units on hand per warehouse key and SKU.
    public var stock: [String: SKUNumbers]
    /// Per connection and SKU, the quantity the location had when the hub last pushed or pulled.
    public var syncMarks: [ConnectionRecord.ID: [String: Int]]
    /// Pushes journaled but not yet known to have landed.
    public var pendingPushes: [PendingPush]
    /// How far sync has read each linked location (see ``ReadMark``).
    public var readMarks: [ConnectionRecord.ID: ReadMark]

    public init(
        lineage: String? = nil, stores: [String: StoreRecord] = [:], warehouses: [String: WarehouseRecord] = [:],
        connections: [ConnectionRecord.ID: ConnectionRecord] = [:], stock: [String: SKUNumbers] = [:],
        syncMarks: [ConnectionRecord.ID: [String: Int]] = [:], pendingPushes: [PendingPush] = [],
        readMarks: [ConnectionRecord.ID: ReadMark] = [:]
    ) {
        self.lineage = lineage
        self.stores = stores
        self.warehouses = warehouses
        self.connections = connections
        self.stock = stock
        self.syncMarks = syncMarks
        self.pendingPushes = pendingPushes
        self.readMarks = readMarks
    }

    public static let empty = HubState()

    /// Total units the warehouse holds, across SKUs.
    public func units(in warehouse: String) -> Int {
        StockQuantity.sum(stock[warehouse, default: [:]].values.lazy.map { max(0, $0) })
    }
}

/// A store registered with the hub.
public struct StoreRecord: Sendable, Hashable, Codable {
    public var key: String
    public var platform: Platform
    /// Shop domain or file path.
    public var target: String

    public init(key: String, platform: Platform, target: String) {
        self.key = key
        self.platform = platform
        self.target = target
    }
}

/// A warehouse the hub keeps.
public struct WarehouseRecord: Sendable, Hashable, Codable {
    public var key: String
    public var name: String
    public var code: String?
    public var kind: WarehouseKind
    public var protect: Bool

    public init(key: String, name: String, code: String? = nil, kind: WarehouseKind, protect: Bool = false) {
        self.key = key
        self.name = name
        self.code = code
        self.kind = kind
        self.protect = protect
    }
}

/// A store location linked to a warehouse.
public struct ConnectionRecord: Sendable, Hashable, Codable, Identifiable {
    /// A connection is identified by its store and the store's own location id, which outlives renames.
    public struct ID: Sendable, Hashable, Codable, Comparable {
        public var store: String
        public var locationID: String

        public init(store: String, locationID: String) {
            self.store = store
            self.locationID = locationID
        }

        public static func < (lhs: ID, rhs: ID) -> Bool { (lhs.store, lhs.locationID) < (rhs.store, rhs.locationID) }
    }

    public var store: String
    public var locationID: String
    public var locationName: String
    public var warehouse: String
    public var master: Master
    public var protect: Bool

    public init(store: String, locationID: String, locationName: String, warehouse: String, master: Master, protect: Bool = false) {
        self.store = store
        self.locationID = locationID
        self.locationName = locationName
        self.warehouse = warehouse
        self.master = master
        self.protect = protect
    }

    enum CodingKeys: String, CodingKey {
        case store
        case locationID = "location_id"
        case locationName = "location_name"
        case warehouse, master, protect
    }

    public var id: ID { ID(store: store, locationID: locationID) }
    public var displayName: String { ConnectionAddress.format(store: store, location: locationName) }
}
