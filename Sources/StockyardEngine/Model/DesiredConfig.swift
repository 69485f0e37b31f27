/// The hub as the config file describes it, every value knowing where it was written.
public struct DesiredConfig: Sendable {
    public var file: String
    /// Hex SHA-256 of the config file's bytes, so a saved plan can tell whether the file changed.
    public var sha256: String
    public var defaultMaster: Master
    /// Warehouses in the order they were written.
    public var warehouses: [WarehouseSpec]
    /// Stores in the order they were written.
    public var stores: [StoreSpec]
    public var safety: SafetyThresholds
    public var lintIgnore: Set<RuleID>

    public init(
        file: String, sha256: String, defaultMaster: Master = .store, warehouses: [WarehouseSpec] = [],
        stores: [StoreSpec] = [], safety: SafetyThresholds = SafetyThresholds(), lintIgnore: Set<RuleID> = []
    ) {
        self.file = file
        self.sha256 = sha256
        self.defaultMaster = defaultMaster
        self.warehouses = warehouses
        self.stores = stores
        self.safety = safety
        self.lintIgnore = lintIgnore
    }

    /// Every connection of every store, in the order written.
    public var connections: [ConnectionSpec] { stores.flatMap(\.connections) }
}

/// A physical place the hub keeps stock.
public struct WarehouseSpec: Sendable, Hashable {
    public var key: String
    public var name: String
    public var code: String?
    public var kind: WarehouseKind
    /// Keys this warehouse had before: the state's warehouse under one of them is renamed, not recreated.
    public var formerly: [String]
    /// `nil` when the config does not say; the state keeps the last protection applied.
    public var protect: Bool?
    public var location: SourceLocation
    public var codeLocation: SourceLocation?
    public var formerlyLocations: [SourceLocation]

    public init(
        key: String, name: String, code: String? = nil, kind: WarehouseKind, formerly: [String] = [],
        protect: Bool? = nil, location: SourceLocation, codeLocation: SourceLocation? = nil,
        formerlyLocations: [SourceLocation] = []
    ) {
        self.key = key
        self.name = name
        self.code = code
        self.kind = kind
        self.formerly = formerly
        self.protect = protect
        self.location = location
        self.codeLocation = codeLocation
        self.formerlyLocations = formerlyLocations
    }
}

/// One sales-channel account and the locations of it the hub manages.
public struct StoreSpec: Sendable, Hashable {
    public var key: String
    public var platform: Platform
    /// Shopify: `NAME.myshopify.com`.
    public var shop: String?
    /// `file` stores: the path as written, relative to the config file's folder.
    public var path: String?
    public var credentials: CredentialReference?
    public var apiVersion: String?
    public var endpoint: String?
    public var unmanagedLocations: UnmanagedLocationPolicy
    public var connections: [ConnectionSpec]
    public var location: SourceLocation

    public init(
        key: String, platform: Platform, shop: String? = nil, path: String? = nil,
        credentials: CredentialReference? = nil, apiVersion: String? = nil, endpoint: String? = nil,
        unmanagedLocations: UnmanagedLocationPolicy = .warn, connections: [ConnectionSpec] = [],
        location: SourceLocation
    ) {
        self.key = key
        self.platform = platform
        self.shop = shop
        self.path = path
        self.credentials = credentials
        self.apiVersion = apiVersion
        self.endpoint = endpoint
        self.unmanagedLocations = unmanagedLocations
        self.connections = connections
        self.location = location
    }

    /// What identifies the account behind the key: the shop domain or the file path.
    public var target: String {
        switch platform {
        case .shopify: return shop ?? ""
        case .file: return path ?? ""
        }
    }
}

