/// Stores with their locations, warehouses, the links between them and same-address hints: what a
/// diagram draws. Built from the config (`desired`), the hub's state (`held`) or a plan's changes
/// (`changes(of:)`); drawn by `GraphRenderer`. Every list is in a fixed order, so the same inputs
/// draw the same bytes.
public struct Topology: Sendable, Hashable {
    /// What a plan does to a node or an edge; `nil` where it leaves it as it is.
    public enum Mark: String, Sendable, Hashable {
        case added, removed, changed
        /// A connection whose master switches: the direction the numbers flow turns around.
        case masterSwitch = "master switch"
    }

    /// Why a location is drawn: linked by the config, or found in the store and left out of it.
    public enum LocationStatus: String, Sendable, Hashable {
        case linked, unmanaged, inactive
    }

    public struct Store: Sendable, Hashable {
        public var key: String
        /// The second part of the cluster's title: the platform, and whether the store was read.
        public var detail: String
        public var mark: Mark?
        public var locations: [Location]

        public init(key: String, detail: String, mark: Mark? = nil, locations: [Location] = []) {
            self.key = key
            self.detail = detail
            self.mark = mark
            self.locations = locations
        }
    }

    public struct Location: Sendable, Hashable {
        public var name: String
        public var status: LocationStatus

        public init(name: String, status: LocationStatus = .linked) {
            self.name = name
            self.status = status
        }
    }

    public struct Warehouse: Sendable, Hashable {
        public var key: String
        /// `nil` when only the key is known (a plan that links into a warehouse it does not change).
        public var name: String?
        public var code: String?
        public var kind: WarehouseKind?
        public var mark: Mark?

        public init(key: String, name: String? = nil, code: String? = nil, kind: WarehouseKind? = nil, mark: Mark? = nil) {
            self.key = key
            self.name = name
            self.code = code
            self.kind = kind
            self.mark = mark
        }
    }

    /// A location by position: `stores[store].locations[location]`.
    public struct LocationRef: Sendable, Hashable, Comparable {
        public var store: Int
        public var location: Int

        public init(store: Int, location: Int) {
            self.store = store
            self.location = location
        }

        public static func < (a: LocationRef, b: LocationRef) -> Bool { (a.store, a.location) < (b.store, b.location) }
    }

    /// One connection: the numbers flow from the warehouse to the location on stockyard master,
    /// from the location into the warehouse on store master.
    public struct Link: Sendable, Hashable {
        public var location: LocationRef
        /// Position in `warehouses`.
        public var warehouse: Int
        public var master: Master
        public var mark: Mark?
        /// The change overwrites stock numbers on the side the numbers flow to.
        public var overwrites: Bool

        public init(location: LocationRef, warehouse: Int, master: Master, mark: Mark? = nil, overwrites: Bool = false) {
            self.location = location
            self.warehouse = warehouse
            self.master = master
            self.mark = mark
            self.overwrites = overwrites
        }
    }

    /// Two stores' locations at one address linked to different warehouses (the `shared-address`
    /// warning): probably one building.
    public struct SameAddress: Sendable, Hashable {
        public var first: LocationRef
        public var second: LocationRef

        public init(_ first: LocationRef, _ second: LocationRef) {
            self.first = first
            self.second = second
        }
    }

    public var stores: [Store]
    public var warehouses: [Warehouse]
    public var links: [Link]
    public var sameAddress: [SameAddress]

    public init(stores: [Store] = [], warehouses: [Warehouse] = [], links: [Link] = [], sameAddress: [SameAddress] = []) {
        self.stores = stores
        self.warehouses = warehouses
        self.links = links
        self.sameAddress = sameAddress
    }

    public var edgeCount: Int { links.count + sameAddress.count }
}
