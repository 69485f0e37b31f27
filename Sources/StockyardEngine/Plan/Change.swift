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
///
/// Its fields are held in one object that copies share until one of them is changed (as an array
/// holds its elements): a plan copies its changes a few times over (put in order, searched for
/// their neighbourhood, each written on a core), and a change holds some twenty strings, arrays
/// and records, every one of them counted on every copy of the whole.
public struct Change: Sendable, Hashable, Decodable {
    /// Only ever changed through ``unique()``, when no other change holds it.
    private final class Fields: @unchecked Sendable {
        var address: String
        var kind: ObjectKind
        var action: ChangeAction
        var reason: ChangeReason
        var risk: Risk
        var before: ObjectRecord?
        var after: ObjectRecord?
        var fingerprint: String?
        var store: String?
        var location: String?
        var locationID: String?
        var warehouse: String?
        var notes: [String]
        var dependsOn: [String]
        var impact: InventoryImpact?

        init(
            address: String, kind: ObjectKind, action: ChangeAction, reason: ChangeReason, risk: Risk, before: ObjectRecord?, after: ObjectRecord?,
            fingerprint: String?, store: String?, location: String?, locationID: String?, warehouse: String?, notes: [String], dependsOn: [String],
            impact: InventoryImpact?
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

        func copy() -> Fields {
            Fields(
                address: address, kind: kind, action: action, reason: reason, risk: risk, before: before, after: after, fingerprint: fingerprint, store: store,
                location: location, locationID: locationID, warehouse: warehouse, notes: notes, dependsOn: dependsOn, impact: impact)
        }
    }

    private var fields: Fields

    /// The fields to change, copied first when another change shares them.
    private mutating func unique() -> Fields {
        if !isKnownUniquelyReferenced(&fields) { fields = fields.copy() }
        return fields
    }

    /// `store.acme-us`, `warehouse.leeds`, `connection.acme-uk["Leeds DC"]`.
    public var address: String {
        get { fields.address }
        _modify { yield &unique().address }
    }
    public var kind: ObjectKind {
        get { fields.kind }
        _modify { yield &unique().kind }
    }
    public var action: ChangeAction {
        get { fields.action }
        _modify { yield &unique().action }
    }
    public var reason: ChangeReason {
        get { fields.reason }
        _modify { yield &unique().reason }
    }
    public var risk: Risk {
        get { fields.risk }
        _modify { yield &unique().risk }
    }
    public var before: ObjectRecord? {
        get { fields.before }
        _modify { yield &unique().before }
    }
    public var after: ObjectRecord? {
        get { fields.after }
        _modify { yield &unique().after }
    }
    /// Fingerprint of the object in the state when the plan read it; `nil` when it did not exist.
    public var fingerprint: String? {
        get { fields.fingerprint }
        _modify { yield &unique().fingerprint }
    }
    public var store: String? {
        get { fields.store }
        _modify { yield &unique().store }
    }
    public var location: String? {
        get { fields.location }
        _modify { yield &unique().location }
    }
    public var locationID: String? {
        get { fields.locationID }
        _modify { yield &unique().locationID }
    }
    public var warehouse: String? {
        get { fields.warehouse }
        _modify { yield &unique().warehouse }
    }
    /// Plain sentences saying what the change will do, for people reading the plan.
    public var notes: [String] {
        get { fields.notes }
        _modify { yield &unique().notes }
    }
    /// Addresses of changes that must succeed before this one can be applied.
    public var dependsOn: [String] {
        get { fields.dependsOn }
        _modify { yield &unique().dependsOn }
    }
    /// For links and master switches: the stock numbers the master will overwrite.
    public var impact: InventoryImpact? {
        get { fields.impact }
        _modify { yield &unique().impact }
    }

    public init(
        address: String, kind: ObjectKind, action: ChangeAction, reason: ChangeReason, risk: Risk,
        before: ObjectRecord?, after: ObjectRecord?, fingerprint: String?, store: String? = nil,
        location: String? = nil, locationID: String? = nil, warehouse: String? = nil, notes: [String] = [],
        dependsOn: [String] = [], impact: InventoryImpact? = nil
    ) {
        fields = Fields(
            address: address, kind: kind, action: action, reason: reason, risk: risk, before: before, after: after, fingerprint: fingerprint, store: store,
            location: location, locationID: locationID, warehouse: warehouse, notes: notes, dependsOn: dependsOn, impact: impact)
    }

    public static func == (lhs: Change, rhs: Change) -> Bool {
        if lhs.fields === rhs.fields { return true }
        let (a, b) = (lhs.fields, rhs.fields)
        return a.address == b.address && a.kind == b.kind && a.action == b.action && a.reason == b.reason && a.risk == b.risk && a.before == b.before
            && a.after == b.after && a.fingerprint == b.fingerprint && a.store == b.store && a.location == b.location && a.locationID == b.locationID
            && a.warehouse == b.warehouse && a.notes == b.notes && a.dependsOn == b.dependsOn && a.impact == b.impact
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(fields.address)
        hasher.combine(fields.kind)
        hasher.combine(fields.action)
        hasher.combine(fields.reason)
        hasher.combine(fields.risk)
        hasher.combine(fields.before)
        hasher.combine(fields.after)
        hasher.combine(fields.fingerprint)
        hasher.combine(fields.store)
        hasher.combine(fields.location)
        hasher.combine(fields.locationID)
        hasher.combine(fields.warehouse)
        hasher.combine(fields.notes)
        hasher.combine(fields.dependsOn)
        hasher.combine(fields.impact)
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
        let kind = try c.decode(ObjectKind.self, forKey: .kind)
        self.init(
            address: try c.decode(String.self, forKey: .address), kind: kind, action: try c.decode(ChangeAction.self, forKey: .action),
            reason: try c.decode(ChangeReason.self, forKey: .reason), risk: try c.decode(Risk.self, forKey: .risk),
            before: try Self.decodeRecord(c, .before, kind: kind), after: try Self.decodeRecord(c, .after, kind: kind),
            fingerprint: try c.decodeIfPresent(String.self, forKey: .fingerprint), store: try c.decodeIfPresent(String.self, forKey: .store),
            location: try c.decodeIfPresent(String.self, forKey: .location),
            locationID: try c.decodeIfPresent(String.self, forKey: .locationID),
            warehouse: try c.decodeIfPresent(String.self, forKey: .warehouse),
            notes: try c.decodeIfPresent([String].self, forKey: .notes) ?? [],
            dependsOn: try c.decodeIfPresent([String].self, forKey: .dependsOn) ?? [],
            impact: try c.decodeIfPresent(InventoryImpact.self, forKey: .impact))
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
