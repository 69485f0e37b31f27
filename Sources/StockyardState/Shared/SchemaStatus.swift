import StockyardEngine

/// What a state holds when it is opened, before any migration runs: the same classification for
/// both databases, which differ only in how they list their tables and migrations.
///
/// Each migration bumps `meta.schema_version` by one and is named in a bookkeeping table, so that
/// an older Stockyard can tell a newer state apart and refuse it instead of writing into a schema
/// it does not understand.
enum SchemaStatus: Equatable, Sendable {
    /// No tables: a new state (or one whose creation was cut short before it held anything).
    case fresh
    /// Every migration this build knows has been applied, and no other.
    case current
    /// Written by an older Stockyard: migrating is safe.
    case older
    /// Written by a newer Stockyard, at this schema version.
    case newer(Int)
    /// A database, but not one Stockyard wrote.
    case foreign(String)

    /// What the tables alone tell: `.fresh` or `.foreign`, or nil when the migrations must be read.
    static func classify(tables: Set<String>, bookkeeping: String) -> SchemaStatus? {
        if tables.isEmpty { return .fresh }
        guard tables.contains(bookkeeping), tables.contains("meta") else {
            return .foreign("it holds tables Stockyard did not create")
        }
        return nil
    }

    /// What the applied migrations and the recorded schema version tell, against those this build knows.
    static func classify(applied: Set<String>, recorded: Int?, known: Set<String>, currentVersion: Int) -> SchemaStatus {
        guard applied.contains("v1") else { return .foreign("it holds migrations Stockyard did not write") }
        guard let recorded else { return .foreign("it records no schema version") }
        if recorded > currentVersion || !applied.subtracting(known).isEmpty {
            return .newer(max(recorded, applied.count))
        }
        return applied == known ? .current : .older
    }

    /// The error for a state this build must not touch (`.newer` or `.foreign`), or nil.
    /// `hint` ends a foreign state's message with what to do instead.
    func refusal(place: String, hint: String? = nil) -> StateError? {
        switch self {
        case .fresh, .current, .older:
            return nil
        case .newer(let version):
            return .newerSchema(place: place, version: version)
        case .foreign(let reason):
            return .notStockyard(place: place, reason: reason, hint: hint)
        }
    }
}
