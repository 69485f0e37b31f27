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
    /// The fields, compared and hashed as a whole (notes and prerequisites as their text); held in
    /// a ``Box`` that copies share.
    private struct Fields: Hashable {
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
        var notes: Notes
        var dependsOn: Prerequisites
        var impact: InventoryImpact?

        var noteLines: [String] { notes.lines(impact: impact) }

        static func == (a: Fields, b: Fields) -> Bool {
            a.address == b.address && a.kind == b.kind && a.action == b.action && a.reason == b.reason && a.risk == b.risk
                && a.before == b.before && a.after == b.after && a.fingerprint == b.fingerprint && a.store == b.store
                && a.location == b.location && a.locationID == b.locationID && a.warehouse == b.warehouse && a.impact == b.impact
                && a.noteLines == b.noteLines && a.dependsOn.lines == b.dependsOn.lines
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(address)
            hasher.combine(kind)
            hasher.combine(action)
            hasher.combine(reason)
            hasher.combine(risk)
            hasher.combine(before)
            hasher.combine(after)
            hasher.combine(fingerprint)
            hasher.combine(store)
            hasher.combine(location)
            hasher.combine(locationID)
            hasher.combine(warehouse)
            hasher.combine(impact)
            hasher.combine(noteLines)
            hasher.combine(dependsOn.lines)
        }
    }

    /// A change's notes: lines of text, or a link's, held as what they say and written out when
    /// read (``LinkEffect``, then its impact's summary). In a first plan every connection is a
    /// link: their notes and prerequisites made as strings, some 400 bytes a link, were a sixth
    /// of its memory.
    enum Notes: Sendable {
        case lines([String])
        case link(LinkEffect, impactSummary: Bool)

        func lines(impact: InventoryImpact?) -> [String] {
            switch self {
            case .lines(let lines): return lines
            case .link(let effect, let summary):
                guard summary, let impact else { return [effect.text] }
                return [effect.text, impact.summary]
            }
        }
    }

    /// The addresses a change waits for, or a link's: its store's and its warehouse's, each when
    /// that object changes in the plan.
    enum Prerequisites: Sendable {
        case addresses([String])
        case link(store: String?, warehouse: String?)

        var lines: [String] {
            switch self {
            case .addresses(let addresses): return addresses
            case .link(let store, let warehouse):
                return (0..<Self.count(store: store, warehouse: warehouse)).map { line in
                    var bytes: [UInt8] = []
                    Self.write(line, store: store, warehouse: warehouse, into: &bytes)
                    return String(decoding: bytes, as: UTF8.self)
                }
            }
        }

        /// How many lines a link's prerequisites are.
        static func count(store: String?, warehouse: String?) -> Int { (store == nil ? 0 : 1) + (warehouse == nil ? 0 : 1) }

        /// Line `line` of a link's prerequisites, appended: its store's address when there is one
        /// (line 0), then its warehouse's. A plan's JSON writes them straight into its output.
        static func write(_ line: Int, store: String?, warehouse: String?, into out: inout [UInt8]) {
            if line == 0, let store {
                out.append(contentsOf: "store.".utf8)
                out.append(contentsOf: store.utf8)
            } else {
                out.append(contentsOf: "warehouse.".utf8)
                out.append(contentsOf: warehouse!.utf8)
            }
        }
    }

    /// Only ever changed through ``unique()``, when no other change holds it.
    private final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var box: Box

    /// The fields to change, copied first when another change shares them.
    private mutating func unique() -> Box {
        if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
        return box
    }

    /// `store.acme-us`, `warehouse.leeds`, `connection.acme-uk["Leeds DC"]`.
    public var address: String {
        get { box.fields.address }
        _modify { yield &unique().fields.address }
    }
    public var kind: ObjectKind {
        get { box.fields.kind }
        _modify { yield &unique().fields.kind }
    }
    public var action: ChangeAction {
        get { box.fields.action }
        _modify { yield &unique().fields.action }
    }
    public var reason: ChangeReason {
        get { box.fields.reason }
        _modify { yield &unique().fields.reason }
    }
    public var risk: Risk {
        get { box.fields.risk }
        _modify { yield &unique().fields.risk }
    }
    public var before: ObjectRecord? {
        get { box.fields.before }
        _modify { yield &unique().fields.before }
    }
    public var after: ObjectRecord? {
        get { box.fields.after }
        _modify { yield &unique().fields.after }
    }
    /// Fingerprint of the object in the state when the plan read it; `nil` when it did not exist.
    public var fingerprint: String? {
        get { box.fields.fingerprint }
        _modify { yield &unique().fields.fingerprint }
    }
    public var store: String? {
        get { box.fields.store }
        _modify { yield &unique().fields.store }
    }
    public var location: String? {
        get { box.fields.location }
        _modify { yield &unique().fields.location }
    }
    public var locationID: String? {
        get { box.fields.locationID }
        _modify { yield &unique().fields.locationID }
    }
    public var warehouse: String? {
        get { box.fields.warehouse }
        _modify { yield &unique().fields.warehouse }
    }
    /// Plain sentences saying what the change will do, for people reading the plan.
    public var notes: [String] {
        get { box.fields.notes.lines(impact: box.fields.impact) }
        set { unique().fields.notes = .lines(newValue) }
    }
    /// Addresses of changes that must succeed before this one can be applied.
    public var dependsOn: [String] {
        get { box.fields.dependsOn.lines }
        set { unique().fields.dependsOn = .addresses(newValue) }
    }
    /// For links and master switches: the stock numbers the master will overwrite.
    public var impact: InventoryImpact? {
        get { box.fields.impact }
        _modify { yield &unique().fields.impact }
    }

    public init(
        address: String, kind: ObjectKind, action: ChangeAction, reason: ChangeReason, risk: Risk,
        before: ObjectRecord?, after: ObjectRecord?, fingerprint: String?, store: String? = nil,
        location: String? = nil, locationID: String? = nil, warehouse: String? = nil, notes: [String] = [],
        dependsOn: [String] = [], impact: InventoryImpact? = nil
    ) {
        box = Box(
            Fields(
                address: address, kind: kind, action: action, reason: reason, risk: risk, before: before, after: after, fingerprint: fingerprint, store: store,
                location: location, locationID: locationID, warehouse: warehouse, notes: .lines(notes), dependsOn: .addresses(dependsOn),
                impact: impact))
    }

    /// A link's prerequisites as the planner made them (its store's key and its warehouse's, each
    /// when that object changes in the plan); nil when they are lines of text.
    var linkPrerequisites: (store: String?, warehouse: String?)? {
        guard case .link(let store, let warehouse) = box.fields.dependsOn else { return nil }
        return (store, warehouse)
    }

    /// A link's notes as the planner made them: what it does to the numbers, and the impact whose
    /// summary follows (nil when none does); nil when the notes are lines of text.
    var linkNote: (effect: LinkEffect, summaryOf: InventoryImpact?)? {
        guard case .link(let effect, let summary) = box.fields.notes else { return nil }
        return (effect, summary ? box.fields.impact : nil)
    }

    /// A link's note: what it does to the numbers (its impact's summary follows, once it has one).
    mutating func setLinkNote(_ effect: LinkEffect) {
        unique().fields.notes = .link(effect, impactSummary: false)
    }

    /// Adds the impact's summary to the notes.
    mutating func noteImpactSummary() {
        let box = unique()
        guard let impact = box.fields.impact else { return }
        switch box.fields.notes {
        case .link(let effect, _): box.fields.notes = .link(effect, impactSummary: true)
        case .lines(let lines): box.fields.notes = .lines(lines + [impact.summary])
        }
    }

    /// A link's prerequisites: its store's change and its warehouse's, when there are such.
    mutating func setLinkPrerequisites(store: String?, warehouse: String?) {
        unique().fields.dependsOn = .link(store: store, warehouse: warehouse)
    }

    public static func == (lhs: Change, rhs: Change) -> Bool {
        lhs.box === rhs.box || lhs.box.fields == rhs.box.fields
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(box.fields)
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
