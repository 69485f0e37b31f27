/// Who is the source of truth of a connection. The master's numbers overwrite the other side.
public enum Master: String, Sendable, Codable, CaseIterable, Hashable {
    /// The hub pushes its numbers to the location. Needed for cross-store sync, adjustments,
    /// stocktakes, transfers and bundles.
    case stockyard
    /// The store's numbers are copied into the warehouse at intervals: for 3PL-run locations,
    /// and for a trial before going live.
    case store
}

/// Who runs a warehouse.
public enum WarehouseKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// A building the seller operates.
    case own
    /// A third-party logistics provider that updates stock in the store itself.
    case thirdParty = "3pl"
}

/// The store platform an adapter talks to.
public enum Platform: String, Sendable, Codable, CaseIterable, Hashable {
    case shopify
    /// A store kept in a local JSON file: for trials, demos and tests.
    case file
}

/// What to do about store locations that the config does not mention.
public enum UnmanagedLocationPolicy: String, Sendable, Codable, CaseIterable, Hashable {
    case ignore, warn, error
}

/// Where a store's access token comes from. Never the token itself.
public enum CredentialReference: Sendable, Hashable, Codable, CustomStringConvertible {
    case environment(String)
    case file(String)

    public var description: String {
        switch self {
        case .environment(let name): return "env:\(name)"
        case .file(let path): return "file:\(path)"
        }
    }
}
