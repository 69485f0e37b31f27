/// What a change does to its object.
public enum ChangeAction: String, Sendable, Codable, CaseIterable, Hashable {
    case create, update, delete, move
}

/// Why a change is in the plan.
public enum ChangeReason: String, Sendable, Codable, CaseIterable, Hashable {
    /// The config adds the object.
    case added
    /// The config changes the object.
    case changed
    /// The config no longer has the object.
    case removed
    /// The config renames the object (`formerly:`).
    case renamed
    /// The store changed under the hub (a linked location vanished or was renamed).
    case drift
}

/// How much a reviewer should care. Ordered: safe < inventory-overwrite < destructive.
public enum Risk: String, Sendable, Codable, CaseIterable, Hashable, Comparable {
    case safe
    /// A master's numbers will overwrite stock numbers on the other side.
    case inventoryOverwrite = "inventory-overwrite"
    /// Something is removed from the hub.
    case destructive

    private var rank: Int {
        switch self {
        case .safe: return 0
        case .inventoryOverwrite: return 1
        case .destructive: return 2
        }
    }

    public static func < (lhs: Risk, rhs: Risk) -> Bool { lhs.rank < rhs.rank }
}

/// The kind of object a change is about.
public enum ObjectKind: String, Sendable, Codable, CaseIterable, Hashable {
    case store, warehouse, connection
}

/// A state object before or after a change.
public enum ObjectRecord: Sendable, Hashable, Codable {
    case store(StoreRecord)
    case warehouse(WarehouseRecord)
    case connection(ConnectionRecord)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(ConnectionRecord.self) {
            self = .connection(s)
            return
        }
        if let w = try? c.decode(WarehouseRecord.self) {
            self = .warehouse(w)
            return
        }
        self = .store(try c.decode(StoreRecord.self))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .store(let r): try c.encode(r)
        case .warehouse(let r): try c.encode(r)
        case .connection(let r): try c.encode(r)
        }
    }

    /// The record's fields as name/value pairs in a fixed order, for renderers and fingerprints.
    public var attributes: [(name: String, value: String)] {
        switch self {
        case .store(let r):
            return [("platform", r.platform.rawValue), ("target", r.target)]
        case .warehouse(let r):
            return [("key", r.key), ("name", r.name), ("code", r.code ?? ""), ("kind", r.kind.rawValue), ("protect", String(r.protect))]
        case .connection(let r):
            return [
                ("location", r.locationName), ("location_id", r.locationID), ("warehouse", r.warehouse),
                ("master", r.master.rawValue), ("protect", String(r.protect)),
            ]
        }
    }
}

/// One step of a plan. Read back from a plan file (`Decodable`); written only by `JSONPlanRenderer`,
/// which controls the order and the form of every field.
public struct Change: Sendable, Hashable, Decodable {
    /// `store.acme-us`, `warehouse.leeds`, `connection.acme-uk["Leeds DC"]`.
    public var address: String
    public var kind: ObjectKind
    public var action: ChangeAction
    public var reason: ChangeReason
    public var risk: Risk
    public var before: ObjectRecord?
    public var after: ObjectRecord?
    /// Fingerprint of the object in the state when the plan read it; `nil` when it did not exist.
    public var fingerprint: String?
    public var store: String?
    public var location: String?
    public var locationID: String?
    public var warehouse: String?
    /// Plain sentences saying what the change will do, for people reading the plan.
    public var notes: [String]
    /// Addresses of changes that must succeed before this one can be applied.
    public var dependsOn: [String]
    /// For links and master switches: the stock numbers the master will overwrite.
    public var impact: InventoryImpact?

    public init(
        address: String, kind: ObjectKind, action: ChangeAction, reason: ChangeReason, risk: Risk,
        before: ObjectRecord?, after: ObjectRecord?, fingerprint: String?, store: String? = nil,
        location: String? = nil, locationID: String? = nil, warehouse: String? = nil, notes: [String] = [],
        dependsOn: [String] = [], impact: InventoryImpact? = nil
    ) {
        self.address = address
        self.kind = kind
        self.action = action
        self.reason = reason
        self.risk = risk
        self.before = before
        self.after = after
        self.fingerprint = fingerprint
        self.store = store
        self.location = location
        self.locationID = locationID
        self.warehouse = warehouse
        self.notes = notes
        self.dependsOn = dependsOn
        self.impact = impact
    }

    enum CodingKeys: String, CodingKey {
        case address, kind, action, reason, risk, before, after, fingerprint, store, location
        case locationID = "location_id"
        case warehouse, notes
        case dependsOn = "depends_on"
        case impact
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        address = try c.decode(String.self, forKey: .address)
        kind = try c.decode(ObjectKind.self, forKey: .kind)
        action = try c.decode(ChangeAction.self, forKey: .action)
        reason = try c.decode(ChangeReason.self, forKey: .reason)
        risk = try c.decode(Risk.self, forKey: .risk)
        before = try Self.decodeRecord(c, .before, kind: kind)
        after = try Self.decodeRecord(c, .after, kind: kind)
        fingerprint = try c.decodeIfPresent(String.self, forKey: .fingerprint)
        store = try c.decodeIfPresent(String.self, forKey: .store)
        location = try c.decodeIfPresent(String.self, forKey: .location)
        locationID = try c.decodeIfPresent(String.self, forKey: .locationID)
        warehouse = try c.decodeIfPresent(String.self, forKey: .warehouse)
        notes = try c.decodeIfPresent([String].self, forKey: .notes) ?? []
        dependsOn = try c.decodeIfPresent([String].self, forKey: .dependsOn) ?? []
        impact = try c.decodeIfPresent(InventoryImpact.self, forKey: .impact)
    }

    private static func decodeRecord(
        _ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys, kind: ObjectKind
    ) throws -> ObjectRecord? {
        switch kind {
        case .store: return try c.decodeIfPresent(StoreRecord.self, forKey: key).map(ObjectRecord.store)
        case .warehouse: return try c.decodeIfPresent(WarehouseRecord.self, forKey: key).map(ObjectRecord.warehouse)
        case .connection: return try c.decodeIfPresent(ConnectionRecord.self, forKey: key).map(ObjectRecord.connection)
        }
    }
}
