/// A mutation that breaks one of the state's rules: it names something that is not there, or
/// removes something still in use. Every state store refuses it with this error, worded here once.
public enum StateRuleViolation: Error, Sendable, Hashable, CustomStringConvertible {
    case storeInUse(store: String, users: ConnectionUsage)
    case warehouseInUse(warehouse: String, users: ConnectionUsage)
    case renameSourceMissing(from: String, to: String)
    case renameTargetExists(from: String, to: String)
    case connectionStoreMissing(connection: String, store: String)
    case connectionWarehouseMissing(connection: String, warehouse: String)
    case stockWarehouseMissing(warehouse: String)
    case syncMarksConnectionMissing(ConnectionRecord.ID)
    case readMarkConnectionMissing(ConnectionRecord.ID)

    public var description: String {
        switch self {
        case .storeInUse(let store, let users):
            "cannot delete store '\(store)': \(users) still \(users.count == 1 ? "uses" : "use") it"
        case .warehouseInUse(let warehouse, let users):
            "cannot delete warehouse '\(warehouse)': \(users) still \(users.count == 1 ? "uses" : "use") it"
        case .renameSourceMissing(let from, let to):
            "cannot rename warehouse '\(from)' to '\(to)': '\(from)' is not in the state"
        case .renameTargetExists(let from, let to):
            "cannot rename warehouse '\(from)' to '\(to)': '\(to)' already exists"
        case .connectionStoreMissing(let connection, let store):
            "cannot save connection \(connection): store '\(store)' is not in the state"
        case .connectionWarehouseMissing(let connection, let warehouse):
            "cannot save connection \(connection): warehouse '\(warehouse)' is not in the state"
        case .stockWarehouseMissing(let warehouse):
            "cannot set stock in warehouse '\(warehouse)': it is not in the state"
        case .syncMarksConnectionMissing(let id):
            "cannot set sync marks of connection \(id.store)/\(id.locationID): it is not in the state"
        case .readMarkConnectionMissing(let id):
            "cannot set the read mark of connection \(id.store)/\(id.locationID): it is not in the state"
        }
    }
}

/// The connections that use a store or a warehouse, as an error names them: how many, and the
/// first three by store and location id (compared byte-wise, so every store names the same ones).
public struct ConnectionUsage: Sendable, Hashable, CustomStringConvertible {
    /// How many connections use it.
    public var count: Int
    /// The first few, as `store["Location name"]`.
    public var first: [String]

    /// How many connections an error names at most.
    public static let named = 3
    public static let unused = ConnectionUsage(count: 0, first: [])

    public init(count: Int, first: [String]) {
        self.count = count
        self.first = first
    }

    public var isEmpty: Bool { count == 0 }

    /// "2 connections (acme-uk["Leeds DC"], …)".
    public var description: String {
        let more = count > first.count ? ", …" : ""
        let noun = count == 1 ? "connection" : "connections"
        return "\(count) \(noun) (\(first.joined(separator: ", "))\(more))"
    }
}