/// One store location linked to one warehouse, with its master.
public struct ConnectionSpec: Sendable, Hashable {
    public var storeKey: String
    /// The location's name as the config writes it (and as the store names it, unless pinned by `id`).
    public var locationName: String
    /// A pinned store location id; resolves the location even after it is renamed in the store.
    public var locationID: String?
    public var warehouseKey: String
    public var master: Master
    /// True when `master:` was written on the connection rather than taken from `defaults`.
    public var masterIsExplicit: Bool
    public var protect: Bool?
    public var testingUntil: Day?
    public var location: SourceLocation
    public var warehouseLocation: SourceLocation
    public var masterLocation: SourceLocation?
    public var idLocation: SourceLocation?

    public init(
        storeKey: String, locationName: String, locationID: String? = nil, warehouseKey: String,
        master: Master, masterIsExplicit: Bool = true, protect: Bool? = nil, testingUntil: Day? = nil,
        location: SourceLocation, warehouseLocation: SourceLocation? = nil,
        masterLocation: SourceLocation? = nil, idLocation: SourceLocation? = nil
    ) {
        self.storeKey = storeKey
        self.locationName = locationName
        self.locationID = locationID
        self.warehouseKey = warehouseKey
        self.master = master
        self.masterIsExplicit = masterIsExplicit
        self.protect = protect
        self.testingUntil = testingUntil
        self.location = location
        self.warehouseLocation = warehouseLocation ?? location
        self.masterLocation = masterLocation
        self.idLocation = idLocation
    }

    /// How the plan and diagnostics name this connection: `acme-uk["Leeds DC"]`.
    public var displayName: String { ConnectionAddress.format(store: storeKey, location: locationName) }
}

/// octoDNS-style limits on how much of the hub one apply may change.
public struct SafetyThresholds: Sendable, Hashable, Codable {
    public var maxUpdatePercent: Int
    public var maxDeletePercent: Int
    public var minExisting: Int

    public init(maxUpdatePercent: Int = 30, maxDeletePercent: Int = 30, minExisting: Int = 10) {
        self.maxUpdatePercent = maxUpdatePercent
        self.maxDeletePercent = maxDeletePercent
        self.minExisting = minExisting
    }
}

/// Formats connection names the same way everywhere.
public enum ConnectionAddress {
    public static func format(store: String, location: String) -> String {
        guard isPlain(location) else { return "\(store)[\(quoted(location))]" }
        return joined("", store, "[\"", location, "\"]")
    }

    /// A link's address in a plan: `connection.STORE["LOCATION"]`.
    public static func address(store: String, location: String) -> String {
        guard isPlain(location) else { return "connection.\(store)[\(quoted(location))]" }
        return joined("connection.", store, "[\"", location, "\"]")
    }

    /// Nothing in `text` that ``quoted(_:)`` escapes.
    private static func isPlain(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
    }

    /// The pieces as one string, made at its length: a first plan makes one address per link, and
    /// made by interpolation, a piece at a time, they were a twentieth of its planning.
    private static func joined(_ prefix: StaticString, _ store: String, _ open: StaticString, _ location: String, _ close: StaticString) -> String {
        let count = prefix.utf8CodeUnitCount + store.utf8.count + open.utf8CodeUnitCount + location.utf8.count + close.utf8CodeUnitCount
        return String(unsafeUninitializedCapacity: count) { buffer in
            var at = 0
            func put(_ bytes: some Sequence<UInt8>) {
                for byte in bytes {
                    buffer[at] = byte
                    at += 1
                }
            }
            prefix.withUTF8Buffer { put($0) }
            put(store.utf8)
            open.withUTF8Buffer { put($0) }
            put(location.utf8)
            close.withUTF8Buffer { put($0) }
            return at
        }
    }

    /// A JSON-style quoted string, so a name with quotes or brackets stays unambiguous.
    public static func quoted(_ text: String) -> String {
        if isPlain(text) { return joined("", "", "\"", text, "\"") }
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if ch.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(ch.value, radix: 16).count) + String(ch.value, radix: 16)
                } else {
                    out.unicodeScalars.append(ch)
                }
            }
        }
        return out + "\""
    }
}
